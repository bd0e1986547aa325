import { tally } from './tally.js'
import type { BudgetOutcome, BudgetPart, TallyInput, TallyResult, TallyRule } from './types.js'

/**
 * Budgets counted in an order where a budget comes after every budget that moves its leftover to
 * it; otherwise in the order given. Throws when leftovers go round in a circle.
 */
export function countingOrder<B extends { id: K; leftoverTo: K | null }, K>(budgets: readonly B[]): B[] {
  const order: B[] = []
  const placed = new Set<K>()
  while (order.length < budgets.length) {
    const next = budgets.find(
      (b) => !placed.has(b.id) && budgets.every((s) => placed.has(s.id) || s.leftoverTo !== b.id),
    )
    if (!next) throw new RangeError('budgets move their leftovers round in a circle')
    order.push(next)
    placed.add(next.id)
  }
  return order
}

/**
 * Counts a round of several budgets: each budget on its own with the rule (as Warsaw counts each
 * district and CONSUL each heading), over its own projects and the ballots' choices among them.
 * A budget's voters are the ballots that chose at least one of its projects: a resident who
 * voted only in another budget takes no share of this one's money under equal shares. What a
 * budget leaves unspent is kept, or added to the budget it names, which is counted after it.
 *
 * Every project belongs to exactly one budget. The combined result lists every project in input
 * order with its own budget's outcome, the budgets' selections one after the other in counting
 * order, and each budget's count in `budgets`.
 */
export function tallyBudgets(input: TallyInput, budgets: readonly BudgetPart[], rule: TallyRule): TallyResult {
  const budgetOfProject = new Map<string, string>()
  for (const b of budgets)
    for (const id of b.projects) {
      if (budgetOfProject.has(id)) throw new RangeError(`project ${id} belongs to two budgets`)
      budgetOfProject.set(id, b.id)
    }
  for (const p of input.projects)
    if (!budgetOfProject.has(p.id)) throw new RangeError(`project ${p.id} belongs to no budget`)

  const received = new Map<string, number>()
  const outcomes: BudgetOutcome[] = []
  const byProject = new Map<string, TallyResult['projects'][number]>()
  const result: TallyResult = { rule, selected: [], totalCost: 0, projects: [], ties: [], budgets: outcomes }

  for (const budget of countingOrder(budgets)) {
    const mine = new Set(budget.projects)
    const voters: number[] = []
    input.ballots.forEach((ballot, v) => {
      if (ballot.some((id) => mine.has(id))) voters.push(v)
    })
    const part: TallyInput = {
      budget: budget.amount + (received.get(budget.id) ?? 0),
      // Submission order stays the tie-breaker's last word within a budget.
      projects: input.projects.filter((p) => mine.has(p.id)),
      ballots: voters.map((v) => input.ballots[v]!.filter((id) => mine.has(id))),
      ...(input.points
        ? { points: voters.map((v) => input.points![v]!.filter((_, k) => mine.has(input.ballots[v]![k]!))) }
        : {}),
      unit: input.unit,
    }
    const counted = tally(part, rule)
    const left = part.budget - counted.totalCost
    const moves = budget.leftoverTo !== null && left > 0
    if (moves) received.set(budget.leftoverTo!, (received.get(budget.leftoverTo!) ?? 0) + left)
    outcomes.push({
      id: budget.id,
      amount: budget.amount,
      received: received.get(budget.id) ?? 0,
      spent: counted.totalCost,
      kept: moves ? 0 : left,
      moved: moves ? left : 0,
      movedTo: moves ? budget.leftoverTo : null,
      voters: voters.length,
      selected: counted.selected,
      ...(counted.add1Steps !== undefined ? { add1Steps: counted.add1Steps } : {}),
      ...(counted.startPerVoter !== undefined ? { startPerVoter: counted.startPerVoter } : {}),
    })
    result.selected.push(...counted.selected)
    result.totalCost += counted.totalCost
    result.ties.push(...counted.ties)
    for (const p of counted.projects) byProject.set(p.id, p)
  }
  result.projects = input.projects.map((p) => byProject.get(p.id)!)
  return result
}
