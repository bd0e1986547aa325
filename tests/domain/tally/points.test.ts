import t from 'tap'
import { parsePb, pbTallyInput, writePb } from '../../../server/domain/pabulib/read.js'
import { equalShares, greedy, type TallyInput } from '../../../server/domain/tally/tally.js'
import { explanationSteps } from '../../../server/domain/results/explanation.js'
import { readPabulib, type PabulibFile } from '../../helpers/pabulib.js'
import {
  pointsElection,
  recountPointsEqualShares,
  recountPointsEqualSharesAt,
  recountPointsGreedy,
  type PointsElection,
  type PointsPurchase,
} from '../../helpers/points-recount.js'
import type { TallyResult } from '../../../server/domain/tally/tally.js'

/**
 * Every equal-shares explanation of the tally against the exact recount's own trace: who paid,
 * the most one paid (rounded, as shown), who paid all they had, and what supporters had left.
 * Returns the faults, empty when all agree.
 */
function explanationFaults(
  result: TallyResult,
  exact: { purchases: PointsPurchase[]; supportersMoney: Map<string, number> },
): string[] {
  const faults: string[] = []
  const bought = new Map(exact.purchases.map((p, i) => [p.id, { ...p, round: i + 1 }]))
  for (const outcome of result.projects) {
    for (const step of explanationSteps(outcome)) {
      const { reason } = step
      if (reason.kind === 'mes-funded') {
        if (outcome.cost === 0) continue
        const p = bought.get(outcome.id)
        if (!p) faults.push(`${outcome.id}: funded by equal shares, not in the recount`)
        else if (
          p.round !== reason.round ||
          p.payers !== reason.payers ||
          p.paidAllTheyHad !== reason.paidAllTheyHad ||
          Math.abs(p.maxPayment - reason.maxShare) > 0.5 + 1e-6
        ) {
          faults.push(`${outcome.id}: ${JSON.stringify(reason)} against the recount's ${JSON.stringify(p)}`)
        }
      } else if (reason.kind === 'mes-too-little-money') {
        const money = exact.supportersMoney.get(outcome.id)!
        if (bought.has(outcome.id) || Math.abs(Math.floor(money) - reason.supportersMoney) > 1) {
          faults.push(`${outcome.id}: supporters had ${reason.supportersMoney}, the recount ${money}`)
        }
      }
    }
  }
  return faults
}

const projects = (...costs: number[]) => costs.map((cost, order) => ({ id: 'ABCDEFGH'[order]!, cost, order }))

t.test('greedy goes by total points, not by how many voters chose a project', async (t) => {
  const approval: TallyInput = { budget: 50, unit: 1, projects: projects(50, 50), ballots: [['A'], ['B'], ['B']] }
  t.same(greedy(approval).selected, ['B'], 'approval: two votes beat one')
  const points = { ...approval, points: [[3], [1], [1]] }
  const result = greedy(points)
  t.same(result.selected, ['A'], 'points: three points beat two')
  t.same(
    result.projects.map((p) => [p.id, p.votes, p.points]),
    [
      ['A', 1, 3],
      ['B', 2, 2],
    ],
  )
})

t.test('one point on every chosen project counts exactly as the approval ballot', async (t) => {
  const ballots = [['A', 'B'], ['B', 'C'], ['C'], ['A', 'C', 'D'], []]
  const approval: TallyInput = { budget: 170, unit: 1, projects: projects(60, 50, 70, 40), ballots }
  const points = { ...approval, points: ballots.map((b) => b.map(() => 1)) }
  for (const rule of [greedy, equalShares]) {
    const a = rule(approval)
    const p = rule(points)
    t.same({ ...p, projects: p.projects.map(({ points, ...rest }) => (t.equal(points, rest.votes), rest)) }, a)
  }
})

t.test('equal shares for points: a supporter pays the share per point times their points', async (t) => {
  // 3 voters, 100 each. A (200): voter 1 gives 3 points, voter 2 one point; at σ = 100 per point
  // voter 1 would owe 300 and pays all 100, voter 2 pays 100: ρ = 100 / 200. B (100): voter 3
  // alone, ρ = 1. C (100): voter 1's one point, ρ = 1 too; after A voter 1 has nothing left.
  // (With 2 points on C, ρ would be 50 / 100 and C, cheaper than A, would win that tie.)
  const input: TallyInput = {
    budget: 300,
    unit: 1,
    projects: projects(200, 100, 100),
    ballots: [['A', 'C'], ['A'], ['B']],
    points: [[3, 1], [1], [1]],
  }
  const result = equalShares(input)
  t.same(result.selected, ['A', 'B'])
  t.equal(result.add1Steps, 0)
  const [a, b, c] = result.projects.map(explanationSteps)
  t.same(a, [
    { stage: 'equal-shares', reason: { kind: 'mes-funded', round: 1, payers: 2, maxShare: 100, paidAllTheyHad: 1 } },
  ])
  t.same(b, [
    { stage: 'equal-shares', reason: { kind: 'mes-funded', round: 2, payers: 1, maxShare: 100, paidAllTheyHad: 0 } },
  ])
  t.same(c, [
    { stage: 'equal-shares', reason: { kind: 'mes-too-little-money', supportersMoney: 0, needed: 100 } },
    { stage: 'completion', reason: { kind: 'completion-did-not-fit', remaining: 0, needed: 100 } },
  ])
  t.equal(result.projects[0]!.points, 4)
})

t.test('points ballots: zero points is no vote, a project listed twice adds up, bad points are refused', async (t) => {
  const input: TallyInput = {
    budget: 100,
    unit: 1,
    projects: projects(100, 100),
    ballots: [['A', 'B', 'A'], ['B']],
    points: [[1, 0, 2], [2]],
  }
  const result = greedy(input)
  t.same(
    result.projects.map((p) => [p.id, p.votes, p.points]),
    [
      ['A', 1, 3],
      ['B', 1, 2],
    ],
  )
  t.same(result.selected, ['A'])
  t.throws(() => greedy({ ...input, points: [[1, 1], [2]] }), RangeError, 'points not parallel to the ballot')
  t.throws(() => greedy({ ...input, points: [[1, -1, 1], [2]] }), RangeError, 'negative points')
  t.throws(() => greedy({ ...input, points: [[1, 0.5, 1], [2]] }), RangeError, 'fractional points')
})

/** mulberry32, so a failing election can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = Math.imul(state ^ (state >>> 15), 1 | state)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  return (n: number) => Math.floor(next() * n)
}

/** A small random points election: equal costs, free projects and empty ballots included, so ties and edge cases come up. */
function randomElection(seed: number): { input: TallyInput; recount: PointsElection } {
  const int = random(seed)
  const m = 1 + int(6)
  const costs = Array.from({ length: m }, () => (int(8) === 0 ? 0 : 10 * (1 + int(10))))
  const voters = int(12)
  const maxPoints = 1 + int(4)
  const ballots: string[][] = []
  const points: number[][] = []
  for (let v = 0; v < voters; v++) {
    const ballot: string[] = []
    const given: number[] = []
    for (let p = 0; p < m; p++) {
      if (int(2) === 0) continue
      ballot.push('ABCDEFGH'[p]!)
      given.push(int(maxPoints + 1))
    }
    ballots.push(ballot)
    points.push(given)
  }
  const budget = int(costs.reduce((a, b) => a + b, 0) + 1)
  const unit = 1 + int(5)
  const input: TallyInput = { budget, unit, projects: projects(...costs), ballots, points }
  const recount: PointsElection = {
    budget,
    unit,
    projects: input.projects.map(({ id, cost }) => ({ id, cost })),
    ballots: ballots.map((b, v) => new Map(b.map((id, k) => [id, points[v]![k]!]))),
  }
  return { input, recount }
}

t.test('200 random small points elections: the exact recount agrees under both rules, explanations too', async (t) => {
  let disagreements = 0
  let add1Used = 0
  for (let seed = 1; seed <= 200; seed++) {
    const { input, recount } = randomElection(seed)
    const g = greedy(input)
    const es = equalShares(input)
    const exact = recountPointsEqualShares(recount)
    if (exact.add1Steps > 0) add1Used++
    const faults = explanationFaults(es, exact)
    if (faults.length > 0) t.fail(`seed ${seed}: ${faults.join('; ')}`)
    const same =
      faults.length === 0 &&
      JSON.stringify(g.selected) === JSON.stringify(recountPointsGreedy(recount)) &&
      JSON.stringify(es.selected) === JSON.stringify(exact.selected) &&
      es.add1Steps === exact.add1Steps
    if (!same) {
      disagreements++
      t.fail(
        `seed ${seed}: product ${g.selected.join()}/${es.selected.join()} (${es.add1Steps}), ` +
          `recount ${exact.selected.join()} (${exact.add1Steps})`,
      )
    }
  }
  t.equal(disagreements, 0)
  t.ok(add1Used > 10, `Add1 raised the start in ${add1Used} of the elections`)
})

for (const file of ['france_toulouse_2019_.pb', 'poland_czestochowa_2020_.pb'] as PabulibFile[]) {
  t.test(`${file}: the exact recount agrees under both rules`, async (t) => {
    const parsed = parsePb(readPabulib(file))
    t.equal(parsed.meta['vote_type'], 'cumulative')
    const input = pbTallyInput(parsed)
    const recount = pointsElection(parsed)

    t.same(greedy(input).selected, recountPointsGreedy(recount), 'greedy by total points')

    // Every one of the hundreds of Add1 reruns in exact arithmetic takes minutes here, so the
    // recount checks the product's step: the run there is within budget and final (nothing chosen
    // still fits, or one step more overspends), and the run one step before was not final.
    const result = equalShares(input)
    const steps = result.add1Steps!
    t.ok(steps > 0, `Add1 steps: ${steps}`)
    const at = recountPointsEqualSharesAt(recount, steps)
    t.same(result.selected, at.selected, 'equal shares: the same projects in the same order')
    t.ok(at.spent <= input.budget, 'the run is within budget')
    t.ok(at.exhaustive || at.nextOverspends, 'and final')
    t.same(explanationFaults(result, at), [], 'every equal-shares explanation agrees with the recount')
    const before = recountPointsEqualSharesAt(recount, steps - 1)
    t.notOk(before.exhaustive, 'the run one step before left a chosen project that fits')
  })
}

t.test('the points elections round-trip: the VOTES section comes back byte for byte', async (t) => {
  for (const file of ['france_toulouse_2019_.pb', 'poland_czestochowa_2020_.pb'] as PabulibFile[]) {
    const text = readPabulib(file)
    const parsed = parsePb(text)
    t.equal(parsed.meta['vote_type'], 'cumulative', `${file}: vote_type`)
    const written = writePb(parsed)
    const votes = (pb: string) => pb.slice(pb.indexOf('\nVOTES\n'))
    t.equal(votes(written), votes(text), `${file}: VOTES`)
    const again = parsePb(written)
    for (const key of ['max_points', 'max_sum_points', 'min_sum_points', 'vote_type']) {
      t.equal(again.meta[key], parsed.meta[key], `${file}: ${key}`)
    }
  }
})

t.test(
  "the files' own counts agree: votes (and Częstochowa's score) per project are the tally's votes and points",
  async (t) => {
    for (const file of ['france_toulouse_2019_.pb', 'poland_czestochowa_2020_.pb'] as PabulibFile[]) {
      const parsed = parsePb(readPabulib(file))
      const outcomes = new Map(greedy(pbTallyInput(parsed)).projects.map((p) => [p.id, p]))
      let checked = 0
      for (const project of parsed.projects) {
        const outcome = outcomes.get(project.id)!
        // One Częstochowa voter lists project 579 four times with a point each: the file's votes
        // count four, the tally one voter who gave it 4 points (its score agrees).
        const listings = file === 'poland_czestochowa_2020_.pb' && project.id === '579' ? 3 : 0
        t.equal(outcome.votes + listings, Number(project.fields['votes']), `${file} ${project.id}: votes`)
        if (project.fields['score'] !== undefined) {
          t.equal(outcome.points, Number(project.fields['score']), `${file} ${project.id}: points`)
          checked++
        }
      }
      if (file === 'poland_czestochowa_2020_.pb') t.equal(checked, parsed.projects.length, 'every score checked')
    }
  },
)
