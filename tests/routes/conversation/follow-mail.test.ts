import t from 'tap'
import { eq } from 'drizzle-orm'
import { comments, follows, outbox, proposals, rounds } from '../../../db/schema.js'
import { seedDemo } from '../../../server/data/demo.js'
import { Visitor } from '../../helpers/client.js'
import { createOfficials, signedIn } from '../../helpers/officials.js'
import { appWithInbox } from '../../helpers/smtp.js'
import { setPhase } from '../../helpers/voting.js'

// A resident who asks with an e-mail address hears of the answer, through a real SMTP server, in their language.
const { app, db, inbox, smtp } = await appWithInbox(t)
await seedDemo(db)
await createOfficials(db, ['moderator'])
const [round] = await db.select().from(rounds)
await setPhase(db, round!.id, 'proposing')
const [proposal] = await db.select().from(proposals).where(eq(proposals.roundId, round!.id)).orderBy(proposals.id)
const page = `/proposals/${proposal!.reference}`
const plain = (raw: string) => raw.replace(/[\u2066-\u2069]/g, '')

t.test(
  'asking with an address: confirm first, then the decision and the answer arrive; nothing is lost while the mail server is down',
  async (t) => {
    const resident = new Visitor(app)
    await resident.get(`${page}/conversation/new?kind=question`)
    const asked = await resident.post(`${page}/conversation`, {
      kind: 'question',
      text: 'Hoe hoog wordt de nieuwe meter?',
      lang: 'en',
      email: 'Resident@Example.test',
    })
    t.equal(asked.statusCode, 303)
    const [question] = await db.select().from(comments).where(eq(comments.text, 'Hoe hoog wordt de nieuwe meter?'))
    const [follow] = await db.select().from(follows).where(eq(follows.commentId, question!.id))
    t.match(follow, { email: 'Resident@Example.test', lang: 'en', confirmedAt: null })

    await app.deliverMail()
    t.equal(inbox.length, 1, 'only the confirmation before the address is confirmed')
    t.match(inbox[0]!.raw, `/follow/${follow!.token}/confirm`)
    t.equal((await resident.get(`/follow/${follow!.token}/confirm`)).statusCode, 200)

    // The mail server goes down while the moderator and the municipality answer.
    await smtp.stop()
    const moderator = await signedIn(app, 'moderator@example.test')
    await moderator.get(`/official/comments/${question!.id}`)
    t.equal((await moderator.post(`/official/comments/${question!.id}/publish`, {})).statusCode, 303)
    t.equal(
      (
        await moderator.post(`/official/comments/${question!.id}/answer`, {
          text: 'Zie https://example.test/meter.',
          lang: 'nl',
        })
      ).statusCode,
      303,
    )
    await app.deliverMail()
    t.equal(inbox.length, 1, 'nothing delivered while the server is down')

    await smtp.start()
    // Failed tries wait for their back-off; a later pass after it finds them due.
    await db.update(outbox).set({ nextAttemptAt: new Date(Date.now() - 1000) })
    await app.deliverMail()
    const later = inbox.slice(1).filter((m) => m.to.some((to) => to.toLowerCase() === 'resident@example.test'))
    t.equal(later.length, 2, 'the decision and the answer, each once')
    const text = later.map((m) => plain(m.raw)).join('\n')
    t.match(text, /List-Unsubscribe:\s+<http[^>]+\/follow\/[\w-]+\/unsubscribe>/)
    t.notMatch(text, 'moderator@example.test', 'no official’s address')
  },
)
