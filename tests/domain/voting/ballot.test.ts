import t from 'tap'
import { ballotMeter, checkBallot, minimumSpendCents, type BallotRules } from '../../../server/domain/voting/ballot.js'

const knapsack: BallotRules = { format: 'knapsack', budgetCents: 100_000_00, maxChoices: null, minSpendPercent: 0 }
const approval: BallotRules = { format: 'approval', budgetCents: 100_000_00, maxChoices: 2, minSpendPercent: 0 }
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
