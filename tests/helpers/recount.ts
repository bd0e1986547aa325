import type { TallyInput } from '../../server/domain/tally/tally.js'

/**
 * A second count, written apart from server/domain/tally and as plainly as possible: one money
 * figure per voter (no groups, no typed arrays, no price bounds), every share found by sorting.
 * Slow, and meant to be: it is the yardstick the tally's explanations are checked against.
 */

const TOLERANCE = 1e-9

export interface RecountPurchase {
  id: string
  /** Supporters who still had money and paid. */
  payers: number
  /** What each payer paid, summed. */
  paid: number
  maxPayment: number
  /** Payers whose money was below the share: they paid all they had. */
  paidAllTheyHad: number
}

export interface Recount {
  /** Equal shares' purchases, in the order they were made. */
  purchases: RecountPurchase[]
  /** Every project's supporters' money together when equal shares ended. */
  supportersMoney: Map<string, number>
  /** The completion (or greedy) walk: each project it considered, with the money left when its turn came. */
  walk: { id: string; left: number; funded: boolean }[]
}

function supportersOf(input: TallyInput): Map<string, number[]> {
  const supporters = new Map(input.projects.map((p) => [p.id, [] as number[]]))
  input.ballots.forEach((ballot, voter) => {
    for (const id of new Set(ballot)) supporters.get(id)!.push(voter)
  })
  return supporters
}

/** Lower cost, then more votes, then lower submission order. */
function tieBreak(input: TallyInput, supporters: Map<string, number[]>) {
  return (a: string, b: string) => {
    const pa = input.projects.find((p) => p.id === a)!
    const pb = input.projects.find((p) => p.id === b)!
    return pa.cost - pb.cost || supporters.get(b)!.length - supporters.get(a)!.length || pa.order - pb.order
  }
}

/** The share x with sum of min(money, x) over the supporters = cost, or undefined when they hold too little. */
function shareFor(money: number[], voters: number[], cost: number): number | undefined {
  const held = voters.map((v) => money[v]!).sort((a, b) => a - b)
  const total = held.reduce((sum, m) => sum + m, 0)
  if (total < cost * (1 - TOLERANCE)) return undefined
  let rest = cost
  for (let i = 0; i < held.length; i++) {
    const share = rest / (held.length - i)
    if (held[i]! >= share) return share
    rest -= held[i]!
  }
  return held[held.length - 1]
}

function greedyWalk(
  input: TallyInput,
  supporters: Map<string, number[]>,
  skip: Set<string>,
  left: number,
): Recount['walk'] {
  const order = input.projects
    .map((p) => p.id)
    .filter((id) => !skip.has(id) && supporters.get(id)!.length > 0)
    .sort((a, b) => supporters.get(b)!.length - supporters.get(a)!.length || tieBreak(input, supporters)(a, b))
  return order.map((id) => {
    const cost = input.projects.find((p) => p.id === id)!.cost
    const funded = cost <= left
    const step = { id, left, funded }
    if (funded) left -= cost
    return step
  })
}

/** Equal shares from `start` per voter, then the completion by votes; `start` is the tally's own (after Add1). */
export function recountEqualShares(input: TallyInput, start: number): Recount {
  const supporters = supportersOf(input)
  const money = input.ballots.map(() => start)
  const cost = new Map(input.projects.map((p) => [p.id, p.cost]))
  const open = new Set(input.projects.filter((p) => supporters.get(p.id)!.length > 0).map((p) => p.id))
  const purchases: RecountPurchase[] = []
  for (;;) {
    const priced = [...open].flatMap((id) => {
      const share = shareFor(money, supporters.get(id)!, cost.get(id)!)
      return share === undefined ? [] : [{ id, share, price: cost.get(id) === 0 ? 0 : share / cost.get(id)! }]
    })
    if (priced.length === 0) break
    const best = Math.min(...priced.map((p) => p.price))
    const tied = priced.filter((p) => p.price <= best * (1 + TOLERANCE))
    const winner = tied.sort((a, b) => tieBreak(input, supporters)(a.id, b.id))[0]!
    const purchase: RecountPurchase = { id: winner.id, payers: 0, paid: 0, maxPayment: 0, paidAllTheyHad: 0 }
    for (const v of supporters.get(winner.id)!) {
      const had = money[v]!
      if (had <= 0) continue
      // The tally's convention: within the tolerance of the share a payer pays all, leaving no crumbs.
      const pays = had <= winner.share * (1 + TOLERANCE) ? had : winner.share
      money[v] = had - pays
      purchase.payers++
      purchase.paid += pays
      purchase.maxPayment = Math.max(purchase.maxPayment, pays)
      if (had < winner.share * (1 - TOLERANCE)) purchase.paidAllTheyHad++
    }
    purchases.push(purchase)
    open.delete(winner.id)
  }
  const supportersMoney = new Map(
    input.projects.map((p) => [p.id, supporters.get(p.id)!.reduce((sum, v) => sum + money[v]!, 0)]),
  )
  const bought = new Set(purchases.map((p) => p.id))
  const spent = purchases.reduce((sum, p) => sum + cost.get(p.id)!, 0)
  return { purchases, supportersMoney, walk: greedyWalk(input, supporters, bought, input.budget - spent) }
}

export function recountGreedy(input: TallyInput): Recount {
  const supporters = supportersOf(input)
  return { purchases: [], supportersMoney: new Map(), walk: greedyWalk(input, supporters, new Set(), input.budget) }
}
