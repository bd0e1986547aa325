import t from 'tap'
import {
  ballotMeter,
  checkBallot,
  checkPointsBallot,
  minimumSpendCents,
  pointsMeter,
  type BallotRules,
} from '../../../server/domain/voting/ballot.js'

const noPoints = { pointsPerVoter: null, maxPointsPerProject: null }
const knapsack: BallotRules = {
  format: 'knapsack',
  budgetCents: 100_000_00,
  maxChoices: null,
  minSpendPercent: 0,
  ...noPoints,
}
const approval: BallotRules = {
  format: 'approval',
  budgetCents: 100_000_00,
  maxChoices: 2,
  minSpendPercent: 0,
  ...noPoints,
}
const projects = [
  { id: 1, costCents: 60_000_00 },
  { id: 2, costCents: 30_000_00 },
  { id: 3, costCents: 20_000_00 },
  { id: 4, costCents: 10_000_00 },
]

t.test('the server refuses every ballot the rules do not allow, whatever the browser sent', async (t) => {
  const table: [string, BallotRules, number[], string | null][] = [
    ['fits the budget', knapsack, [1, 2, 4], null],
    ['exactly the budget', knapsack, [1, 2, 4], null],
    ['over budget', knapsack, [1, 2, 3], 'over-budget'],
    ['nothing chosen', knapsack, [], 'empty'],
    ['unknown project', knapsack, [1, 99], 'unknown-project'],
    ['a project twice', knapsack, [4, 4], 'duplicate'],
    ['under the minimum spend', { ...knapsack, minSpendPercent: 50 }, [3, 4], 'under-minimum'],
    ['exactly the minimum spend', { ...knapsack, minSpendPercent: 30 }, [3, 4], null],
    ['approval within K', approval, [1, 2], null],
    ['approval over K', approval, [1, 2, 3], 'too-many'],
    ['approval ignores cost', { ...approval, maxChoices: 4 }, [1, 2, 3, 4], null],
    ['approval ignores the minimum spend', { ...approval, minSpendPercent: 90 }, [4], null],
  ]
  for (const [name, rules, chosen, error] of table) {
    const check = checkBallot(rules, projects, chosen)
    t.equal(check.ok ? null : check.error, error, name)
  }
})

t.test('an accepted ballot is stored in a canonical order with what it spends', async (t) => {
  t.same(checkBallot(knapsack, projects, [4, 1]), { ok: true, projectIds: [1, 4], spentCents: 70_000_00 })
})

t.test('the minimum spend is rounded up to whole cents and only applies to knapsack ballots', async (t) => {
  t.equal(minimumSpendCents({ ...knapsack, budgetCents: 333, minSpendPercent: 50 }), 167)
  t.equal(minimumSpendCents({ ...approval, minSpendPercent: 50 }), 0)
})

t.test('the meter shows what is left and which projects no longer fit, and by how much', async (t) => {
  const meter = ballotMeter(knapsack, projects, [1, 3])
  t.equal(meter.spentCents, 80_000_00)
  t.equal(meter.leftCents, 20_000_00)
  t.same([...meter.blocked], [[2, { shortCents: 10_000_00 }]])
  const full = ballotMeter(approval, projects, [1, 2])
  t.same([...full.blocked.keys()], [3, 4])
  t.equal(full.maxChoices, 2)
  t.equal(full.chosenCount, 2)
})

const points: BallotRules = {
  ...approval,
  format: 'points',
  maxChoices: null,
  pointsPerVoter: 10,
  maxPointsPerProject: 4,
}

t.test(
  "a points ballot: whole points, at most M on one project, at most N in all, only this round's projects",
  async (t) => {
    const table: [string, { id: number; points: number | null }[], string | null][] = [
      [
        'within both limits',
        [
          { id: 1, points: 4 },
          { id: 2, points: 3 },
        ],
        null,
      ],
      [
        'exactly N, each exactly M or less',
        [
          { id: 1, points: 4 },
          { id: 2, points: 4 },
          { id: 3, points: 2 },
        ],
        null,
      ],
      ['fewer than N points is fine', [{ id: 4, points: 1 }], null],
      [
        'over N in all',
        [
          { id: 1, points: 4 },
          { id: 2, points: 4 },
          { id: 3, points: 3 },
        ],
        'over-points',
      ],
      ['over M on one project', [{ id: 1, points: 5 }], 'over-max'],
      ['a text that is no whole number', [{ id: 1, points: null }], 'not-whole'],
      ['a fraction', [{ id: 1, points: 1.5 }], 'not-whole'],
      [
        'negative points',
        [
          { id: 1, points: -1 },
          { id: 2, points: 4 },
        ],
        'not-whole',
      ],
      ['no points at all', [{ id: 1, points: 0 }], 'empty'],
      ['nothing sent', [], 'empty'],
      ["another round's project", [{ id: 99, points: 1 }], 'unknown-project'],
      [
        'a project twice',
        [
          { id: 1, points: 2 },
          { id: 1, points: 2 },
        ],
        'duplicate',
      ],
    ]
    for (const [name, given, error] of table) {
      const check = checkPointsBallot(points, projects, given)
      t.equal(check.ok ? null : check.error, error, name)
    }
  },
)

t.test('an accepted points ballot keeps only the projects given points, in id order, with their points', async (t) => {
  const given = [
    { id: 3, points: 2 },
    { id: 1, points: 4 },
    { id: 2, points: 0 },
  ]
  t.same(checkPointsBallot(points, projects, given), { ok: true, projectIds: [1, 3], points: [4, 2], usedPoints: 6 })
})

t.test('the points meter says what is used and left, and which project got more than M', async (t) => {
  const meter = pointsMeter(points, [
    { id: 1, points: 6 },
    { id: 2, points: 5 },
    { id: 3, points: null },
  ])
  t.equal(meter.usedPoints, 11)
  t.equal(meter.leftPoints, -1)
  t.same([...meter.overMax], [1, 2])
})
