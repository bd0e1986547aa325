import t from 'tap'
import { eq } from 'drizzle-orm'
import { ballots, rounds } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { errorSummary, pageTitle, parseHtml, words, msg } from '../../helpers/html.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId, byTitle, nextCode } = await demoRound(t, { phase: 'voting', codes: 20, officials: [] })
const slug = round.slug
const ROUND = round.title
const insulation = byTitle('Isolatiehulp')
const solar = byTitle('Zonnepanelen')
const coaches = byTitle('Energiecoaches')
const cafe = byTitle('Energiecafé')
const heatScan = byTitle('Warmtescan')
const garden = byTitle('Buurtmoestuin')

async function residentWithCode() {
  const v = new Visitor(app)
  await v.get(`/rounds/${slug}/vote`)
  await v.post(`/rounds/${slug}/vote`, { code: nextCode() })
  await v.get(`/rounds/${slug}/vote/ballot`)
  return v
}
const ballotCount = async () => (await db.select().from(ballots)).length
const tick = (
  v: Visitor,
  chosen: { id: number }[],
  form: Record<string, string> = {},
  headers: Record<string, string> = {},
) => v.post(`/rounds/${slug}/vote/ballot`, { projects: chosen.map((p) => String(p.id)), ...form }, headers)

t.test('page titles say what the page is before the round it belongs to', async (t) => {
  const v = new Visitor(app)
  t.equal(pageTitle(parseHtml((await v.get(`/rounds/${slug}/vote`)).body)), `Stemcode invullen – ${ROUND}`)
  t.equal(
    pageTitle(parseHtml((await v.post(`/rounds/${slug}/vote`, { code: '' })).body)),
    `Fout: Stemcode invullen – ${ROUND}`,
  )
  const resident = await residentWithCode()
  t.equal(
    pageTitle(parseHtml((await resident.get(`/rounds/${slug}/vote/ballot`)).body)),
    `Kies uw projecten – ${ROUND}`,
  )
  t.equal(
    pageTitle(parseHtml((await tick(resident, [], { intent: 'submit' })).body)),
    `Fout: Kies uw projecten – ${ROUND}`,
  )
  t.equal(pageTitle(parseHtml((await v.get('/receipts')).body)), 'Bewijs van stemmen')
  t.equal(pageTitle(parseHtml((await v.get('/receipts/AAAAA-BBBBB')).body)), 'Bewijs van stemmen niet gevonden')
  t.equal(pageTitle(parseHtml((await v.get('/no/such/page')).body)), 'Deze pagina bestaat niet')
  t.equal(pageTitle(parseHtml((await v.get('/')).body)), 'Wijkbudgetten')
  await setPhase(db, roundId, 'closed')
  t.equal(pageTitle(parseHtml((await v.get(`/rounds/${slug}/vote`)).body)), `Stemmen gesloten – ${ROUND}`)
  await setPhase(db, roundId, 'reviewing')
  t.equal(pageTitle(parseHtml((await v.get(`/rounds/${slug}/vote`)).body)), `Stemmen nog niet begonnen – ${ROUND}`)
  await setPhase(db, roundId, 'voting')
})

t.test(
  'a project that no longer fits stays reachable: aria-disabled with its reason, and the live region counts it',
  async (t) => {
    const v = await residentWithCode()
    const res = await tick(v, [insulation, solar, coaches, cafe], {}, { 'hx-request': 'true' })
    const doc = parseHtml(res.body)
    const box = doc.querySelector(`#project-${heatScan.id}`)!
    t.notOk(box.hasAttribute('disabled'), 'never disabled: it stays in the tab order and is read out')
    t.equal(box.getAttribute('aria-disabled'), 'true')
    const reason = doc.querySelector(`#${box.getAttribute('aria-describedby')}`)
    t.equal(words(reason), 'Past niet meer: u komt € 2.000 tekort. Haal eerst een ander project weg.')
    t.notOk(
      doc.querySelector(`#project-${garden.id}`)!.hasAttribute('aria-disabled'),
      'the garden (€ 6.000) still fits',
    )
    const blocked = doc.querySelectorAll('input[aria-disabled="true"]').length
    t.ok(blocked > 0)
    t.equal(
      words(doc.querySelector('#ballot-announce')),
      `Gekozen: € 92.500. Nog over: € 7.500. Projecten die niet meer passen: ${blocked}.`,
    )
  },
)

t.test('over budget shows in words and a mark, not colour alone, and the server still refuses it', async (t) => {
  const v = await residentWithCode()
  const over = parseHtml(
    (await tick(v, [insulation, solar, coaches, cafe, heatScan], {}, { 'hx-request': 'true' })).body,
  )
  t.ok(over.querySelector('.meter')!.classList.contains('meter--over'), 'the meter changes shape (a dashed edge)')
  t.equal(words(over.querySelector('.meter__over')), '! Boven het budget: € 2.000 te veel')
  t.equal(
    over.querySelector('.meter__icon')!.getAttribute('aria-hidden'),
    'true',
    'the mark is shape; the words are what is read',
  )
  t.match(words(over.querySelector('#ballot-announce')), 'Boven het budget: € 2.000 te veel.')
  const before = await ballotCount()
  const refused = await tick(v, [insulation, solar, coaches, cafe, heatScan], { intent: 'submit' })
  t.equal(refused.statusCode, 422)
  t.equal(await ballotCount(), before, 'nothing stored')
})

t.test(
  'approval without JavaScript: "check my choice" with too many ticks says at the top how many too many',
  async (t) => {
    await db.update(rounds).set({ ballotFormat: 'approval', maxChoices: 2 }).where(eq(rounds.id, roundId))
    t.teardown(() =>
      db.update(rounds).set({ ballotFormat: 'knapsack', maxChoices: null }).where(eq(rounds.id, roundId)),
    )
    const v = await residentWithCode()
    const res = await tick(v, [coaches, cafe, solar, garden], { intent: 'check' })
    t.equal(res.statusCode, 200)
    const doc = parseHtml(res.body)
    const { links, problems } = errorSummary(doc)
    t.same(problems, [])
    t.same(links, ['U heeft 4 projecten gekozen, maar u mag er hoogstens 2 kiezen. Haal er 2 weg.'])
    const form = doc.querySelector('#ballot')!
    t.ok(
      form.innerHTML.indexOf('error-summary') < form.innerHTML.indexOf('<fieldset'),
      'the summary comes before the projects',
    )
    t.equal(words(doc.querySelector('.meter')), '4 van 2 gekozen · ! 2 te veel gekozen')
    t.equal(doc.querySelectorAll('#ballot input[type=checkbox][checked]').length, 4, 'the ticks are kept to correct')
    const fine = parseHtml((await tick(v, [coaches, cafe], { intent: 'check' })).body)
    t.equal(fine.querySelector('#error-summary'), null, 'a choice within the rules shows no errors')
    t.equal(await ballotCount(), 0, 'checking stores nothing')
  },
)

t.test('a wrong code: focus goes to a summary that links to the field, which is marked and described', async (t) => {
  const v = new Visitor(app)
  await v.get(`/rounds/${slug}/vote`)
  const doc = parseHtml((await v.post(`/rounds/${slug}/vote`, { code: 'ABCD-EFGH-JKMN-PQRS' })).body)
  const { links, problems } = errorSummary(doc)
  t.same(problems, [])
  t.same(links, [msg('vote.codeUnknown')])
  t.equal(doc.querySelector('#error-summary a')!.getAttribute('href'), '#code')
  t.equal(doc.querySelector('#code')!.getAttribute('aria-invalid'), 'true')
  const src = doc.querySelector('#error-summary ~ script')?.getAttribute('src') ?? ''
  t.match(src, /^\/static\/error-summary\.js\?v=/, 'a static script moves focus where autofocus is ignored')
  const script = await app.inject(src)
  t.equal(script.statusCode, 200)
  t.match(script.body, "getElementById('error-summary')")
})

t.test(
  'the receipt links back to the round and says that changing the ballot keeps the same receipt code',
  async (t) => {
    const v = await residentWithCode()
    const cast = await tick(v, [cafe], { intent: 'submit' })
    const doc = parseHtml((await v.get(String(cast.headers.location))).body)
    const back = doc.querySelectorAll(`main a[href="/rounds/${slug}"]`)
    t.ok(
      back.some((a) => words(a) === `Terug naar ${ROUND}`),
      'a link back to the round',
    )
    t.ok(doc.querySelectorAll('main p').some((p) => words(p).includes('Uw bewijs van stemmen houdt dezelfde code.')))
    const unknown = parseHtml((await v.get('/receipts?receipt=nonsense')).body)
    t.same(errorSummary(unknown).problems, [])
    t.equal(unknown.querySelector('#receipt')!.getAttribute('aria-invalid'), 'true')
  },
)

t.test('the accessibility statement follows the government model and every page links to it', async (t) => {
  const v = new Visitor(app)
  const res = await v.get('/toegankelijkheid')
  t.equal(res.statusCode, 200)
  const doc = parseHtml(res.body)
  t.equal(words(doc.querySelector('h1')), 'Toegankelijkheidsverklaring')
  const headings = doc.querySelectorAll('main h2').map(words)
  t.same(headings, [
    'Over welke pagina’s gaat dit?',
    'Status: eerste maatregelen genomen',
    'Wat we getest hebben, en hoe',
    'Wat we nog niet getest hebben',
    'Wat nog niet goed gaat',
    'Contact',
  ])
  t.match(words(doc.querySelector('main')), 'axe-core', 'it says which tool tested it')
  t.match(words(doc.querySelector('main')), 'Met schermlezers', 'and what was not tested')
  const en = await v.get('/language/en?next=/toegankelijkheid')
  t.equal(en.statusCode, 303)
  t.equal(words(parseHtml((await v.get('/toegankelijkheid')).body).querySelector('h1')), 'Accessibility statement')
  const resident = new Visitor(app)
  for (const path of ['/', `/rounds/${slug}`, `/rounds/${slug}/vote`, '/receipts', '/login', '/nowhere']) {
    const page = parseHtml((await resident.get(path)).body)
    t.equal(
      page.querySelector('footer a[href="/toegankelijkheid"]')?.textContent,
      'Toegankelijkheid',
      `${path} links to the statement`,
    )
  }
})
