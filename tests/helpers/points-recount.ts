/**
 * An independent second count of points (cumulative) ballots, in exact rational arithmetic
 * (BigInt fractions), sharing no code with server/domain/tally: deliberately simple and slow.
 * It is the yardstick the product's points tally is checked against.
 *
 * The rules, as the product defines them:
 * - greedy: projects by total points, most first, each bought when it still fits;
 * - equal shares: every voter starts with budget / voters (raised by one `unit` per Add1 step);
 *   a voter's utility for p is points(p) · cost(p); p is affordable at rate ρ when
 *   Σ min(money_i, ρ · points_i(p) · cost(p)) ≥ cost(p); each round buys the project with the
 *   smallest ρ, each supporter paying min(money_i, ρ · points_i(p) · cost(p)). Add1 raises the
 *   start while the outcome leaves a chosen project that would still fit and the rerun stays
 *   within the budget; then greedy by total points spends what is left.
 * - ties everywhere: lower cost, then more points, then lower submission order.
 */

/** The recount's own reading of a parsed .pb file's cumulative ballots (entries for one project add up). */
export function pointsElection(pb: {
  meta: Record<string, string>
  projects: { id: string; cost: number }[]
  votes: { vote: string[]; points?: number[] }[]
}): PointsElection {
  return {
    budget: Number(pb.meta['budget']),
    unit: 1,
    projects: pb.projects.map(({ id, cost }) => ({ id, cost })),
    ballots: pb.votes.map(({ vote, points }) => {
      const ballot = new Map<string, number>()
      vote.forEach((id, k) => ballot.set(id, (ballot.get(id) ?? 0) + points![k]!))
      return ballot
    }),
  }
}

export interface PointsElection {
  budget: number
  unit: number
  /** In submission order. */
  projects: { id: string; cost: number }[]
  /** Per voter: project id → points (a project left out or given 0 points is not chosen). */
  ballots: Map<string, number>[]
}

/** A fraction n / d with d > 0, always in lowest terms. */
interface Q {
  n: bigint
  d: bigint
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

function q(n: bigint, d = 1n): Q {
  if (d < 0n) [n, d] = [-n, -d]
  const g = gcd(n, d)
  return g > 1n ? { n: n / g, d: d / g } : { n, d }
}

const add = (a: Q, b: Q) => q(a.n * b.d + b.n * a.d, a.d * b.d)
const sub = (a: Q, b: Q) => q(a.n * b.d - b.n * a.d, a.d * b.d)
const mul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d)
const div = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n)
const cmp = (a: Q, b: Q) => {
  const x = a.n * b.d - b.n * a.d
  return x < 0n ? -1 : x > 0n ? 1 : 0
}
const min = (a: Q, b: Q) => (cmp(a, b) <= 0 ? a : b)
const int = (n: number) => q(BigInt(n))

interface Prepared {
  e: PointsElection
  /** Identical ballots merged: each group with its size. */
  groups: { size: bigint; points: Map<string, bigint> }[]
  totalPoints: Map<string, number>
  order: Map<string, number>
  cost: Map<string, number>
}

function prepare(e: PointsElection): Prepared {
  const byKey = new Map<string, { size: bigint; points: Map<string, bigint> }>()
  for (const ballot of e.ballots) {
    const chosen = [...ballot].filter(([, pts]) => pts > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const key = JSON.stringify(chosen)
    const group = byKey.get(key)
    if (group) group.size++
    else byKey.set(key, { size: 1n, points: new Map(chosen.map(([id, pts]) => [id, BigInt(pts)])) })
  }
  const totalPoints = new Map(e.projects.map((p) => [p.id, 0]))
  for (const ballot of e.ballots) for (const [id, pts] of ballot) totalPoints.set(id, totalPoints.get(id)! + pts)
  return {
    e,
    groups: [...byKey.values()],
    totalPoints,
    order: new Map(e.projects.map((p, i) => [p.id, i])),
    cost: new Map(e.projects.map((p) => [p.id, p.cost])),
  }
}

function tieBreak(pr: Prepared) {
  return (a: string, b: string) =>
    pr.cost.get(a)! - pr.cost.get(b)! ||
    pr.totalPoints.get(b)! - pr.totalPoints.get(a)! ||
    pr.order.get(a)! - pr.order.get(b)!
}

function greedyWalk(pr: Prepared, skip: Set<string>, left: number): string[] {
  const ids = pr.e.projects
    .map((p) => p.id)
    .filter((id) => !skip.has(id) && pr.totalPoints.get(id)! > 0)
    .sort((a, b) => pr.totalPoints.get(b)! - pr.totalPoints.get(a)! || tieBreak(pr)(a, b))
  const bought: string[] = []
  for (const id of ids) {
    if (pr.cost.get(id)! <= left) {
      bought.push(id)
      left -= pr.cost.get(id)!
    }
  }
  return bought
}

export function recountPointsGreedy(e: PointsElection): string[] {
  return greedyWalk(prepare(e), new Set(), e.budget)
}

/**
 * The smallest share per point σ = ρ · cost with Σ min(money, σ · points) = cost over the
 * supporters, or undefined when all their money is less than the cost. Sorting the supporters
 * by money per point, the poorest pay all they have until the rest can share evenly.
 */
function sharePerPoint(pr: Prepared, money: Q[], id: string): Q | undefined {
  const cost = int(pr.cost.get(id)!)
  const supporters = pr.groups.flatMap((g, i) => {
    const pts = g.points.get(id)
    return pts === undefined ? [] : [{ i, size: g.size, pts, perPoint: div(money[i]!, q(pts)) }]
  })
  let total = int(0)
  for (const s of supporters) total = add(total, mul(money[s.i]!, q(s.size)))
  if (cmp(total, cost) < 0) return undefined
  supporters.sort((a, b) => cmp(a.perPoint, b.perPoint))
  let rest = cost
  let weight = 0n
  for (const s of supporters) weight += s.size * s.pts
  for (const s of supporters) {
    const share = div(rest, q(weight))
    if (cmp(s.perPoint, share) >= 0) return share
    rest = sub(rest, mul(money[s.i]!, q(s.size)))
    weight -= s.size * s.pts
  }
  // Everyone pays all they have and that is exactly the cost: the richest per point sets σ.
  return supporters[supporters.length - 1]!.perPoint
}

/** What one equal-shares purchase cost its supporters, for checking the tally's explanations. */
export interface PointsPurchase {
  id: string
  /** Supporters who still had money and paid. */
  payers: number
  /** The most one supporter paid. */
  maxPayment: number
  /** Payers whose money was below what their points asked: they paid all they had. */
  paidAllTheyHad: number
}

interface MesOutcome {
  bought: string[]
  spent: number
  purchases: PointsPurchase[]
  /** Every project's supporters' money together when equal shares ended. */
  supportersMoney: Map<string, number>
}

const toNumber = (a: Q) => Number(a.n) / Number(a.d)

function mes(pr: Prepared, start: Q): MesOutcome {
  const money = pr.groups.map(() => start)
  const open = new Set(pr.e.projects.filter((p) => pr.totalPoints.get(p.id)! > 0).map((p) => p.id))
  const bought: string[] = []
  const purchases: PointsPurchase[] = []
  let spent = 0
  for (;;) {
    let best: { id: string; rho: Q; share: Q } | undefined
    for (const id of [...open].sort(tieBreak(pr))) {
      const cost = pr.cost.get(id)!
      if (cost === 0) {
        best ??= { id, rho: int(0), share: int(0) }
        if (cmp(best.rho, int(0)) > 0) best = { id, rho: int(0), share: int(0) }
        continue
      }
      const share = sharePerPoint(pr, money, id)
      if (share === undefined) continue
      const rho = div(share, int(cost))
      if (!best || cmp(rho, best.rho) < 0) best = { id, rho, share }
    }
    if (!best) break
    const purchase: PointsPurchase = { id: best.id, payers: 0, maxPayment: 0, paidAllTheyHad: 0 }
    let most = int(0)
    pr.groups.forEach((g, i) => {
      const pts = g.points.get(best.id)
      if (pts === undefined || cmp(money[i]!, int(0)) <= 0) return
      const due = mul(best.share, q(pts))
      const pays = min(money[i]!, due)
      purchase.payers += Number(g.size)
      if (cmp(money[i]!, due) < 0) purchase.paidAllTheyHad += Number(g.size)
      if (cmp(pays, most) > 0) most = pays
      money[i] = sub(money[i]!, pays)
    })
    purchase.maxPayment = toNumber(most)
    purchases.push(purchase)
    open.delete(best.id)
    bought.push(best.id)
    spent += pr.cost.get(best.id)!
  }
  const supportersMoney = new Map(
    pr.e.projects.map(({ id }) => {
      let total = int(0)
      pr.groups.forEach((g, i) => {
        if (g.points.has(id)) total = add(total, mul(money[i]!, q(g.size)))
      })
      return [id, toNumber(total)]
    }),
  )
  return { bought, spent, purchases, supportersMoney }
}

/**
 * Equal shares for points at the start raised `steps` times by one unit, then the greedy
 * completion; says whether that run left a chosen project that still fits (not exhaustive) and
 * whether the run one step further spends more than the budget. For the large elections, where
 * hundreds of exact reruns take minutes, the tests check the product's Add1 steps with it: the
 * run at `steps` within budget and final, the run one step before not final.
 */
export function recountPointsEqualSharesAt(
  e: PointsElection,
  steps: number,
): {
  selected: string[]
  spent: number
  exhaustive: boolean
  nextOverspends: boolean
  purchases: PointsPurchase[]
  supportersMoney: Map<string, number>
} {
  const pr = prepare(e)
  const base = e.ballots.length > 0 ? q(BigInt(e.budget), BigInt(e.ballots.length)) : int(0)
  const run = mes(pr, add(base, int(steps * e.unit)))
  const completion = greedyWalk(pr, new Set(run.bought), e.budget - run.spent)
  const exhaustive = completion.length === 0
  const nextOverspends = mes(pr, add(base, int((steps + 1) * e.unit))).spent > e.budget
  return {
    selected: [...run.bought, ...completion],
    spent: run.spent,
    exhaustive,
    nextOverspends,
    purchases: run.purchases,
    supportersMoney: run.supportersMoney,
  }
}

/** Equal shares for points with Add1 (every step run) and greedy completion; also returns the Add1 steps. */
export function recountPointsEqualShares(e: PointsElection): {
  selected: string[]
  add1Steps: number
  purchases: PointsPurchase[]
  supportersMoney: Map<string, number>
} {
  const pr = prepare(e)
  const base = e.ballots.length > 0 ? q(BigInt(e.budget), BigInt(e.ballots.length)) : int(0)
  const exhaustive = (run: { bought: string[]; spent: number }) =>
    greedyWalk(pr, new Set(run.bought), e.budget - run.spent).length === 0
  let run = mes(pr, base)
  let steps = 0
  while (!exhaustive(run)) {
    const next = mes(pr, add(base, int((steps + 1) * e.unit)))
    if (next.spent > e.budget) break
    run = next
    steps++
  }
  const completion = greedyWalk(pr, new Set(run.bought), e.budget - run.spent)
  return {
    selected: [...run.bought, ...completion],
    add1Steps: steps,
    purchases: run.purchases,
    supportersMoney: run.supportersMoney,
  }
}
