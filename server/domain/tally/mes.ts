import type { Election } from './election.js'

/**
 * Money is fractional (budget / voters), so floating point is used; exact
 * rationals would be hundreds of times slower. Rounding errors stay around
 * 1e-13 relative, far below this tolerance, and real differences between
 * prices are far above it: prices this close are treated as a tie, and a
 * project whose supporters hold this close to its cost as affordable.
 */
const TOLERANCE = 1e-9

export interface Purchase {
  /** 1-based. */
  round: number
  payers: number
  maxShare: number
  paidAllTheyHad: number
}

export interface MesRun {
  /** Project indices in selection order. */
  selected: number[]
  funded: Uint8Array
  totalCost: number
  purchases: Map<number, Purchase>
  /** Each group's money per voter when no project was affordable any more. */
  money: Float64Array
  /** Each tie, as project indices in tie-break order. */
  ties: number[][]
}

/**
 * The share each supporter of p pays if p is bought now: the x with
 * sum over supporters of min(money, x) = cost, or -1 when their money falls
 * short. Found by moving supporters who cannot pay x to "pays all they have"
 * until no one moves; starting from a lower bound (the share before money
 * was last spent) this takes a pass or two rather than a sort. The passes
 * after the first read only the supporters not yet moved, copied into
 * `spare`, rather than jumping through the money of all of them again.
 */
function equalShare(election: Election, money: Float64Array, p: number, lowerBound: number, spare: Spare): number {
  const { supStart, supGroups, groupSize } = election
  const cost = election.cost[p]!
  const supporters = election.votes[p]!
  const { money: spareMoney, size: spareSize } = spare
  let total = 0
  let richest = 0
  let poorMoney = 0
  let poor = 0
  let left = 0
  for (let k = supStart[p]!; k < supStart[p + 1]!; k++) {
    const g = supGroups[k]!
    const have = money[g]!
    const size = groupSize[g]!
    total += size * have
    if (have > richest) richest = have
    if (have < lowerBound) {
      poorMoney += size * have
      poor += size
    } else {
      spareMoney[left] = have
      spareSize[left++] = size
    }
  }
  if (total < cost * (1 - TOLERANCE)) return -1
  if (total <= cost * (1 + TOLERANCE) || poor === supporters) return richest
  if (poor === 0) return cost / supporters

  for (;;) {
    const share = (cost - poorMoney) / (supporters - poor)
    let kept = 0
    for (let i = 0; i < left; i++) {
      const have = spareMoney[i]!
      if (have < share) {
        poorMoney += spareSize[i]! * have
        poor += spareSize[i]!
      } else {
        spareMoney[kept] = have
        spareSize[kept++] = spareSize[i]!
      }
    }
    if (kept === left) return share
    if (poor === supporters) return richest
    left = kept
  }
}

/**
 * On points ballots, the share per point σ each supporter of p pays if p is bought now: the σ with
 * sum over supporters of min(money, σ · points) = cost, or -1 when their money
 * falls short (on approval ballots every supporter has one point, so σ is the
 * share itself). Found by moving supporters who cannot pay σ · points to "pays
 * all they have" until no one moves; starting from a lower bound (the share
 * before money was last spent) this takes a pass or two rather than a sort.
 * The passes after the first read only the supporters not yet moved, copied
 * into `spare`, rather than jumping through the money of all of them again.
 */
function sharePerPoint(election: Election, money: Float64Array, p: number, lowerBound: number, spare: Spare): number {
  const { supStart, supGroups, supPoints, groupSize } = election
  const cost = election.cost[p]!
  const supporters = election.votes[p]!
  const weight = election.points[p]!
  const { money: spareMoney, size: spareSize, points: sparePoints } = spare
  let total = 0
  let richest = 0
  let poorMoney = 0
  let poor = 0
  let poorWeight = 0
  let left = 0
  for (let k = supStart[p]!; k < supStart[p + 1]!; k++) {
    const g = supGroups[k]!
    const have = money[g]!
    const size = groupSize[g]!
    const w = supPoints[k]!
    total += size * have
    const perPoint = have / w
    if (perPoint > richest) richest = perPoint
    if (have < lowerBound * w) {
      poorMoney += size * have
      poor += size
      poorWeight += size * w
    } else {
      spareMoney[left] = have
      sparePoints[left] = w
      spareSize[left++] = size
    }
  }
  if (total < cost * (1 - TOLERANCE)) return -1
  if (total <= cost * (1 + TOLERANCE) || poor === supporters) return richest
  if (poor === 0) return cost / weight

  for (;;) {
    const share = (cost - poorMoney) / (weight - poorWeight)
    let kept = 0
    for (let i = 0; i < left; i++) {
      const have = spareMoney[i]!
      const w = sparePoints[i]!
      if (have < share * w) {
        poorMoney += spareSize[i]! * have
        poor += spareSize[i]!
        poorWeight += spareSize[i]! * w
      } else {
        spareMoney[kept] = have
        sparePoints[kept] = w
        spareSize[kept++] = spareSize[i]!
      }
    }
    if (kept === left) return share
    if (poor === supporters) return richest
    left = kept
  }
}

/** Room for one project's supporters, reused by every pricing in a run. */
interface Spare {
  money: Float64Array
  size: Float64Array
  points: Float64Array
}

/**
 * The projects whose price can change when p is bought: those sharing a
 * supporter with it. Remembered on the election, as the Add1 reruns buy the
 * same projects again and again.
 */
function neighbours(election: Election, p: number): Int32Array {
  const known = election.neighbours.get(p)
  if (known) return known
  const { supStart, supGroups, ballotStart, ballotProjects } = election
  const shared = new Uint8Array(election.cost.length)
  for (let k = supStart[p]!; k < supStart[p + 1]!; k++) {
    const g = supGroups[k]!
    for (let j = ballotStart[g]!; j < ballotStart[g + 1]!; j++) shared[ballotProjects[j]!] = 1
  }
  const list = Int32Array.from(shared.keys()).filter((q) => shared[q] === 1)
  election.neighbours.set(p, list)
  return list
}

/**
 * Method of Equal Shares with cost utilities: every voter starts with
 * `start`; each round buys the project with the lowest price per unit of
 * utility (share / cost), its supporters paying the share or all they have
 * left.
 *
 * On points ballots a voter's utility for p is points_i(p) · cost(p) (the
 * score-ballot variant of equalshares.net): p is affordable at rate ρ when
 * Σ_i min(money_i, ρ · points_i(p) · cost(p)) ≥ cost(p); the round buys the
 * project with the smallest such ρ (ties: lower cost, more points, lower
 * submission order), each supporter paying min(money_i, ρ · points_i(p) ·
 * cost(p)). Here σ = ρ · cost(p) is the share per point and the price is
 * σ / cost(p) = ρ; with one point each this is the approval rule exactly.
 * A project's price only rises as money is spent, so the last price
 * is a lower bound and only projects whose bound could win are recomputed.
 */
export function runMes(election: Election, start: number): MesRun {
  const { cost, votes, points, rank, supStart, supGroups, supPoints, groupSize, cumulative } = election
  const m = cost.length
  const money = new Float64Array(groupSize.length).fill(start)
  const funded = new Uint8Array(m)
  const price = new Float64Array(m)
  const share = new Float64Array(m)
  const stale = new Uint8Array(m)
  let most = 0
  for (let p = 0; p < m; p++) most = Math.max(most, supStart[p + 1]! - supStart[p]!)
  const spare = { money: new Float64Array(most), size: new Float64Array(most), points: new Float64Array(most) }
  const selected: number[] = []
  const purchases = new Map<number, Purchase>()
  const ties: number[][] = []
  let totalCost = 0

  const buy = (p: number, purchase: Omit<Purchase, 'round'>) => {
    funded[p] = 1
    selected.push(p)
    totalCost += cost[p]!
    purchases.set(p, { round: selected.length, ...purchase })
  }

  let candidates: number[] = []
  for (const p of election.byRank) {
    if (votes[p] === 0) continue
    // Free projects cost nobody anything, so they are bought first.
    if (cost[p] === 0) buy(p, { payers: 0, maxShare: 0, paidAllTheyHad: 0 })
    else {
      candidates.push(p)
      share[p] = cost[p]! / points[p]!
      price[p] = 1 / points[p]!
      stale[p] = 1
    }
  }

  for (;;) {
    candidates.sort((a, b) => price[a]! - price[b]!)
    let best = Infinity
    const still: number[] = []
    for (const p of candidates) {
      if (price[p]! > best * (1 + TOLERANCE)) {
        still.push(p)
        continue
      }
      if (stale[p] === 1) {
        const s = election.cumulative
          ? sharePerPoint(election, money, p, share[p]!, spare)
          : equalShare(election, money, p, share[p]!, spare)
        if (s < 0) continue
        share[p] = s
        price[p] = s / cost[p]!
        stale[p] = 0
      }
      still.push(p)
      if (price[p]! < best) best = price[p]!
    }
    if (best === Infinity) break

    const limit = best * (1 + TOLERANCE)
    const tied = still.filter((p) => price[p]! <= limit).sort((a, b) => rank[a]! - rank[b]!)
    const winner = tied[0]!
    if (tied.length > 1) ties.push(tied)
    candidates = still.filter((p) => p !== winner)

    const s = share[winner]!
    let payers = 0
    let paidAllTheyHad = 0
    let maxShare = 0
    for (let k = supStart[winner]!; k < supStart[winner + 1]!; k++) {
      const g = supGroups[k]!
      const have = money[g]!
      if (have <= 0) continue
      const due = cumulative ? s * supPoints[k]! : s
      // Within the tolerance of the share a supporter pays everything, so
      // no crumbs of money are left to blur the next rounds' explanations.
      const pays = have <= due * (1 + TOLERANCE) ? have : due
      money[g] = have - pays
      payers += groupSize[g]!
      if (have < due * (1 - TOLERANCE)) paidAllTheyHad += groupSize[g]!
      if (pays > maxShare) maxShare = pays
    }
    for (const q of neighbours(election, winner)) stale[q] = 1
    buy(winner, { payers, maxShare, paidAllTheyHad })
  }
  return { selected, funded, totalCost, purchases, money, ties }
}
