import { randomInt } from 'node:crypto'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposals, rounds } from '../../../db/schema.js'
import { appendAudit } from '../../../server/data/audit.js'
import { findCode } from '../../../server/data/voting-codes.js'
import { castBallot } from '../../../server/data/ballots.js'
import { generateReceipt, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { demoRound } from '../../helpers/fixtures.js'
import { errorSummary, msg, pageTitle, parseHtml, words } from '../../helpers/html.js'
import { setPhase } from '../../helpers/voting.js'

const {
  db,
  round,
  roundId,
  byTitle,
  codes,
  officials,
  signedIn: as,
} = await demoRound(t, { phase: 'voting', codes: 3 })
const codesUrl = `/official/rounds/${roundId}/codes`

t.test('the round history names every action in words, never by its key', async (t) => {
  const admin = await as('admin')
  await admin.get(codesUrl)
  t.equal((await admin.post(codesUrl, { count: '4', group: '', qr: null })).statusCode, 200, 'a download')
  await appendAudit(db, {
    officialId: officials.admin.id,
    actor: officials.admin.email,
    action: 'round.something-new',
    object: `round:${roundId}`,
    details: {},
  })
  const doc = parseHtml((await admin.get(`/official/rounds/${roundId}`)).body)
  const actions = doc.querySelectorAll('.round-history > li strong').map(words)
  t.same(actions.slice(0, 2), ['Andere handeling', 'Stemcodes gemaakt'])
  t.match(words(doc.querySelector('.round-history')), 'Stemcodes gemaakt (4)', 'with how many codes')
  for (const action of actions) t.notMatch(action, /[a-z]\.[a-z]/, `"${action}" is no key such as codes.generate`)
})

t.test(
  'after a download the codes page counts the new codes by itself, asking again until they are there',
  async (t) => {
    const admin = await as('admin')
    const page = parseHtml((await admin.get(codesUrl)).body)
    const totals = page.querySelector('#code-totals')!
    const issued = Number(words(totals.querySelector('dd')))
    t.equal(totals.getAttribute('hx-get'), `${codesUrl}/totals`)
    t.equal(totals.getAttribute('hx-trigger'), 'submit from:body delay:2s', 'a submit on the page starts it')
    t.same(JSON.parse(totals.getAttribute('hx-vals')!), { before: String(issued), tries: '90' })
    t.equal(totals.getAttribute('hx-include'), '#count', 'it knows how many were asked for')
    t.equal(totals.parentNode!.getAttribute('aria-live'), 'polite', 'the new count is read out')

    const ask = async (count: string, tries = 5) =>
      parseHtml(
        (await admin.get(`${codesUrl}/totals?before=${issued}&tries=${tries}&count=${count}`, { 'hx-request': 'true' }))
          .body,
      )
    const waiting = (await ask('6')).querySelector('#code-totals')!
    t.equal(waiting.getAttribute('hx-trigger'), 'load delay:2s', 'the codes are not stored yet: ask again')
    t.same(JSON.parse(waiting.getAttribute('hx-vals')!), { before: String(issued), tries: '4' })
    t.equal(
      (await ask('6', 0)).querySelector('#code-totals')!.getAttribute('hx-trigger'),
      'submit from:body delay:2s',
      'it gives up after its tries',
    )

    await admin.post(codesUrl, { count: '6', group: '', qr: null })
    const done = (await ask('6')).querySelector('#code-totals')!
    t.equal(words(done.querySelector('dd')), String(issued + 6), 'the new count')
    t.equal(done.getAttribute('hx-trigger'), 'submit from:body delay:2s', 'and it waits for the next submit')
    const plain = await admin.get(`${codesUrl}/totals`)
    t.equal(plain.statusCode, 303, 'without htmx the whole page')
  },
)

t.test('every official form opens with an error summary linked to its fields', async (t) => {
  const admin = await as('admin')
  /** The summary names each wrong field by its label, before the message. */
  const check = (body: string, labels: string[], title: RegExp) => {
    const doc = parseHtml(body)
    const summary = errorSummary(doc)
    t.same(summary.problems, [], 'the summary and the fields agree')
    t.same(
      summary.links.map((link) => link.split(': ')[0]),
      labels,
    )
    t.match(pageTitle(doc), title)
  }
  await admin.get(codesUrl)
  check(
    (await admin.post(codesUrl, { count: 'veel', group: 'a@b', qr: 'yes' })).body,
    ['Aantal codes', 'Groep (niet verplicht)'],
    /^Fout: Stemcodes/,
  )
  await admin.get('/official/rounds/new')
  const round = parseHtml(
    (
      await admin.post('/official/rounds', {
        title: '',
        budget: 'veel',
        ballotFormat: 'knapsack',
        tallyRule: 'greedy',
        minSpendPercent: '0',
      })
    ).body,
  )
  t.same(errorSummary(round).problems, [])
  const hrefs = round.querySelectorAll('#error-summary a').map((a) => a.getAttribute('href'))
  t.same(hrefs.slice(0, 2), ['#title', '#neighbourhood'], 'in the order of the form')
  t.ok(hrefs.includes('#budget'))
  t.match(pageTitle(round), /^Fout: /)

  const waitingProposal = (await db.select().from(proposals).where(eq(proposals.status, 'submitted')))[0]!
  await setPhase(db, roundId, 'reviewing')
  const moderator = await as('moderator')
  await moderator.get(`/official/proposals/${waitingProposal.id}`)
  check(
    (await moderator.post(`/official/proposals/${waitingProposal.id}/reject`, { message: ' ' })).body,
    ['Reden (openbaar)'],
    /^Fout: /,
  )
  const reject = parseHtml(
    (await moderator.post(`/official/proposals/${waitingProposal.id}/reject`, { message: ' ' })).body,
  )
  t.equal(
    reject.querySelector('#error-summary a')!.getAttribute('href'),
    '#reject-message',
    "to the reject form's own field",
  )
  check(
    (
      await moderator.post(`/official/proposals/${waitingProposal.id}/correct-cost`, {
        cost: 'abc',
        message: 'Offerte',
      })
    ).body,
    [
      words(
        parseHtml((await moderator.get(`/official/proposals/${waitingProposal.id}`)).body).querySelector(
          'label[for=cost]',
        ),
      ),
    ],
    /^Fout: /,
  )

  await admin.get('/official/rounds/import')
  check(
    (await admin.post('/official/rounds/import', { tallyRule: 'greedy', pb: 'nonsense' })).body,
    ['Tekst van het .pb-bestand'],
    /^Fout: /,
  )
  await setPhase(db, roundId, 'voting')
  await admin.get(`/official/rounds/${roundId}/paper`)
  const paper = parseHtml((await admin.post(`/official/rounds/${roundId}/paper`, { code: 'nonsense' })).body)
  t.same(errorSummary(paper).problems, [])
  t.equal(paper.querySelector('#error-summary a')!.getAttribute('href'), '#code')
  t.match(pageTitle(paper), /^Fout: /)
})

t.test('after a moderation decision a link leads to the next proposal in the queue', async (t) => {
  await setPhase(db, roundId, 'reviewing')
  const waiting = await db.select().from(proposals).where(eq(proposals.status, 'submitted'))
  t.ok(waiting.length >= 2, 'the demo has a queue')
  const moderator = await as('moderator')
  const first = waiting.sort((a, b) => a.waitingSince!.getTime() - b.waitingSince!.getTime() || a.id - b.id)[0]!
  await moderator.get(`/official/proposals/${first.id}`)
  const res = await moderator.post(`/official/proposals/${first.id}/approve`, {})
  const doc = parseHtml((await moderator.get(String(res.headers.location))).body)
  const next = doc.querySelector('[role=status] a')!
  const rest = waiting
    .filter((p) => p.id !== first.id)
    .sort((a, b) => a.waitingSince!.getTime() - b.waitingSince!.getTime() || a.id - b.id)
  t.equal(next.getAttribute('href'), `/official/proposals/${rest[0]!.id}`, 'the oldest that still waits')
  t.equal(words(next), `Volgende idee in de wachtrij: ${rest[0]!.title}`)
})

t.test("the dashboard links to the import and shows each round's public address", async (t) => {
  const [draft] = await db
    .insert(rounds)
    .values({ slug: 'concept', title: 'Concept', neighbourhood: 'Wijk', budgetCents: 100_00 })
    .returning()
  const admin = await as('admin')
  const doc = parseHtml((await admin.get('/official')).body)
  t.ok(doc.querySelector('main a[href="/official/rounds/import"]'), 'the import is one click from the dashboard')
  const row = (id: number) => doc.querySelector(`a[href="/official/rounds/${id}"]`)!.parentNode!
  const address = `${TEST_CONFIG.publicUrl}/rounds/${round.slug}`
  t.equal(row(roundId).querySelector('.round-address a')!.getAttribute('href'), address)
  t.equal(words(row(roundId).querySelector('.round-address a')), address)
  t.equal(words(row(draft!.id).querySelector('.round-address')), 'Nog niet openbaar.', 'a draft has no public page yet')
  t.ok(doc.querySelectorAll('td.amount').length > 0, 'amounts are kept on one line')
})

t.test('progress updates are posted under their project', async (t) => {
  await setPhase(db, roundId, 'voting')
  const coaches = byTitle('Energiecoaches')
  for (const code of codes.slice(1)) {
    const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
    await castBallot(db, {
      roundId,
      codeId: found!.id,
      channel: 'online',
      projectIds: [coaches.id],
      receipt: generateReceipt(randomInt),
    })
  }
  await setPhase(db, roundId, 'closed')
  const admin = await as('admin')
  await admin.get(`/official/rounds/${roundId}/results`)
  t.equal((await admin.post(`/official/rounds/${roundId}/publish`, {})).statusCode, 303)
  await admin.get(`/official/rounds/${roundId}/progress`)
  const bad = parseHtml(
    (
      await admin.post(`/official/rounds/${roundId}/progress`, {
        proposal: String(coaches.id),
        status: 'planned',
        text: '',
        on: '',
      })
    ).body,
  )
  t.same(errorSummary(bad).problems, [])
  t.same(
    bad.querySelectorAll('#error-summary a').map((a) => a.getAttribute('href')),
    ['#text', '#on'],
  )
  await admin.post(`/official/rounds/${roundId}/progress`, {
    proposal: String(coaches.id),
    status: 'in_progress',
    text: 'Tien coaches opgeleid.',
    on: '2027-02-01',
  })
  const doc = parseHtml((await admin.get(`/official/rounds/${roundId}/progress`)).body)
  t.equal(words(doc.querySelector(`#project-${coaches.id} h2`)), coaches.title)
  t.equal(
    words(doc.querySelector(`#project-${coaches.id} .history li strong`)),
    msg('results.progress.status.in_progress'),
  )
})
