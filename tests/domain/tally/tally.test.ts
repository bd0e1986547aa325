import t from 'tap'
import {
  equalShares,
  greedy,
  methodOfEqualShares,
  tally,
  type ProjectOutcome,
  type TallyInput,
  type TallyResult,
} from '../../../server/domain/tally/tally.js'

/** Projects as [id, cost] in submission order. */
function election(budget: number, projects: [string, number][], ballots: string[][], unit = 1): TallyInput {
  return { budget, projects: projects.map(([id, cost], order) => ({ id, cost, order })), ballots, unit }
}

function outcome(result: TallyResult, id: string): ProjectOutcome {
  const found = result.projects.find((p) => p.id === id)
  if (!found) throw new Error(`no outcome for ${id}`)
  return found
}

const repeat = (ballot: string[], times: number) => Array.from({ length: times }, () => ballot)

t.test('greedy funds the most voted projects first and skips what no longer fits', async (t) => {
  const input = election(
    100,
    [
      ['a', 60],
      ['b', 50],
      ['c', 40],
    ],
    [['a', 'b', 'c'], ['a', 'b'], ['a']],
  )
  const result = greedy(input)
  t.same(result.selected, ['a', 'c'])
  t.equal(result.totalCost, 100)
  t.equal(result.rule, 'greedy')
  t.same(outcome(result, 'a'), {
    id: 'a',
    votes: 3,
    cost: 60,
    funded: true,
    reason: { kind: 'greedy-funded', remainingBefore: 100 },
  })
  t.same(outcome(result, 'b').reason, { kind: 'greedy-did-not-fit', remaining: 40, needed: 50 })
  t.same(outcome(result, 'c').reason, { kind: 'greedy-funded', remainingBefore: 40 })
  t.same(result.ties, [])
  t.same(tally(input, 'greedy'), result, 'tally dispatches on the rule')
})

t.test('greedy ties on votes are recorded and broken by lower cost, then submission order', async (t) => {
  const input = election(
    45,
    [
      ['x', 30],
      ['y', 20],
      ['z', 20],
    ],
    [
      ['x', 'y', 'z'],
      ['x', 'y', 'z'],
    ],
  )
  const result = greedy(input)
  t.same(result.selected, ['y', 'z'])
  t.same(result.ties, [{ stage: 'greedy', tied: ['y', 'z', 'x'], winner: 'y' }])
  t.same(outcome(result, 'x').reason, { kind: 'greedy-did-not-fit', remaining: 5, needed: 30 })
})

t.test('equal shares ties on price go to the lower cost', async (t) => {
  // Untouched projects with as many supporters cost each of them the same per unit of utility.
  const input = election(
    180,
    [
      ['a', 60],
      ['b', 30],
    ],
    [...repeat(['a'], 3), ...repeat(['b'], 3)],
  )
  const result = methodOfEqualShares(input)
  t.same(result.selected, ['b', 'a'])
  t.same(result.ties, [{ stage: 'equal-shares', tied: ['b', 'a'], winner: 'b' }])
})

t.test('equal shares ties with equal cost go to more votes, then submission order', async (t) => {
  // After c, voter v5 has nothing left: A and B then both cost their payers 20 of 40.
  const input = election(
    1400,
    [
      ['A', 40],
      ['B', 40],
      ['c', 1000],
    ],
    [['A'], ['A'], ['B'], ['B'], ['B', 'c'], ...repeat(['c'], 9)],
  )
  const result = methodOfEqualShares(input)
  t.same(result.selected, ['c', 'B', 'A'])
  t.same(result.ties, [{ stage: 'equal-shares', tied: ['B', 'A'], winner: 'B' }])

  const sameVotes = methodOfEqualShares(
    election(
      60,
      [
        ['first', 30],
        ['second', 30],
      ],
      [['second'], ['first']],
    ),
  )
  t.same(sameVotes.ties, [{ stage: 'equal-shares', tied: ['first', 'second'], winner: 'first' }])
})

t.test('prices that differ only by floating-point rounding are a tie', async (t) => {
  // (3 / 11) / 3 is a hair below (1 / 11) / 1 in floating point; exactly they are equal.
  const input = election(
    11,
    [
      ['dear', 3],
      ['cheap', 1],
    ],
    repeat(['dear', 'cheap'], 11),
  )
  const result = methodOfEqualShares(input)
  t.same(result.selected, ['cheap', 'dear'])
  t.same(result.ties, [{ stage: 'equal-shares', tied: ['cheap', 'dear'], winner: 'cheap' }])
})

t.test('equal shares reports how many supporters paid and the most any of them paid', async (t) => {
  const input = election(
    400,
    [
      ['a', 240],
      ['c', 100],
    ],
    [['a'], ['a'], ['a', 'c'], ['c']],
  )
  const result = methodOfEqualShares(input)
  t.same(result.selected, ['a', 'c'])
  t.same(outcome(result, 'a').reason, { kind: 'mes-funded', round: 1, payers: 3, maxShare: 80, paidAllTheyHad: 0 })
  // The third voter has 20 left and gives all of it; the fourth pays the other 80.
  t.same(outcome(result, 'c').reason, { kind: 'mes-funded', round: 2, payers: 2, maxShare: 80, paidAllTheyHad: 1 })
})

t.test('a project nobody chose is never funded, even when it fits', async (t) => {
  const input = election(
    100,
    [
      ['a', 10],
      ['unloved', 5],
    ],
    [['a']],
  )
  for (const result of [greedy(input), equalShares(input), methodOfEqualShares(input)]) {
    t.same(result.selected, ['a'], result.rule)
    t.same(outcome(result, 'unloved'), {
      id: 'unloved',
      votes: 0,
      cost: 5,
      funded: false,
      reason: { kind: 'no-votes' },
    })
  }
})

t.test('an empty ballot is a voter: it halves everyone’s start, and Add1 makes up for it', async (t) => {
  const input = election(100, [['a', 60]], [['a'], []])
  const plain = methodOfEqualShares(input)
  t.same(plain.selected, [])
  t.same(outcome(plain, 'a').reason, { kind: 'mes-too-little-money', supportersMoney: 50, needed: 60 })

  const completed = equalShares(input)
  t.same(completed.selected, ['a'])
  t.equal(completed.add1Steps, 10, 'from 50 to 60 per voter, one unit at a time')
  t.same(outcome(completed, 'a').reason, { kind: 'mes-funded', round: 1, payers: 1, maxShare: 60, paidAllTheyHad: 0 })
})

t.test('Add1 raises the start by one currency unit given in cost units', async (t) => {
  const inCents = equalShares(election(10_000, [['a', 6_000]], [['a'], []], 100))
  t.same(inCents.selected, ['a'])
  t.equal(inCents.add1Steps, 10)
})

t.test('Add1 stops before a rerun would overspend, and greedy completes the outcome', async (t) => {
  // At 70 per voter both projects would be bought for 140 of 100, so Add1 stops at 69.
  const input = election(
    100,
    [
      ['a', 70],
      ['b', 70],
    ],
    [['a'], ['b']],
  )
  const result = equalShares(input)
  t.equal(result.add1Steps, 19)
  t.same(result.selected, ['a'])
  t.same(outcome(result, 'a'), {
    id: 'a',
    votes: 1,
    cost: 70,
    funded: true,
    reason: { kind: 'completion-funded', remainingBefore: 100 },
    mesReason: { kind: 'mes-too-little-money', supportersMoney: 69, needed: 70 },
  })
  t.same(outcome(result, 'b').reason, { kind: 'completion-did-not-fit', remaining: 30, needed: 70 })
  t.same(result.ties, [{ stage: 'completion', tied: ['a', 'b'], winner: 'a' }])
})

t.test('a project costing more than the whole budget is never funded', async (t) => {
  const input = election(
    100,
    [
      ['huge', 150],
      ['small', 20],
    ],
    [['huge'], ['huge', 'small']],
  )
  t.same(outcome(greedy(input), 'huge').reason, { kind: 'greedy-did-not-fit', remaining: 100, needed: 150 })
  t.same(outcome(methodOfEqualShares(input), 'huge').reason, {
    kind: 'mes-too-little-money',
    supportersMoney: 80,
    needed: 150,
  })
  const completed = equalShares(input)
  t.same(completed.selected, ['small'])
  t.equal(outcome(completed, 'huge').reason.kind, 'completion-did-not-fit')
})

t.test('an election without voters funds nothing', async (t) => {
  const input = election(100, [['a', 10]], [])
  for (const result of [greedy(input), equalShares(input), methodOfEqualShares(input)]) {
    t.same(result.selected, [], result.rule)
    t.equal(result.totalCost, 0)
    t.same(outcome(result, 'a').reason, { kind: 'no-votes' })
  }
  t.equal(equalShares(input).add1Steps, 0)
})

t.test('a free project someone chose is bought first and costs nobody anything', async (t) => {
  const result = equalShares(
    election(
      10,
      [
        ['paid', 10],
        ['free', 0],
      ],
      [['paid', 'free']],
    ),
  )
  t.same(result.selected, ['free', 'paid'])
  t.same(outcome(result, 'free').reason, { kind: 'mes-funded', round: 1, payers: 0, maxShare: 0, paidAllTheyHad: 0 })
})

t.test('a voter who lists a project twice supports it once', async (t) => {
  const result = greedy(election(10, [['a', 10]], [['a', 'a']]))
  t.equal(outcome(result, 'a').votes, 1)
})

t.test('an inconsistent input is refused', async (t) => {
  t.throws(() => greedy(election(10, [['a', 1]], [['b']])), /unknown project b/)
  t.throws(() => greedy(election(10, [['a', -1]], [])), /non-negative integer/)
  t.throws(() => greedy(election(10.5, [['a', 1]], [])), /budget/)
  t.throws(
    () =>
      greedy(
        election(
          10,
          [
            ['a', 1],
            ['a', 2],
          ],
          [],
        ),
      ),
    /twice/,
  )
  t.throws(() => equalShares(election(10, [['a', 1]], [], 0)), /unit/)
})
