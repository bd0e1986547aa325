import { randomInt } from 'node:crypto'
import t from 'tap'
import { parse as parseCsv } from 'csv-parse/sync'
import { eq } from 'drizzle-orm'
import { results, rounds, tallyPreviews } from '../../../db/schema.js'
import { castBallot, countedBallotsDigest } from '../../../server/data/ballots.js'
import { previewResults } from '../../../server/data/results.js'
import { findCode } from '../../../server/data/voting-codes.js'
import { parsePb } from '../../../server/domain/pabulib/read.js'
import { ballotsDigest } from '../../../server/domain/pabulib/export.js'
import { tally, TALLY_RULES } from '../../../server/domain/tally/tally.js'
import { generateReceipt, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { publishResult } from '../../../server/usecases/results.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { demoRound } from '../../helpers/fixtures.js'
import { MAIL_WORDS } from '../../helpers/mail-words.js'
import { setPhase } from '../../helpers/voting.js'
import { html, msg } from '../../helpers/html.js'

t.test('a points round is counted with its points: previewed under both rules, published under its own', async (t) => {
  const { app, db, round, projects, byTitle, codes, officials } = await demoRound(t, {
    phase: 'voting',
    codes: 8,
    officials: ['admin'],
  })
  await db
    .update(rounds)
    .set({ ballotFormat: 'points', pointsPerVoter: 6, maxPointsPerProject: 5, tallyRule: 'equal-shares' })
    .where(eq(rounds.id, round.id))
  const [counted] = await db.select().from(rounds).where(eq(rounds.id, round.id))
  const solar = byTitle('Zonnepanelen') // € 28.000
  const cafe = byTitle('Energiecafé')
  const coaches = byTitle('Energiecoaches')
  // Three residents put 5 points on the solar panels; five give the café 1 and the coaches 2.
  const given: [number[], number[]][] = [
    ...Array.from({ length: 3 }, (): [number[], number[]] => [[solar.id], [5]]),
    ...Array.from({ length: 5 }, (): [number[], number[]] => [
      [cafe.id, coaches.id].sort((a, b) => a - b),
      cafe.id < coaches.id ? [1, 2] : [2, 1],
    ]),
  ]
  for (const [i, [projectIds, points]] of given.entries()) {
    const code = await findCode(db, round.id, hashCode(TEST_CONFIG.codeKey, normaliseCode(codes[i]!)!))
    await castBallot(db, {
      roundId: round.id,
      codeId: code!.id,
      channel: 'online',
      projectIds,
      points,
      receipt: generateReceipt(randomInt),
    })
  }
  const input = {
    budget: counted!.budgetCents,
    projects: projects.map((p, order) => ({ id: String(p.id), cost: p.costCents, order })),
    ballots: given.map(([ids]) => ids.map(String)),
    points: given.map(([, points]) => points),
    unit: 100,
  }
  const expected = Object.fromEntries(TALLY_RULES.map((rule) => [rule, tally(input, rule)]))
  const digest = await countedBallotsDigest(db, round.id)
  t.equal(
    digest.sha256,
    ballotsDigest(
      given.map(([ids]) => ids),
      given.map(([, points]) => points),
    ),
    "the database's fingerprint of the ballots includes their points, as the definition does",
  )

  await setPhase(db, round.id, 'closed')
  const preview = await previewResults(db, counted!, TALLY_RULES, 'test')
  for (const { rule, outcome } of preview.previews)
    t.same(outcome, expected[rule], `the ${rule} preview counts the points`)
  t.equal(
    expected.greedy!.selected[0],
    String(solar.id),
    'greedy buys first the project with most points (3 residents), not the one with most voters (5)',
  )
  const byId = new Map(expected.greedy!.projects.map((p) => [p.id, p]))
  t.same([byId.get(String(solar.id))!.points, byId.get(String(solar.id))!.votes], [15, 3])
  t.same([byId.get(String(cafe.id))!.points, byId.get(String(cafe.id))!.votes], [5, 5])
  t.equal((await db.select().from(tallyPreviews)).length, 2)

  const admin = officials.admin
  const outcome = await publishResult(db, {
    roundId: round.id,
    actor: { kind: 'official', id: admin.id, role: 'admin' },
    official: admin,
    softwareVersion: 'test',
    mailer: MAIL_WORDS,
  })
  t.ok('published' in outcome)
  const [stored] = await db.select().from(results).where(eq(results.roundId, round.id))
  t.same(stored!.outcome, expected['equal-shares'], 'the published outcome is the count with points')
  const file = parsePb(stored!.ballotsPb)
  t.equal(file.meta['vote_type'], 'cumulative')
  t.equal(file.meta['max_sum_points'], '6')
  t.equal(file.meta['max_points'], '5')
  const lines = file.votes.map((v) => v.vote.map((id, k) => `${id}:${v.points![k]}`).join(',')).sort()
  const wanted = given.map(([ids, points]) => ids.map((id, k) => `${id}:${points[k]}`).join(',')).sort()
  t.same(lines, wanted, 'the open data file holds every ballot with its points')

  const page = html(await app.inject(`/rounds/${round.slug}/results`))
  t.ok(page.texts('h2').includes(msg('outcome.pointsHeading')), 'the chart shows points per project')
  const solarCard = page.all('.card').find((card) => card.textContent.includes(solar.title))!
  t.match(solarCard.textContent, `${msg('results.points')}15`, "a project's card shows its points")
  t.match(solarCard.textContent, `${msg('results.votes')}3`, 'and its voters')

  const csv = parseCsv<Record<string, string>>((await app.inject(`/rounds/${round.slug}/results.csv`)).body, {
    columns: true,
  })
  const solarRow = csv.find((row) => row.project_id === String(solar.id))!
  t.same([solarRow.points, solarRow.votes], ['15', '3'], 'the open data CSV gives points beside voters')
  const json = JSON.parse((await app.inject(`/rounds/${round.slug}/results.json`)).body) as {
    projects: { project_id: number; points: number | null }[]
  }
  t.equal(json.projects.find((p) => p.project_id === solar.id)?.points, 15, 'and so does the JSON')

  const transparency = html(await app.inject(`/rounds/${round.slug}/transparency`))
  t.equal(
    transparency.text('#check + .alert'),
    msg('transparency.check.ok', { count: 8 }),
    "today's ballots, points and all, match the published file and the audit chain",
  )
})
