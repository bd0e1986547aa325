import t from 'tap'
import { ImportError, importPlan } from '../../../server/domain/pabulib/import.js'
import { parsePb } from '../../../server/domain/pabulib/read.js'

const texts = { title: (name: string) => `${name} (import)`, description: 'Nagespeeld.' }
const file = (meta: string, projects = '1;600;Speeltuin\n2;400;Bankjes', votes = 'v1;1,2\nv2;2,2,1\nv3;') =>
  parsePb(`META\nkey;value\n${meta}\nPROJECTS\nproject_id;cost;name\n${projects}\nVOTES\nvoter_id;vote\n${votes}\n`)

t.test(
  'a file in whole units becomes cents, projects keep the file order and each ballot names a project once',
  async (t) => {
    const plan = importPlan(
      file('description;Speelplein Oost\nunit;Gent\nsubunit;Oost\nbudget;1000\nmax_length;5'),
      'greedy',
      texts,
    )
    t.match(plan.settings, {
      title: 'Speelplein Oost (import)',
      neighbourhood: 'Gent, Oost',
      budgetCents: 100_000,
      tallyRule: 'greedy',
      ballotFormat: 'approval',
      maxChoices: 2,
    })
    t.same(plan.projects, [
      { pbId: '1', title: 'Speeltuin', costCents: 60_000, point: null },
      { pbId: '2', title: 'Bankjes', costCents: 40_000, point: null },
    ])
    t.same(plan.ballots, [[0, 1], [0, 1], []], 'a doubled choice counts once; an empty ballot is still a voter')
    t.equal(plan.voteType, 'approval')
  },
)

t.test(
  'a file that says money_unit;cent keeps its amounts; a missing name or description has a fallback',
  async (t) => {
    const plan = importPlan(
      file('budget;100050\nmoney_unit;cent\nvote_type;cumulative', '7;600;\n8;400;Bankjes', 'v1;7,8'),
      'equal-shares',
      texts,
    )
    t.equal(plan.settings.budgetCents, 100_050)
    t.same(
      plan.projects.map((p) => [p.title, p.costCents]),
      [
        ['Project 7', 600],
        ['Bankjes', 400],
      ],
    )
    t.equal(plan.settings.title, 'Pabulib (import)')
    t.equal(plan.voteType, 'cumulative')
  },
)

t.test('long titles are cut to what a round and a proposal can hold', async (t) => {
  const long = 'x'.repeat(300)
  const plan = importPlan(file(`description;${long}\nbudget;10`, `1;5;${long}`, 'v1;1'), 'greedy', texts)
  t.ok([...plan.settings.title].length <= 120 && plan.settings.title.endsWith('(import)'))
  t.ok([...plan.projects[0]!.title].length <= 120)
})

t.test('a file without projects or with an amount too large to hold in cents is refused', async (t) => {
  t.throws(() => importPlan(file('budget;10', '', ''), 'greedy', texts), new ImportError('no-projects'))
  t.throws(
    () => importPlan(file(`budget;${Number.MAX_SAFE_INTEGER}`), 'greedy', texts),
    new ImportError('amount-too-large'),
  )
})

t.test('a cumulative file becomes a points round: its points, its limits, and the same count', async (t) => {
  const { readFileSync } = await import('node:fs')
  const { pbTallyInput } = await import('../../../server/domain/pabulib/read.js')
  const { tally } = await import('../../../server/domain/tally/tally.js')
  const election = parsePb(
    readFileSync(new URL('../../fixtures/pabulib/poland_czestochowa_2020_.pb', import.meta.url), 'utf8'),
  )
  const plan = importPlan(election, 'equal-shares', texts)
  t.equal(plan.settings.ballotFormat, 'points')
  t.equal(plan.settings.pointsPerVoter, Number(election.meta.max_sum_points))
  t.equal(plan.ballots.length, election.votes.length)
  t.ok(plan.points!.every((p, v) => p.length === plan.ballots[v]!.length && p.every((x) => x > 0)))
  const input = {
    budget: plan.settings.budgetCents,
    projects: plan.projects.map((p, order) => ({ id: p.pbId, cost: p.costCents, order })),
    ballots: plan.ballots.map((b) => b.map((i) => plan.projects[i]!.pbId)),
    points: plan.points!,
    unit: 100,
  }
  const fromFile = pbTallyInput(election)
  t.same(tally(input, 'greedy').selected, tally(fromFile, 'greedy').selected, 'the replay counts as the file does')
})

t.test('a set of files is one round with a budget per file and one ballot per voter', async (t) => {
  const { importSetPlan, splitPbFiles } = await import('../../../server/domain/pabulib/import.js')
  const text = (meta: string, projects: string, votes: string) =>
    `META\nkey;value\n${meta}\nPROJECTS\nproject_id;cost;name\n${projects}\nVOTES\nvoter_id;vote\n${votes}\n`
  const set =
    text('description;Warszawa\nsubunit;Rembertów\nbudget;1000', '1;600;Park\n2;400;Ławki', 'a;1\nb;1,2') +
    text('description;Warszawa\nsubunit;Ogólnomiejski\nbudget;5000', '1;3000;Tramwaj', 'a;1\nc;1')
  const files = splitPbFiles(set)
  t.equal(files.length, 2)
  const plan = importSetPlan(files.map(parsePb), 'greedy', texts)
  t.same(plan.budgets, [
    { name: 'Rembertów', amountCents: 100_000, projects: [0, 1] },
    { name: 'Ogólnomiejski', amountCents: 500_000, projects: [2] },
  ])
  t.equal(plan.settings.budgetCents, 600_000)
  t.same(plan.ballots, [[0, 2], [0, 1], [2]], 'voter a voted in both files: one ballot')
  t.throws(
    () =>
      importSetPlan(
        [parsePb(files[0]!), parsePb(files[1]!.replace('budget;5000', 'budget;5000\nvote_type;cumulative'))],
        'greedy',
        texts,
      ),
    new ImportError('mixed-vote-types'),
    'files of different ballot types are not one election',
  )
})

t.test("a project's latitude and longitude columns become its point; a broken pair is no point", async (t) => {
  const plan = importPlan(
    parsePb(
      'META\nkey;value\nbudget;1000\nPROJECTS\nproject_id;cost;name;latitude;longitude\n' +
        '1;600;Park;52.25235316252101;21.153318113096667\n2;400;Bankjes;;\n3;100;Kiosk;52.2;east\n' +
        'VOTES\nvoter_id;vote\nv1;1,2\n',
    ),
    'greedy',
    texts,
  )
  t.same(
    plan.projects.map((p) => p.point),
    [{ latitude: 52.252353, longitude: 21.153318 }, null, null],
  )
})
