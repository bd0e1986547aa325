import t from 'tap'
import { tallyBudgets } from '../../../server/domain/tally/budgets.js'
import { tally, type TallyInput } from '../../../server/domain/tally/tally.js'
import type { BudgetPart } from '../../../server/domain/tally/types.js'
import {
  budgetOf,
  budgetsOf,
  checkBudgets,
  otherDistrictsChosen,
  votableBudgets,
  type Budget,
} from '../../../server/domain/rounds/budgets.js'

const project = (id: string, cost: number, order: number) => ({ id, cost, order })

t.test('one budget holding every project counts as the round did before budgets', async (t) => {
  const input: TallyInput = {
    budget: 1000,
    projects: [project('a', 600, 0), project('b', 500, 1), project('c', 300, 2), project('d', 200, 3)],
    ballots: [['a', 'c'], ['a'], ['b', 'd'], ['b', 'c'], ['a', 'b', 'd'], ['c']],
    unit: 1,
  }
  const one: BudgetPart[] = [{ id: 'all', amount: 1000, projects: ['a', 'b', 'c', 'd'], leftoverTo: null }]
  for (const rule of ['greedy', 'equal-shares'] as const) {
    const { budgets, ...rest } = tallyBudgets(input, one, rule)
    const plain = tally(input, rule)
    delete plain.add1Steps
    delete plain.startPerVoter
    t.same(rest, plain, `${rule}: same selection, reasons and ties`)
    t.equal(budgets![0]!.spent, plain.totalCost)
    t.equal(budgets![0]!.kept, 1000 - plain.totalCost)
    t.equal(budgets![0]!.voters, 6)
  }
})

t.test('Warsaw: a district budget and a citywide budget, each counted on its own', async (t) => {
  // North's 1000 buys its most-voted project n1 (600) and then n3 (300); n2 (500) no longer fits.
  // The citywide 2000 buys c1 (1500) and not c2 (800), though c2 has more votes than n3.
  const input: TallyInput = {
    budget: 3000,
    projects: [
      project('n1', 600, 0),
      project('n2', 500, 1),
      project('n3', 300, 2),
      project('c1', 1500, 3),
      project('c2', 800, 4),
    ],
    ballots: [['n1', 'c1'], ['n1', 'n2', 'c1'], ['n2', 'c2'], ['n1', 'n3', 'c1', 'c2'], ['c2'], ['c1']],
    unit: 1,
  }
  const budgets: BudgetPart[] = [
    { id: 'north', amount: 1000, projects: ['n1', 'n2', 'n3'], leftoverTo: null },
    { id: 'city', amount: 2000, projects: ['c1', 'c2'], leftoverTo: null },
  ]
  const result = tallyBudgets(input, budgets, 'greedy')
  t.same(result.selected, ['n1', 'n3', 'c1'])
  t.equal(result.totalCost, 2400)
  const [north, city] = result.budgets!
  t.match(north, { id: 'north', spent: 900, kept: 100, moved: 0, voters: 4, selected: ['n1', 'n3'] })
  t.match(city, { id: 'city', spent: 1500, kept: 500, voters: 6, selected: ['c1'] })
  t.same(
    result.projects.map((p) => [p.id, p.funded, p.votes]),
    [
      ['n1', true, 3],
      ['n2', false, 2],
      ['n3', true, 1],
      ['c1', true, 4],
      ['c2', false, 3],
    ],
    'every project in input order with its own budget’s outcome',
  )
  t.match(result.projects[1]!.reason, { kind: 'greedy-did-not-fit', remaining: 400, needed: 500 })
})

t.test('a leftover moved to another budget is counted there, after the budget that left it', async (t) => {
  // Three tracks; the social track's leftover moves to the spatial track, which is listed first
  // but counted last, and with the 300 it receives it can afford its most-voted s2.
  const input: TallyInput = {
    budget: 3000,
    projects: [project('s1', 1000, 0), project('s2', 1300, 1), project('f1', 700, 2), project('p1', 1000, 3)],
    ballots: [['s2', 'f1'], ['s2', 'p1'], ['s2'], ['s1', 'p1'], ['f1']],
    unit: 1,
  }
  const budgets: BudgetPart[] = [
    { id: 'spatial', amount: 1000, projects: ['s1', 's2'], leftoverTo: null },
    { id: 'financial', amount: 1000, projects: ['f1'], leftoverTo: null },
    { id: 'social', amount: 1300, projects: ['p1'], leftoverTo: 'spatial' },
  ]
  const result = tallyBudgets(input, budgets, 'greedy')
  t.same(
    result.budgets!.map((b) => b.id),
    ['financial', 'social', 'spatial'],
    'the receiving budget is counted after the one that sends',
  )
  const social = result.budgets!.find((b) => b.id === 'social')!
  t.match(social, { spent: 1000, kept: 0, moved: 300, movedTo: 'spatial' })
  const spatial = result.budgets!.find((b) => b.id === 'spatial')!
  t.match(spatial, { amount: 1000, received: 300, spent: 1300, kept: 0 })
  t.ok(result.projects.find((p) => p.id === 's2')!.funded, 's2 is funded with the moved money')
  t.notOk(result.projects.find((p) => p.id === 's1')!.funded, 's1 no longer fits after s2')

  const kept = tallyBudgets(
    input,
    budgets.map((b) => ({ ...b, leftoverTo: null })),
    'greedy',
  )
  t.match(
    kept.budgets!.find((b) => b.id === 'spatial'),
    { received: 0, spent: 1000, selected: ['s1'] },
    'kept: s2 does not fit',
  )
  t.match(
    kept.budgets!.find((b) => b.id === 'social'),
    { kept: 300, moved: 0, movedTo: null },
  )
})

t.test('equal shares per budget divides each budget among its own voters only', async (t) => {
  // Four voters chose in the district, two of them also citywide. Citywide money is split between
  // those two alone: 900 each, enough for c1 (1800) together.
  const input: TallyInput = {
    budget: 3800,
    projects: [project('d1', 1000, 0), project('d2', 1000, 1), project('c1', 1800, 2)],
    ballots: [['d1', 'c1'], ['d1', 'c1'], ['d2'], ['d2']],
    unit: 1,
  }
  const budgets: BudgetPart[] = [
    { id: 'district', amount: 2000, projects: ['d1', 'd2'], leftoverTo: null },
    { id: 'city', amount: 1800, projects: ['c1'], leftoverTo: null },
  ]
  const result = tallyBudgets(input, budgets, 'equal-shares')
  t.match(result.budgets![1], { voters: 2, spent: 1800, startPerVoter: 900 })
  t.match(result.budgets![0], { voters: 4, spent: 2000, startPerVoter: 500 })
  t.same(result.selected.sort(), ['c1', 'd1', 'd2'])
  t.equal(result.startPerVoter, undefined, 'a start per voter is per budget, not for the round')
})

t.test('points ballots are counted per budget with their own points', async (t) => {
  const input: TallyInput = {
    budget: 2000,
    projects: [project('a', 1000, 0), project('b', 1000, 1), project('c', 1000, 2)],
    ballots: [['a', 'c'], ['b', 'c'], ['b']],
    points: [[5, 1], [1, 4], [1]],
    unit: 1,
  }
  const budgets: BudgetPart[] = [
    { id: 'one', amount: 1000, projects: ['a', 'b'], leftoverTo: null },
    { id: 'two', amount: 1000, projects: ['c'], leftoverTo: null },
  ]
  const result = tallyBudgets(input, budgets, 'greedy')
  t.same(result.budgets![0]!.selected, ['a'], 'a has 5 points against b’s 2')
  t.same(
    result.projects.map((p) => p.points),
    [5, 2, 5],
  )
})

t.test('a budget nobody chose in spends nothing and keeps its money', async (t) => {
  const input: TallyInput = {
    budget: 2000,
    projects: [project('a', 500, 0), project('b', 500, 1)],
    ballots: [['a']],
    unit: 1,
  }
  for (const rule of ['greedy', 'equal-shares'] as const) {
    const result = tallyBudgets(
      input,
      [
        { id: 'x', amount: 1000, projects: ['a'], leftoverTo: null },
        { id: 'y', amount: 1000, projects: ['b'], leftoverTo: null },
      ],
      rule,
    )
    t.match(result.budgets![1], { voters: 0, spent: 0, kept: 1000, selected: [] }, rule)
    t.notOk(result.projects[1]!.funded)
  }
})

t.test('impossible budgets are refused by the count', async (t) => {
  const input: TallyInput = { budget: 10, projects: [project('a', 1, 0), project('b', 1, 1)], ballots: [], unit: 1 }
  t.throws(
    () =>
      tallyBudgets(
        input,
        [
          { id: 'x', amount: 5, projects: ['a'], leftoverTo: 'y' },
          { id: 'y', amount: 5, projects: ['b'], leftoverTo: 'x' },
        ],
        'greedy',
      ),
    /circle/,
  )
  t.throws(
    () => tallyBudgets(input, [{ id: 'x', amount: 5, projects: ['a', 'b', 'a'], leftoverTo: null }], 'greedy'),
    /two budgets/,
  )
  t.throws(
    () => tallyBudgets(input, [{ id: 'x', amount: 5, projects: ['a'], leftoverTo: null }], 'greedy'),
    /no budget/,
  )
})

const budget = (id: number, district: string | null, leftoverTo: number | null = null): Budget => ({
  id,
  name: `budget ${id}`,
  amountCents: 1000,
  district,
  leftoverTo,
})

t.test('a round without budgets of its own has its whole budget as the one', async (t) => {
  const round = { title: 'Bospolder 2027', budgetCents: 10_000_000 }
  t.same(budgetsOf(round, []), [
    { id: 0, name: 'Bospolder 2027', amountCents: 10_000_000, district: null, leftoverTo: null },
  ])
  const rows = [budget(4, null), budget(5, 'Noord')]
  t.same(budgetsOf(round, rows), rows)
  t.equal(budgetOf(rows, 5).id, 5)
  t.equal(budgetOf(rows, null).id, 4, 'a project in no budget belongs to the first')
  t.equal(budgetOf(rows, 99).id, 4)
})

t.test('the admin cannot save leftovers that go nowhere or round in a circle', async (t) => {
  t.equal(checkBudgets([budget(1, null, 2), budget(2, null)]), null)
  t.equal(checkBudgets([budget(1, null, 1)]), 'leftover-to-itself')
  t.equal(checkBudgets([budget(1, null, 7)]), 'leftover-unknown')
  t.equal(checkBudgets([budget(1, null, 2), budget(2, null, 3), budget(3, null, 1)]), 'leftover-circle')
})

t.test('what a district code votes in: its own and citywide, or one other district too', async (t) => {
  const budgets = [budget(1, null), budget(2, 'Noord'), budget(3, 'Zuid'), budget(4, 'West')]
  const ids = (bs: Budget[]) => bs.map((b) => b.id)
  t.same(ids(votableBudgets(budgets, 'own-and-citywide', null)), [1, 2, 3, 4], 'a code of no district votes in all')
  t.same(ids(votableBudgets(budgets, 'own-and-citywide', 'Zuid')), [1, 3], 'Warsaw: own district and citywide')
  t.same(ids(votableBudgets(budgets, 'own-plus-one', 'Zuid')), [1, 2, 3, 4], 'Barcelona: any other may be the one')
  t.same(otherDistrictsChosen(budgets, 'Zuid', [1, 3]), [])
  t.same(otherDistrictsChosen(budgets, 'Zuid', [1, 3, 4]), ['West'])
  t.same(otherDistrictsChosen(budgets, 'Zuid', [2, 3, 4]).sort(), ['Noord', 'West'])
})
