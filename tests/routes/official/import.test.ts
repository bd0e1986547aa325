import { PassThrough } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { count, eq } from 'drizzle-orm'
import { auditLog, ballots, proposals, results, rounds, votingCodes } from '../../../db/schema.js'
import type { TallyResult } from '../../../server/domain/tally/tally.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { createOfficial, signedIn } from '../../helpers/officials.js'
import { readPabulib, reference } from '../../helpers/pabulib.js'

const { app, db } = await testApp(t)
await createOfficial(db, 'admin')
await createOfficial(db, 'moderator')

const rembertow = readPabulib('poland_warszawa_2022_rembertow.pb')
const expected = reference.instances['poland_warszawa_2022_rembertow.pb']!.outcomes['mes_cost_add1+greedy_votes']!

const SMALL = `META
key;value
description;Speelplein Oost
num_projects;2
num_votes;3
budget;1000
vote_type;approval
PROJECTS
project_id;cost;name
1;600;Speeltuin
2;400;Bankjes
VOTES
voter_id;vote
v1;1,2
v2;1
v3;2
`

/** An official signed in, on the import page (whose form token the next post sends). */
async function onImportPage(role: 'admin' | 'moderator') {
  const v = await signedIn(app, role)
  await v.get('/official/rounds/import')
  return v
}
const tableCounts = async () => ({
  rounds: (await db.select({ n: count() }).from(rounds))[0]!.n,
  proposals: (await db.select({ n: count() }).from(proposals))[0]!.n,
  codes: (await db.select({ n: count() }).from(votingCodes))[0]!.n,
  ballots: (await db.select({ n: count() }).from(ballots))[0]!.n,
  imports: (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'round.import')))[0]!.n,
})

t.test(
  'only admins may import: others are refused, strangers sent to log in, a post without CSRF token changes nothing',
  async (t) => {
    const before = await tableCounts()
    t.equal((await new Visitor(app).get('/official/rounds/import')).statusCode, 303)
    const moderator = await onImportPage('moderator')
    t.equal((await moderator.get('/official/rounds/import')).statusCode, 403)
    t.equal((await moderator.post('/official/rounds/import', { pb: SMALL, tallyRule: 'greedy' })).statusCode, 403)
    const admin = await onImportPage('admin')
    const page = await admin.get('/official/rounds/import')
    t.equal(page.statusCode, 200)
    const form = html(page).form('/official/rounds/import')
    t.ok(
      form.querySelector('label[for=pb]') && form.querySelector('textarea#pb[name=pb]'),
      'a labelled field to paste the file',
    )
    t.same(
      form
        .querySelectorAll('input[name=tallyRule]')
        .map((i) => i.getAttribute('value'))
        .sort(),
      ['equal-shares', 'greedy'],
    )
    const noToken = await admin.post('/official/rounds/import', { pb: SMALL, tallyRule: 'greedy', _csrf: null })
    t.equal(noToken.statusCode, 403)
    t.equal(html(noToken).text('h1'), msg('errors.csrf'))
    t.same(await tableCounts(), before)
  },
)

t.test(
  'Rembertów 2022 replays as a closed round whose published equal-shares result is the reference outcome',
  async (t) => {
    const admin = await onImportPage('admin')
    const res = await admin.post('/official/rounds/import', { pb: rembertow, tallyRule: 'equal-shares' })
    t.equal(res.statusCode, 303)
    const roundId = Number(/^\/official\/rounds\/(\d+)\/results$/.exec(res.headers.location as string)![1])
    const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId))
    t.match(round, {
      phase: 'closed',
      title: 'District PB in Warsaw, Rembertów (import)',
      neighbourhood: 'Warszawa, Rembertów',
      budgetCents: 935_751_00,
      tallyRule: 'equal-shares',
      ballotFormat: 'approval',
      maxChoices: 15,
    })
    const imported = await db.select().from(proposals).where(eq(proposals.roundId, roundId))
    t.equal(imported.length, 66)
    t.ok(
      imported.every((p) => p.status === 'approved' && p.costCents % 100 === 0 && p.contactEmail === null),
      'approved, whole euros in cents, no contact',
    )
    t.match(
      imported.find((p) => p.description === 'Pabulib project_id 127'),
      { title: 'Pojemniki na nakrętki Serce', costCents: 24_000_00, latitude: 52.252353, longitude: 21.153318 },
      "the file's latitude and longitude are the project's point",
    )
    t.equal((await db.select({ n: count() }).from(ballots).where(eq(ballots.roundId, roundId)))[0]!.n, 1288)
    const codes = await db.select().from(votingCodes).where(eq(votingCodes.roundId, roundId))
    t.equal(codes.length, 1288)
    t.ok(codes.every((c) => c.groupLabel === 'import' && c.revokedAt === null))
    const audit = (await db.select().from(auditLog).where(eq(auditLog.action, 'round.import'))).find(
      (e) => e.object === `round:${roundId}`,
    )
    t.match(audit!.details, {
      projects: 66,
      ballots: 1288,
      voteType: 'approval',
      rule: 'equal-shares',
      budgetCents: 935_751_00,
    })

    const preview = html(await admin.get(res.headers.location as string))
    t.ok(preview.texts('main p').includes(msg('results.previewIntro', { count: 1288 })))
    t.equal((await admin.post(`/official/rounds/${roundId}/publish`, {})).statusCode, 303)
    const [stored] = await db.select().from(results).where(eq(results.roundId, roundId))
    const pbIdOf = new Map(imported.map((p) => [String(p.id), p.description.replace('Pabulib project_id ', '')]))
    const selected = (stored!.outcome as TallyResult).selected.map((id) => pbIdOf.get(id)!)
    t.same(
      selected.sort((a, b) => Number(a) - Number(b)),
      expected.selected,
      'the reference winners',
    )
    t.equal((stored!.outcome as TallyResult).totalCost, expected.total_cost * 100)

    const page = await new Visitor(app).get(`/rounds/${round!.slug}/results`)
    t.equal(page.statusCode, 200)
    t.equal(
      html(page).all('main > ul.cards')[0]?.querySelectorAll('.card').length,
      expected.selected.length,
      'the funded projects are listed',
    )
  },
)

t.test('a cumulative file is counted as approval, and the round says so', async (t) => {
  const admin = await onImportPage('admin')
  const toulouse = readPabulib('france_toulouse_2019_.pb')
  const res = await admin.post('/official/rounds/import', { pb: toulouse, tallyRule: 'greedy' })
  t.equal(res.statusCode, 303)
  const roundId = Number(/\/rounds\/(\d+)\//.exec(res.headers.location as string)![1])
  const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId))
  t.equal(round!.description, msg('import.roundDescription', { voteType: 'cumulative' }))
  t.equal((await db.select({ n: count() }).from(ballots).where(eq(ballots.roundId, roundId)))[0]!.n, 1494)
})

t.test('a tie in a replay is broken by submission order and named on the published results', async (t) => {
  const admin = await onImportPage('admin')
  const tie = SMALL.replace('budget;1000', 'budget;500')
    .replace('1;600;Speeltuin', '1;500;Speeltuin')
    .replace('2;400;Bankjes', '2;500;Bankjes')
    .replace('v2;1', 'v2;1,2')
    .replace('num_votes;3', 'num_votes;4')
    .replace('v3;2', 'v3;1\nv4;2')
  const res = await admin.post('/official/rounds/import', { pb: tie, tallyRule: 'greedy' })
  t.equal(res.statusCode, 303)
  const roundId = Number(/\/rounds\/(\d+)\//.exec(res.headers.location as string)![1])
  await admin.get(res.headers.location as string)
  t.equal((await admin.post(`/official/rounds/${roundId}/publish`, {})).statusCode, 303)
  const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId))
  const page = html(await new Visitor(app).get(`/rounds/${round!.slug}/results`))
  t.ok(
    page
      .texts('main li')
      .includes(
        `${msg('outcome.ties.stage.greedy')}: ${msg('outcome.ties.item', { tied: 'Speeltuin, Bankjes', winner: 'Speeltuin' })}`,
      ),
  )
  t.equal(page.facts('.facts--large')[msg('outcome.spent')], '€ 500')
})

t.test('a file in cents (money_unit;cent) keeps its amounts as cents', async (t) => {
  const admin = await onImportPage('admin')
  const inCents = SMALL.replace('vote_type;approval', 'vote_type;approval\nmoney_unit;cent').replace(
    'budget;1000',
    'budget;100050',
  )
  const res = await admin.post('/official/rounds/import', { pb: inCents, tallyRule: 'greedy' })
  t.equal(res.statusCode, 303)
  const roundId = Number(/\/rounds\/(\d+)\//.exec(res.headers.location as string)![1])
  const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId))
  t.equal(round!.budgetCents, 100_050)
  t.same(
    (await db.select({ c: proposals.costCents }).from(proposals).where(eq(proposals.roundId, roundId)))
      .map((p) => p.c)
      .sort(),
    [400, 600],
  )
})

t.test(
  'a malformed file is refused with a message naming the line; what was pasted stays and nothing is stored',
  async (t) => {
    const admin = await onImportPage('admin')
    const cases: [string, string, string][] = [
      [
        'missing section',
        SMALL.replace('PROJECTS\n', ''),
        msg('import.error.missing-section', { line: 11, section: 'PROJECTS' }),
      ],
      [
        'unknown project in a vote',
        SMALL.replace('v2;1', 'v2;1,9'),
        msg('import.error.unknown-project', { line: 15, voterId: 'v2', projectId: 9 }),
      ],
      [
        'cost is not a number',
        SMALL.replace('1;600;', '1;zeshonderd;'),
        msg('import.error.invalid-cost', { line: 10, projectId: 1, value: 'zeshonderd' }),
      ],
      [
        'num_votes does not match',
        SMALL.replace('num_votes;3', 'num_votes;4'),
        msg('import.error.count-mismatch', { line: 5, key: 'num_votes', stated: 4, count: 3 }),
      ],
      ['no budget', SMALL.replace('budget;1000\n', ''), msg('import.error.missing-budget', { line: 2 })],
      [
        'no projects',
        SMALL.replace('num_projects;2\n', '')
          .replace('1;600;Speeltuin\n2;400;Bankjes\n', '')
          .replace(/v\d;.*\n/g, '')
          .replace('num_votes;3', 'num_votes;0'),
        msg('import.error.no-projects'),
      ],
      ['empty', '   ', msg('form.required')],
    ]
    for (const [name, pb, message] of cases) {
      const before = await tableCounts()
      const res = await admin.post('/official/rounds/import', { pb, tallyRule: 'equal-shares' })
      t.equal(res.statusCode, 422, name)
      const page = html(res)
      const field = page.field('pb')
      t.equal(field.error, message, name)
      t.equal(page.alert, msg('import.errorSummary'), name)
      t.ok(field.invalid, `${name}: the field is marked`)
      if (pb.trim() !== '') t.equal(field.value, pb, `${name}: the pasted text is kept`)
      t.same(await tableCounts(), before, `${name}: nothing stored`)
    }
    const badRule = await admin.post('/official/rounds/import', { pb: SMALL, tallyRule: 'random' })
    t.equal(badRule.statusCode, 422)
    t.equal(html(badRule).text('#tallyRule-error'), msg('import.error.rule'))
  },
)

t.test('a stranger or a moderator posting to the import is refused before the large body is read', async (t) => {
  for (const [who, visitor] of [
    ['stranger', new Visitor(app)],
    ['moderator', await onImportPage('moderator')],
  ] as const) {
    // A body that never ends: only a refusal that does not wait for it can answer.
    const body = new PassThrough()
    body.write(`pb=${'x'.repeat(64 * 1024)}`)
    const answer = app.inject({
      method: 'POST',
      url: '/official/rounds/import',
      payload: body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': '19000000',
        cookie: visitor.cookieHeader,
      },
    })
    const res = await Promise.race([answer, sleep(3000).then(() => undefined)])
    t.equal(res?.statusCode, 403, `${who}: refused without reading the body`)
    body.destroy()
  }
})

t.test('a file over 5 MB gets a clear 413 and nothing is stored', async (t) => {
  const admin = await onImportPage('admin')
  const before = await tableCounts()
  const big = `${SMALL}${'x'.repeat(5_000_001)}`
  const res = await admin.post('/official/rounds/import', { pb: big, tallyRule: 'greedy' })
  t.equal(res.statusCode, 413)
  t.equal(html(res).text('h1'), msg('import.tooLarge'))
  const huge = await admin.post('/official/rounds/import', { pb: ';'.repeat(7_000_000), tallyRule: 'greedy' })
  t.equal(huge.statusCode, 413, 'also when the body itself is over the limit')
  t.equal(html(huge).text('h1'), msg('import.tooLarge'))
  t.equal(html(huge).text('main p'), msg('import.tooLargeHelp'))
  t.same(await tableCounts(), before)
})
