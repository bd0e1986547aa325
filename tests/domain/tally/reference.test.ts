import t from 'tap'
import { equalShares, methodOfEqualShares, type TallyInput } from '../../../server/domain/tally/tally.js'

/**
 * A plain, slow Method of Equal Shares written straight from the definition:
 * every round recomputes every price by sorting the supporters' money. The
 * fast rule (merged ballots, lazy prices, warm starts) must agree with it.
 */
function plainMes(input: TallyInput, start: number): string[] {
  const money = input.ballots.map(() => start)
  const votes = (id: string) => input.ballots.filter((b) => b.includes(id)).length
  const order = (a: TallyInput['projects'][number], b: TallyInput['projects'][number]) =>
    a.cost - b.cost || votes(b.id) - votes(a.id) || a.order - b.order
  const free = input.projects.filter((p) => p.cost === 0 && votes(p.id) > 0).sort(order)
  let remaining = input.projects.filter((p) => p.cost > 0 && votes(p.id) > 0)
  const selected = free.map((p) => p.id)
  for (;;) {
    const priced = remaining.flatMap((p) => {
      const supporters = input.ballots.flatMap((b, i) => (b.includes(p.id) ? [i] : []))
      const sorted = supporters.map((i) => money[i]!).sort((a, b) => a - b)
      let paid = 0
      for (const [j, have] of sorted.entries()) {
        const share = (p.cost - paid) / (sorted.length - j)
        if (have >= share * (1 - 1e-9)) return [{ p, share, price: share / p.cost, supporters }]
        paid += have
      }
      return []
    })
    if (priced.length === 0) return selected
    const best = Math.min(...priced.map((x) => x.price))
    const winner = priced.filter((x) => x.price <= best * (1 + 1e-9)).sort((a, b) => order(a.p, b.p))[0]!
    for (const i of winner.supporters) money[i] = Math.max(0, money[i]! - winner.share)
    selected.push(winner.p.id)
    remaining = priced.map((x) => x.p).filter((p) => p !== winner.p)
  }
}

function plainEqualShares(input: TallyInput): string[] {
  const n = input.ballots.length
  const base = n > 0 ? input.budget / n : 0
  const cost = (ids: string[]) => ids.reduce((sum, id) => sum + input.projects.find((p) => p.id === id)!.cost, 0)
  const chosen = input.projects.filter((p) => input.ballots.some((b) => b.includes(p.id)))
  const exhaustive = (ids: string[]) => chosen.every((p) => ids.includes(p.id) || p.cost > input.budget - cost(ids))
  let outcome = plainMes(input, base)
  for (let step = 1; !exhaustive(outcome); step++) {
    const next = plainMes(input, base + step * input.unit)
    if (cost(next) > input.budget) break
    outcome = next
  }
  const votes = (id: string) => input.ballots.filter((b) => b.includes(id)).length
  const rest = chosen
    .filter((p) => !outcome.includes(p.id))
    .sort((a, b) => votes(b.id) - votes(a.id) || a.cost - b.cost || a.order - b.order)
  let left = input.budget - cost(outcome)
  for (const p of rest) {
    if (p.cost <= left) {
      outcome = [...outcome, p.id]
      left -= p.cost
    }
  }
  return outcome
}

function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

function randomElection(next: () => number): TallyInput {
  const m = 1 + Math.floor(next() * 8)
  const projects = Array.from({ length: m }, (_, order) => ({
    id: `p${order}`,
    cost: next() < 0.05 ? 0 : 5 * (1 + Math.floor(next() * 20)),
    order,
  }))
  const ballots = Array.from({ length: Math.floor(next() * 25) }, () =>
    projects.filter(() => next() < 0.4).map((p) => p.id),
  )
  return { budget: 20 + Math.floor(next() * 300), projects, ballots, unit: 1 + Math.floor(next() * 3) }
}

t.test('the fast equal shares agrees with a plain implementation on 400 random elections', async (t) => {
  const next = random(7)
  let disagreements = 0
  for (let i = 0; i < 400; i++) {
    const input = randomElection(next)
    const fast = [methodOfEqualShares(input).selected, equalShares(input).selected]
    const plain = [
      plainMes(input, input.ballots.length ? input.budget / input.ballots.length : 0),
      plainEqualShares(input),
    ]
    if (JSON.stringify(fast) !== JSON.stringify(plain)) {
      disagreements++
      t.same(fast, plain, JSON.stringify(input))
    }
  }
  t.equal(disagreements, 0)
})
