import { budgetOf, otherDistrictsChosen, votableBudgets, type Budget, type DistrictRule } from '../rounds/budgets.js'
import { checkBallot, type BallotCheck, type BallotProject, type BallotRules } from './ballot.js'

/** What a code's ballot holds in a round of budgets: the budgets it may vote in, each with its projects. */
export interface BallotBudget<P> {
  budget: Budget
  projects: P[]
}

/**
 * The budgets a code votes in, each with its projects, in the round's order: a code bound to a
 * district sees only its district's and the citywide budgets (and, under own-plus-one, the other
 * districts', of which it may use one).
 */
export function ballotBudgets<P extends { budgetId: number | null }>(
  budgets: readonly Budget[],
  projects: readonly P[],
  rule: DistrictRule,
  district: string | null,
): BallotBudget<P>[] {
  const votable = new Set(votableBudgets(budgets, rule, district).map((b) => b.id))
  return budgets
    .filter((b) => votable.has(b.id))
    .map((budget) => ({ budget, projects: projects.filter((p) => budgetOf(budgets, p.budgetId).id === budget.id) }))
}

/**
 * The server's verdict on a ballot in a round of budgets, whatever the browser sent: every project
 * must be on this code's ballot, once, and each budget the ballot chose in is checked on its own
 * (its amount and minimum spend for a knapsack ballot, K choices for approval). A budget chosen
 * nothing in is left alone; an empty ballot is refused. Under own-plus-one, one other district.
 */
export function checkBudgetBallot<P extends BallotProject & { budgetId: number | null }>(
  rules: BallotRules,
  onBallot: readonly BallotBudget<P>[],
  all: readonly Budget[],
  district: string | null,
  chosen: readonly number[],
): BallotCheck & { budgetId?: number } {
  const projects = onBallot.flatMap((b) => b.projects)
  const whole = checkBallot({ ...rules, format: 'approval', maxChoices: null }, projects, chosen)
  if (!whole.ok) return whole
  const picked = new Set(chosen)
  const used = onBallot.filter((b) => b.projects.some((p) => picked.has(p.id)))
  if (
    otherDistrictsChosen(
      all,
      district,
      used.map((b) => b.budget.id),
    ).length > 1
  )
    return { ok: false, error: 'one-other-district', spentCents: whole.spentCents }
  for (const { budget, projects: mine } of used) {
    const part = checkBallot(
      { ...rules, budgetCents: budget.amountCents },
      mine,
      chosen.filter((id) => mine.some((p) => p.id === id)),
    )
    if (!part.ok) return { ...part, budgetId: budget.id }
  }
  return whole
}
