import { randomInt } from 'node:crypto'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { parse as parseCsv } from 'csv-parse/sync'
import { progressUpdates, results, rounds, votingCodes } from '../../../db/schema.js'
import { translateText } from '../../../server/usecases/translations.js'
import { postUpdate } from '../../helpers/progress.js'
import { findCode } from '../../../server/data/voting-codes.js'
import { castBallot } from '../../../server/data/ballots.js'
import { parsePb, pbTallyInput } from '../../../server/domain/pabulib/read.js'
import { sha256 } from '../../../server/domain/common/digest.js'
import { formatDateTime } from '../../../server/formatters.js'
import { tally, type TallyResult } from '../../../server/domain/tally/tally.js'
import { generateReceipt, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg, msgPattern } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { setPhase } from '../../helpers/voting.js'

const {
  app,
  db,
  round,
  projects,
  byTitle,
  codes,
  officials: { admin },
  signedIn,
} = await demoRound(t, {
  phase: 'voting',
  codes: 40,
  group: '3024',
  officials: ['admin'],
})
const { id: roundId, slug } = round
const id = (start: string) => byTitle(start).id
const choices = [
  [id('Energiecoaches'), id('Energiecafé')],
  [id('Energiecoaches'), id('Warmtescan')],
  [id('Isolatiehulp'), id('Zonnepanelen')],
  [id('Energiecoaches'), id('Energiecafé'), id('Buurtmoestuin')],
  [id('Isolatiehulp')],
]
for (const [i, code] of codes.entries()) {
  const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
  await castBallot(db, {
    roundId,
    codeId: found!.id,
    channel: i % 8 === 0 ? 'paper' : 'online',
    projectIds: choices[i % choices.length]!,
    receipt: generateReceipt(randomInt),
  })
}
const lost = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(codes[0]!)!))
await db.update(votingCodes).set({ revokedAt: new Date() }).where(eq(votingCodes.id, lost!.id))
await setPhase(db, roundId, 'closed')

const PAGES = ['results', 'results.csv', 'results.json', 'ballots.pb']

let publishing: Promise<void> | undefined
/** The admin publishes the demo round's result; once, by whichever subtest needs it first. */
function published() {
  publishing ??= (async () => {
    const adminVisitor = await signedIn('admin')
    await adminVisitor.get(`/official/rounds/${roundId}/results`)
    const res = await adminVisitor.post(`/official/rounds/${roundId}/publish`, {})
    if (res.statusCode !== 303) throw new Error(`publishing answered ${res.statusCode}`)
  })()
  return publishing
}
const stored = async () => {
  await published()
  const [row] = await db.select().from(results).where(eq(results.roundId, roundId))
  return { row: row!, outcome: row!.outcome as TallyResult }
}
/** Several texts one after the other, each in any of its plural forms. */
const sentences = (...keys: string[]) =>
  new RegExp(`^${keys.map((key) => msgPattern(key).source.slice(1, -1)).join(' ')}$`)
const cardTitles = (cards: ReturnType<typeof html>['root'] | null | undefined) =>
  cards?.querySelectorAll('.card__title a').map((a) => a.text) ?? []

t.test('before publication the results and open data do not exist, not even for a signed-in admin', async (t) => {
  const [closed] = await db
    .insert(rounds)
    .values({
      slug: 'gesloten',
      title: 'Gesloten maar niet gepubliceerd',
      neighbourhood: 'Noord',
      budgetCents: 1_000_00,
      phase: 'closed',
    })
    .returning()
  const adminVisitor = await signedIn('admin')
  for (const url of PAGES.map((p) => `/rounds/${closed!.slug}/${p}`)) {
    t.equal((await new Visitor(app).get(url)).statusCode, 404, `${url} for a resident`)
    const res = await adminVisitor.get(url)
    t.equal(res.statusCode, 404, `${url} for an admin`)
    t.equal(html(res).text('h1'), msg('errors.notFound'))
  }
  t.notOk(
    html(await new Visitor(app).get(`/rounds/${closed!.slug}`)).links.includes(`/rounds/${closed!.slug}/results`),
    'the round page has no results link yet',
  )
  t.equal((await new Visitor(app).get('/rounds/does-not-exist/results')).statusCode, 404)
  t.equal((await db.select().from(results).where(eq(results.roundId, closed!.id))).length, 0)
})

t.test('after publication everyone sees the funded projects with votes, cost, reasons, chart and totals', async (t) => {
  const { row, outcome } = await stored()
  const funded = projects.filter((p) => outcome.selected.includes(String(p.id)))
  t.ok(funded.length > 0)

  const res = await new Visitor(app).get(`/rounds/${slug}/results`)
  t.equal(res.statusCode, 200)
  const page = html(res)
  const [fundedCards, notFundedCards] = page.all('main > ul.cards')
  const headings = page.texts('main > h2')
  t.ok(headings.includes(msg('outcome.fundedHeading', { count: funded.length })))
  t.same(cardTitles(fundedCards).sort(), funded.map((p) => p.title).sort(), 'the funded projects are listed')
  t.same(
    fundedCards!.querySelectorAll('.card__title').map((title) => title.getAttribute('lang')),
    funded.map(() => 'nl'),
    'each title carries the language it was written in',
  )
  t.same(
    fundedCards!
      .querySelectorAll('.card__title a')
      .map((a) => a.getAttribute('href'))
      .sort(),
    funded.map((p) => `/proposals/${p.reference}`).sort(),
  )
  t.equal(
    page.text('.lead'),
    msg('outcome.intro', { at: formatDateTime(row.publishedAt, 'nl'), count: 39 }),
    "the revoked code's ballot is not counted",
  )
  for (const card of fundedCards!.querySelectorAll('.card')) {
    t.match(card.querySelector('p')?.text, /[a-z]/, 'each project says why')
    t.notMatch(card.querySelector('p')?.text, /^results\.reason/)
  }
  t.equal(page.facts('.facts--large')[msg('outcome.spent')], `€ ${(outcome.totalCost / 100).toLocaleString('nl-NL')}`)
  const svg = page.get('svg[role=img]')
  t.equal(
    svg.getAttribute('aria-labelledby'),
    'votes-chart-title votes-chart-desc',
    'the chart is an image with a name and a description',
  )
  t.equal(page.text('#votes-chart-title'), msg('outcome.chart.title'))
  t.equal(svg.querySelectorAll('rect').length, projects.length, 'one bar per project')
  t.same(page.all('[style]'), [], 'no inline style: the CSP forbids it')
  t.same(
    page.all('script').filter((s) => !s.hasAttribute('src')),
    [],
    'no inline script',
  )
  const table = page.get('.visually-hidden table')
  t.equal(
    table.querySelector('caption')?.text,
    msg('outcome.votesHeading'),
    'the same numbers as a table for screen readers',
  )
  const rows = page.rows('.visually-hidden table')
  for (const p of projects)
    t.ok(
      rows.some(([title, votes]) => title === p.title && /^\d+$/.test(votes!)),
      `${p.title} in the table`,
    )
  t.ok(headings.includes(msg('outcome.notFundedHeading', { count: projects.length - funded.length })))
  t.ok(
    notFundedCards!
      .querySelectorAll('.card > p')
      .some((p) =>
        sentences('results.reason.mes-too-little-money', 'results.reason.completion-did-not-fit').test(p.text),
      ),
    'a project that was not funded says what its supporters had left after equal shares, then that it did not fit',
  )
  const kwh = funded.reduce((sum, p) => sum + (p.kwhPerYear ?? 0), 0)
  t.equal(
    page.facts()[msg('outcome.adds.kwhPerYear')],
    `${kwh.toLocaleString('nl-NL')} kWh`,
    "the funded projects' energy savings add up",
  )
  t.ok(page.texts('p').includes(msg('outcome.spending.themesNote')))
  t.ok(page.texts('p').includes(msg('outcome.rule.equal-shares')))
  t.equal(outcome.ties.length, 1, 'the demo votes hold one tie')
  t.ok(
    page.texts('main li').includes(
      `${msg('outcome.ties.stage.equal-shares')}: ${msg('outcome.ties.item', {
        tied: 'Buurtmoestuin met regenton, Warmtescan van 200 woningen',
        winner: 'Buurtmoestuin met regenton',
      })}`,
    ),
    'the broken tie is named',
  )
  const perTrack = page
    .all('table.figures-table')
    .find((t) => t.querySelector('caption')?.text === msg('outcome.spending.perTrack'))
  t.same(
    perTrack
      ?.querySelector('tfoot tr')
      ?.querySelectorAll('th, td')
      .map((c) => c.text.replace(/\s+/g, ' ')),
    [msg('outcome.spending.total'), '€ 80.000'],
  )
  t.ok(page.links.includes(`/rounds/${slug}/ballots.pb`))
  t.ok(page.links.includes(`/rounds/${slug}/transparency`), 'the transparency page holds the hash and how to recount')
  t.ok(row.ballotsSha256)
  t.ok(
    html(await new Visitor(app).get(`/rounds/${slug}`)).links.includes(`/rounds/${slug}/results`),
    'the round page links to the results',
  )
})

t.test(
  'the results as CSV and as JSON hold the same projects, votes, funding and reasons as the frozen result',
  async (t) => {
    const { row: result, outcome } = await stored()
    const csv = await new Visitor(app).get(`/rounds/${slug}/results.csv`)
    t.equal(csv.statusCode, 200)
    t.match(csv.headers['content-type'], 'text/csv; charset=utf-8')
    t.match(csv.headers['content-disposition'], `attachment; filename="${slug}-results.csv"`)
    const rows = parseCsv<Record<string, string>>(csv.body, { columns: true })
    t.equal(rows.length, projects.length)
    for (const project of outcome.projects) {
      const row = rows.find((r) => r.project_id === project.id)!
      t.same(
        [Number(row.votes), row.funded, Number(row.cost_cents), row.reason_kind],
        [project.votes, String(project.funded), project.cost, project.reason.kind],
        `project ${project.id}`,
      )
      t.equal(row.cost_euros, (project.cost / 100).toFixed(2))
      t.equal(row.points, '', 'no points on an approval round')
      t.ok(row.reason!.length > 10 && !row.reason!.startsWith('results.reason'), 'the reason in plain words')
    }

    const json = await new Visitor(app).get(`/rounds/${slug}/results.json?lang=en`)
    t.equal(json.statusCode, 200)
    const data = JSON.parse(json.body) as { projects: { project_id: number; funded: boolean; reason: string }[] }
    t.match(data, {
      round: { slug, budget_cents: round.budgetCents, ballot_format: 'knapsack' },
      rule: 'equal-shares',
      ballot_count: 39,
      ballots_sha256: result.ballotsSha256,
      software_version: result.softwareVersion,
      total_cost_cents: outcome.totalCost,
      language: 'en',
      published_at: result.publishedAt.toISOString(),
    })
    t.same(
      data.projects
        .filter((p) => p.funded)
        .map((p) => String(p.project_id))
        .sort(),
      [...outcome.selected].sort(),
    )
    t.match(data.projects[0]!.reason, /supporters|Funded/, 'reasons in English when asked')
    t.equal(
      (await new Visitor(app).get(`/rounds/${slug}/results.csv?lang=fr`)).statusCode,
      400,
      'an unknown language is refused, not a 500',
    )
  },
)

t.test(
  'the anonymised ballots download as the frozen .pb text; its hash is the published one and a recount gives the same winners',
  async (t) => {
    const { row: result, outcome } = await stored()
    const res = await new Visitor(app).get(`/rounds/${slug}/ballots.pb`)
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
    t.equal(res.headers['content-disposition'], `attachment; filename="${slug}-ballots.pb"`)
    t.equal(res.body, result.ballotsPb)
    t.equal(sha256(res.body), result.ballotsSha256)
    const recount = tally(pbTallyInput(parsePb(res.body)), result.rule)
    t.same([...recount.selected].sort(), [...outcome.selected].sort())
    t.notMatch(res.body, codes[1]!, 'no voting codes in it')
  },
)

t.test("progress on a funded project shows on the results page and on the project's own page", async (t) => {
  const { outcome } = await stored()
  const fundedId = Number(outcome.selected[0])
  await postUpdate(
    app,
    roundId,
    {
      proposalId: fundedId,
      status: 'done',
      text: 'De <coaches> zijn aan het werk.',
      on: '2027-03-01',
    },
    { id: admin.id, email: 'admin@example.test' },
  )
  const update = html(await new Visitor(app).get(`/rounds/${slug}/results`)).get('ul.history > li')
  t.equal(update.querySelector('strong')?.text, msg('results.progress.status.done'))
  t.equal(update.querySelector('.muted')?.text, '1 maart 2027')
  t.equal(update.querySelector('.history__message')?.text, 'De <coaches> zijn aan het werk.', 'shown as text')
  const reference = projects.find((p) => p.id === fundedId)!.reference
  const detail = html(await new Visitor(app).get(`/proposals/${reference}`))
  t.ok(detail.texts('h2').includes(msg('results.progress.title')))
  t.equal(detail.get('ul.history .history__message').text, 'De <coaches> zijn aan het werk.')
  const [update0] = await db.select().from(progressUpdates).where(eq(progressUpdates.proposalId, fundedId))
  await translateText(db, {
    roundId,
    ref: { kind: 'progress', subjectId: update0!.id },
    original: update0!.text,
    lang: 'tr',
    text: 'Koçlar çalışıyor.',
    official: { id: admin.id, email: 'admin@example.test' },
    now: new Date(),
  })
  const turkish = html(await new Visitor(app).get(`/rounds/${slug}/results?lang=tr`)).get('ul.history > li')
  t.equal(turkish.querySelector('.history__message[lang=tr]')?.text, 'Koçlar çalışıyor.', "in the reader's language")
  t.match(
    turkish.querySelector('.text-origin p[lang=nl]')?.text,
    'De <coaches> zijn aan het werk.',
    'the original a tap away',
  )
})

t.test('the results page reads in English too', async (t) => {
  await published()
  const visitor = new Visitor(app)
  await visitor.get('/language/en?next=/')
  const page = html(await visitor.get(`/rounds/${slug}/results`))
  t.equal(page.get('html').getAttribute('lang'), 'en')
  t.equal(page.text('h1'), msg('outcome.heading', {}, 'en'))
  t.ok(page.texts('p').includes(msg('outcome.spending.themesNote', {}, 'en')))
  t.notMatch(page.text(), /outcome\.|results\.reason/, 'no untranslated keys')
})
