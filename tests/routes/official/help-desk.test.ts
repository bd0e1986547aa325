import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, rounds } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId, codes, signedIn } = await demoRound(t, { phase: 'voting', codes: 3 })
const slug = round.slug

/** The help desk box of a page, or '' when it has none. */
const desk = (html: string) => /<aside class="help-desk"[\s\S]*?<\/aside>/.exec(html)?.[0] ?? ''

t.test(
  'the demo help desk is on the round page, the code page, every voter error, the ballot and the receipt, with a tel: link',
  async (t) => {
    const resident = new Visitor(app)
    const pages: [string, string][] = []
    pages.push(['round page', (await resident.get(`/rounds/${slug}`)).body])
    pages.push(['code page', (await resident.get(`/rounds/${slug}/vote`)).body])
    pages.push(['unknown code', (await resident.post(`/rounds/${slug}/vote`, { code: 'AAAA-BBBB-CCCC-DDDD' })).body])
    await resident.post(`/rounds/${slug}/vote`, { code: codes[0]! })
    pages.push(['ballot', (await resident.get(`/rounds/${slug}/vote/ballot`)).body])
    const cast = await resident.post(`/rounds/${slug}/vote/ballot`, { projects: [], intent: 'submit' })
    pages.push(['empty ballot refused', cast.body])
    for (const [name, html] of pages) {
      const box = desk(html)
      t.match(box, '<a href="tel:0101234567" dir="ltr">010 - 123 45 67</a>', name)
      t.match(box, 'mailto:hulp@wijkbudget.test', name)
      t.match(box, '<span lang="tr">Türkçe</span>', name)
    }
  },
)

t.test('the receipt and the closed page show the help desk too', async (t) => {
  const resident = new Visitor(app)
  await resident.get(`/rounds/${slug}/vote`)
  await resident.post(`/rounds/${slug}/vote`, { code: codes[1]! })
  const entered = await resident.post(`/rounds/${slug}/vote`, { code: codes[1]! })
  t.equal(entered.statusCode, 303, entered.body.slice(0, 3000))
  const ballotPage = await resident.get(`/rounds/${slug}/vote/ballot`)
  const project = /name="projects" value="(\d+)"/.exec(ballotPage.body)![1]!
  const cast = await resident.post(`/rounds/${slug}/vote/ballot`, { projects: [project], intent: 'submit' })
  t.equal(cast.statusCode, 303)
  t.match(desk((await resident.get(String(cast.headers.location))).body), 'tel:0101234567')
  await setPhase(db, roundId, 'closed')
  const closed = await new Visitor(app).get(`/rounds/${slug}/vote`)
  t.equal(closed.statusCode, 409)
  t.match(desk(closed.body), 'tel:0101234567')
  await setPhase(db, roundId, 'voting')
})

t.test('an admin sets the help desk; the change is audited and residents see it', async (t) => {
  const admin = await signedIn('admin')
  const form = await admin.get(`/official/rounds/${roundId}/help-desk`)
  t.equal(form.statusCode, 200)
  t.match(form.body, 'value="010 - 123 45 67"')
  const saved = await admin.post(`/official/rounds/${roundId}/help-desk`, {
    phone: '+31 (0)10 987 65 43',
    email: '',
    address: 'Buurthuis, Schiedamseweg 2',
    hours: 'di 10–12',
    languages: ['pl', 'ar'],
    otherLanguages: '',
  })
  t.equal(saved.statusCode, 303)
  const box = desk((await new Visitor(app).get(`/rounds/${slug}`)).body)
  t.match(box, 'href="tel:+31109876543"')
  t.match(box, '<span lang="ar">العربية</span>, <span lang="pl">Polski</span>', 'in the order of the language list')
  t.notMatch(box, 'mailto:')
  const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'helpdesk.edit'))
  t.equal(entry?.object, `round:${roundId}`)
  t.match(entry?.details, { new: { phone: '+31 (0)10 987 65 43' } })
})

t.test('a help desk without a usable phone number is refused with the typed input and nothing changes', async (t) => {
  const admin = await signedIn('admin')
  await admin.get(`/official/rounds/${roundId}/help-desk`)
  const before = await db.select({ helpDesk: rounds.helpDesk }).from(rounds).where(eq(rounds.id, roundId))
  for (const [phone, email] of [
    ['', 'hulp@example.org'],
    ['bel ons', ''],
    ['010 123', 'geen-adres'],
    ['010 123', 'hulp@wijkbudget.test?bcc=spy@evil.test&subject=hallo'],
    ['010 123', 'hulp@wijkbudget.test?bcc=spy%40evil.test'],
    ['010 123', 'hulp@wijkbudget.test%0D%0ABcc:spy@evil.test'],
    ['010 123', 'hulp%0Abcc@wijkbudget.test'],
    ['010 123', 'hulp@wijkbudget.test#x'],
  ]) {
    const res = await admin.post(`/official/rounds/${roundId}/help-desk`, {
      phone: phone!,
      email: email!,
      address: 'Hier',
      hours: '',
      otherLanguages: '',
    })
    t.equal(res.statusCode, 422, `${phone} ${email}`)
    t.match(res.body, 'aria-invalid="true"')
    t.match(res.body, 'value="Hier"')
  }
  t.same(await db.select({ helpDesk: rounds.helpDesk }).from(rounds).where(eq(rounds.id, roundId)), before)
})

t.test('only admins edit the help desk', async (t) => {
  const moderator = await signedIn('moderator')
  t.equal((await moderator.get(`/official/rounds/${roundId}/help-desk`)).statusCode, 403)
  t.equal((await moderator.post(`/official/rounds/${roundId}/help-desk`, { phone: '010' })).statusCode, 403)
  t.equal((await new Visitor(app).post(`/official/rounds/${roundId}/help-desk`, { phone: '010' })).statusCode, 403)
})

t.test(
  'the paper ballot lists every project with its cost and a box, the budget rule and the help desk, in the chosen language',
  async (t) => {
    const res = await new Visitor(app).get(`/rounds/${slug}/paper-ballot/tr`)
    t.equal(res.statusCode, 200)
    t.match(res.body, '<html lang="tr" dir="ltr">')
    const ballot = await db.select().from(rounds).where(eq(rounds.id, roundId))
    const rows = res.body.match(/<span class="paper-ballot__box"/g) ?? []
    const projects = /<tbody>([\s\S]*?)<\/tbody>/.exec(res.body)![1]!
    t.equal(rows.length, (projects.match(/<tr>/g) ?? []).length)
    t.ok(rows.length >= 5, 'one box per project on the ballot')
    t.match(projects.replace(/\u00a0/g, ' '), '€18.000')
    t.match(res.body.replace(/\u00a0/g, ' '), 'Toplam maliyeti €100.000')
    t.match(res.body, 'class="help-desk"')
    t.ok(ballot.length === 1)
    const arabic = await new Visitor(app).get(`/rounds/${slug}/paper-ballot/ar`)
    t.match(arabic.body, '<html lang="ar" dir="rtl">')
  },
)

t.test('an official prints a ballot in another language without changing their own', async (t) => {
  const admin = await signedIn('admin')
  const show = await admin.get(`/official/rounds/${roundId}`)
  for (const lang of ['nl', 'en', 'tr', 'ar', 'pl', 'pt'])
    t.match(show.body, `href="/rounds/${slug}/paper-ballot/${lang}"`)
  await admin.get(`/rounds/${slug}/paper-ballot/pl`)
  t.match((await admin.get('/official')).body, '<html lang="nl"')
  t.equal(admin.cookie('lang'), undefined)
})

t.test('there is no paper ballot before the projects are known, nor for a draft', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const early = await new Visitor(app).get(`/rounds/${slug}/paper-ballot`)
  t.equal(early.statusCode, 303)
  await setPhase(db, roundId, 'draft')
  t.equal((await new Visitor(app).get(`/rounds/${slug}/paper-ballot`)).statusCode, 404)
  t.equal((await new Visitor(app).get(`/rounds/${slug}/paper-ballot/xx`)).statusCode, 400)
  await setPhase(db, roundId, 'voting')
})

t.test('an empty form removes the help desk, and pages show none', async (t) => {
  const admin = await signedIn('admin')
  await admin.get(`/official/rounds/${roundId}/help-desk`)
  const res = await admin.post(`/official/rounds/${roundId}/help-desk`, {
    phone: '',
    email: '',
    address: '',
    hours: '',
    otherLanguages: '',
  })
  t.equal(res.statusCode, 303)
  t.equal(desk((await new Visitor(app).get(`/rounds/${slug}`)).body), '')
})
