import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposals, rounds } from '../../../db/schema.js'
import { seedDemo } from '../../../server/data/demo.js'
import { letterText } from '../../../server/routes/official/letter.js'
import { appWithInbox } from '../../helpers/smtp.js'
import { signedIn, createOfficial } from '../../helpers/officials.js'

const { app, db, inbox } = await appWithInbox(t)
await seedDemo(db)
await createOfficial(db, 'moderator')
const [round] = await db.select().from(rounds)

const LRI = '\u2066'
const FSI = '\u2068'
const PDI = '\u2069'

/** The mail as a person reads it: quoted-printable bytes decoded back into text. */
function decoded(raw: string): string {
  return Buffer.from(
    raw.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  )
    .toString('utf8')
    .replace(/\r\n/g, '\n')
}

t.test('a mail isolates the title, name and reference it quotes, so an Arabic sentence keeps its order', async (t) => {
  const [waiting] = await db
    .insert(proposals)
    .values({
      roundId: round!.id,
      reference: 'WB-2026-7',
      statusToken: `token-${'y'.repeat(36)}`,
      title: 'Zonnepanelen op De Kroon.',
      summary: 's',
      description: 'd',
      costCents: 500_000,
      track: 'social',
      themes: ['green'],
      contactName: 'Fatima',
      contactEmail: 'fatima@example.org',
      contactConsent: true,
      submittedAt: new Date(),
      waitingSince: new Date(),
      lang: 'ar',
    })
    .returning()
  const moderator = await signedIn(app, 'moderator')
  await moderator.get(`/official/proposals/${waiting!.id}`)
  const res = await moderator.post(`/official/proposals/${waiting!.id}/approve`, {})
  t.equal(res.statusCode, 303)
  await app.deliverMail()
  const mail = decoded(inbox.at(-1)!.raw)
  t.match(mail, `${FSI}Zonnepanelen op De Kroon.${PDI}`, 'the title keeps its full stop on its own side')
  t.match(mail, `${LRI}WB-2026-7${PDI}`, 'the reference reads left to right')
  t.match(mail, `${FSI}Fatima${PDI}`)
  const [stored] = await db.select().from(proposals).where(eq(proposals.id, waiting!.id))
  t.equal(stored!.title, 'Zonnepanelen op De Kroon.', 'only the mail carries the marks, not the data')
})

t.test("the letter's text isolates the round's name, the address, the code field and the phone number", async (t) => {
  const text = letterText(app.translate, round!, 'https://wijkbudget.example')
  t.match(text, `${FSI}${round!.title}${PDI}`)
  t.match(text, `${LRI}«code»${PDI}`)
  const arabic = text.split('\r\n').find((line) => line.startsWith('العربية'))
  t.match(arabic, `${LRI}https://wijkbudget.example/rounds/${round!.slug}/vote?lang=ar${PDI}`)
})
