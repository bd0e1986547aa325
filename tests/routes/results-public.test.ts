import t from 'tap'
import { eq } from 'drizzle-orm'
import { parse as parseCsv } from 'csv-parse/sync'
import { results, votingCodes } from '../../db/schema.js'
import { addProgressUpdate } from '../../server/data/results.js'
import { castBallot, findCode } from '../../server/data/voting.js'
import { parsePb, pbTallyInput } from '../../server/domain/pabulib.js'
import { sha256 } from '../../server/domain/results.js'
import { tally, type TallyResult } from '../../server/domain/tally.js'
import { generateReceipt, hashCode, normaliseCode } from '../../server/domain/voting-code.js'
import { TEST_CONFIG } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { demoRound } from '../helpers/fixtures.js'
import { setPhase } from '../helpers/voting.js'

const { app, db, round, projects, byTitle, codes, officials: { admin }, signedIn } = await demoRound(t, {
  phase: 'voting', codes: 40, group: '3024', officials: ['admin'], ips: '10.7.0',
})
const { id: roundId, slug } = round
const id = (start: string) => byTitle(start).id
const choices = [
  [id('Energiecoaches'), id('Energiecafé')], [id('Energiecoaches'), id('Warmtescan')], [id('Isolatiehulp'), id('Zonnepanelen')],
  [id('Energiecoaches'), id('Energiecafé'), id('Buurtmoestuin')], [id('Isolatiehulp')],
]
for (const [i, code] of codes.entries()) {
  const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
  await castBallot(db, { roundId, codeId: found!.id, channel: i % 8 === 0 ? 'paper' : 'online', projectIds: choices[i % choices.length]!, receipt: generateReceipt() })
}
const lost = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(codes[0]!)!))
await db.update(votingCodes).set({ revokedAt: new Date() }).where(eq(votingCodes.id, lost!.id))
await setPhase(db, roundId, 'closed')

const PAGES = ['results', 'results.csv', 'results.json', 'ballots.pb'].map((p) => `/rounds/${slug}/${p}`)
const plain = (html: string) => html.replace(/\u00a0/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ')

t.test('before publication the results and open data do not exist, not even for a signed-in admin', async (t) => {
  const adminVisitor = await signedIn('admin')
  for (const url of PAGES) {
    t.equal((await new Visitor(app).get(url)).statusCode, 404, `${url} for a resident`)
    const res = await adminVisitor.get(url)
    t.equal(res.statusCode, 404, `${url} for an admin`)
    t.match(res.body, 'Deze pagina bestaat niet')
  }
  t.notMatch((await new Visitor(app).get(`/rounds/${slug}`)).body, `/rounds/${slug}/results"`, 'the round page has no results link yet')
  t.equal((await new Visitor(app).get('/rounds/does-not-exist/results')).statusCode, 404)
  t.equal((await db.select().from(results)).length, 0)
})

t.test('after publication everyone sees the funded projects with votes, cost, reasons, chart and totals', async (t) => {
  const adminVisitor = await signedIn('admin')
  await adminVisitor.get(`/official/rounds/${roundId}/results`)
  t.equal((await adminVisitor.post(`/official/rounds/${roundId}/publish`, {})).statusCode, 303)
  const [stored] = await db.select().from(results)
  const outcome = stored!.outcome as unknown as TallyResult
  const funded = projects.filter((p) => outcome.selected.includes(String(p.id)))
  t.ok(funded.length > 0)

  const res = await new Visitor(app).get(`/rounds/${slug}/results`)
  t.equal(res.statusCode, 200)
  const body = plain(res.body)
  t.match(body, `Gekozen projecten (${funded.length})`)
  for (const p of funded) t.match(body, new RegExp(`<h3 class="card__title"><a href="/proposals/${p.reference}">${p.title}</a></h3>`), `${p.title} is listed as funded`)
  t.match(body, 'Er zijn 39 geldige stemmen geteld', 'the revoked code\'s ballot is not counted')
  t.match(body, /voorstanders betaalden elk hoogstens/, 'each project says why')
  t.match(body, `<dt>Besteed</dt><dd>€ ${(outcome.totalCost / 100).toLocaleString('nl-NL')}</dd>`)
  t.match(body, /<svg role="img" aria-labelledby="votes-chart-title votes-chart-desc"/, 'the chart is an image with a name and a description')
  t.match(body, '<title id="votes-chart-title">Stemmen per project</title>')
  t.equal((res.body.match(/<rect /g) ?? []).length, projects.length, 'one bar per project')
  t.notMatch(res.body, /style=/, 'no inline style: the CSP forbids it')
  t.notMatch(res.body, /<script>/)
  t.match(body, /<div class="visually-hidden"> <table> <caption>Stemmen per project<\/caption>/, 'the same numbers as a table for screen readers')
  for (const p of projects) t.match(body, new RegExp(`<tr><th scope="row">${p.title}</th><td>\\d+</td>`), `${p.title} in the table`)
  t.match(body, `Niet gekozen projecten (${projects.length - funded.length})`)
  t.match(body, 'Paste niet meer: er was nog', 'a project that was not funded says why')
  const kwh = funded.reduce((sum, p) => sum + (p.kwhPerYear ?? 0), 0)
  t.match(body, `${kwh.toLocaleString('nl-NL')} kWh`, 'the funded projects\' energy savings add up')
  t.match(body, 'Een project met meer thema\'s telt bij elk van die thema\'s helemaal mee')
  t.match(body, 'Gelijke delen: elke stemmer heeft een even groot deel van het budget')
  t.equal(outcome.ties.length, 1, 'the demo votes hold one tie')
  t.match(body, 'Gelijke delen: tussen Buurtmoestuin met regenton, Warmtescan van 200 woningen ging ‘Buurtmoestuin met regenton’ voor', 'the broken tie is named')
  t.match(body, '<caption>Geld per soort project</caption>')
  t.match(body, '<tfoot><tr><th scope="row">Totaal</th><td>€ 80.000</td>')
  t.match(body, stored!.ballotsSha256)
  t.match(body, `npm run tally -- ${slug}-ballots.pb --rule equal-shares`)
  t.match((await new Visitor(app).get(`/rounds/${slug}`)).body, `<a href="/rounds/${slug}/results">Bekijk de uitslag</a>`, 'the round page links to the results')
})

t.test('the results as CSV and as JSON hold the same projects, votes, funding and reasons as the frozen result', async (t) => {
  const [stored] = await db.select().from(results)
  const outcome = stored!.outcome as unknown as TallyResult
  const csv = await new Visitor(app).get(`/rounds/${slug}/results.csv`)
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.match(csv.headers['content-disposition'], `attachment; filename="${slug}-results.csv"`)
  const rows = parseCsv(csv.body, { columns: true }) as Record<string, string>[]
  t.equal(rows.length, projects.length)
  for (const project of outcome.projects) {
    const row = rows.find((r) => r.project_id === project.id)!
    t.same([Number(row.votes), row.funded, Number(row.cost_cents), row.reason_kind], [project.votes, String(project.funded), project.cost, project.reason.kind], `project ${project.id}`)
    t.equal(row.cost_euros, (project.cost / 100).toFixed(2))
    t.ok(row.reason!.length > 10 && !row.reason!.startsWith('results.reason'), 'the reason in plain words')
  }

  const json = await new Visitor(app).get(`/rounds/${slug}/results.json?lang=en`)
  t.equal(json.statusCode, 200)
  const data = JSON.parse(json.body)
  t.match(data, {
    round: { slug, budget_cents: round!.budgetCents, ballot_format: 'knapsack' },
    rule: 'equal-shares', ballot_count: 39, ballots_sha256: stored!.ballotsSha256, software_version: stored!.softwareVersion,
    total_cost_cents: outcome.totalCost, language: 'en', published_at: stored!.publishedAt.toISOString(),
  })
  t.same(data.projects.filter((p: { funded: boolean }) => p.funded).map((p: { project_id: number }) => String(p.project_id)).sort(), [...outcome.selected].sort())
  t.match(data.projects[0].reason, /supporters|Funded/, 'reasons in English when asked')
  t.equal((await new Visitor(app).get(`/rounds/${slug}/results.csv?lang=fr`)).statusCode, 400, 'an unknown language is refused, not a 500')
})

t.test('the anonymised ballots download as the frozen .pb text; its hash is the published one and a recount gives the same winners', async (t) => {
  const [stored] = await db.select().from(results)
  const res = await new Visitor(app).get(`/rounds/${slug}/ballots.pb`)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(res.headers['content-disposition'], `attachment; filename="${slug}-ballots.pb"`)
  t.equal(res.body, stored!.ballotsPb)
  t.equal(sha256(res.body), stored!.ballotsSha256)
  const recount = tally(pbTallyInput(parsePb(res.body)), stored!.rule)
  t.same([...recount.selected].sort(), [...(stored!.outcome as unknown as TallyResult).selected].sort())
  t.notMatch(res.body, codes[1]!, 'no voting codes in it')
})

t.test('progress on a funded project shows on the results page and on the project\'s own page', async (t) => {
  const [stored] = await db.select().from(results)
  const fundedId = Number((stored!.outcome as unknown as TallyResult).selected[0])
  await addProgressUpdate(db, { proposalId: fundedId, status: 'done', text: 'De <coaches> zijn aan het werk.', on: '2027-03-01', official: { id: admin.id, email: 'admin@example.test' } })
  const page = plain((await new Visitor(app).get(`/rounds/${slug}/results`)).body)
  t.match(page, '<strong>Klaar</strong> <span class="muted">1 maart 2027</span><p class="history__message">De &lt;coaches&gt; zijn aan het werk.</p>')
  const reference = projects.find((p) => p.id === fundedId)!.reference
  const detail = plain((await new Visitor(app).get(`/proposals/${reference}`)).body)
  t.match(detail, '<h2>Voortgang van gekozen projecten</h2>')
  t.match(detail, 'De &lt;coaches&gt; zijn aan het werk.')
})

t.test('the results page reads in English too', async (t) => {
  const visitor = new Visitor(app)
  await visitor.get('/language/en?next=/')
  const body = plain((await visitor.get(`/rounds/${slug}/results`)).body)
  t.match(body, '<h1>Results</h1>')
  t.match(body, 'A project with several themes counts in full')
  t.notMatch(body, /outcome\.|results\.reason/, 'no untranslated keys')
})
