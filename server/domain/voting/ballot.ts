export const BALLOT_FORMATS = ['knapsack', 'approval'] as const
export type BallotFormat = (typeof BALLOT_FORMATS)[number]

export interface BallotRules {
  format: BallotFormat
  budgetCents: number
  /** Approval: the most projects one ballot may choose. */
  maxChoices: number | null
  /** Knapsack: the share of the budget a ballot must at least spend. */
  minSpendPercent: number
}

export interface BallotProject {
  id: number
  costCents: number
}

export type BallotError = 'empty' | 'unknown-project' | 'duplicate' | 'over-budget' | 'under-minimum' | 'too-many'

export type BallotCheck =
  { ok: true; projectIds: number[]; spentCents: number } | { ok: false; error: BallotError; spentCents: number }

/** The least a knapsack ballot must spend, rounded up to whole cents. */
export function minimumSpendCents(rules: BallotRules): number {
  return rules.format === 'knapsack' ? Math.ceil((rules.budgetCents * rules.minSpendPercent) / 100) : 0
}

/**
 * The server's verdict on a ballot, whatever the browser sent: every project
 * must be on this round's ballot, once; a knapsack ballot fits the budget and
 * spends at least the minimum; an approval ballot chooses at most K.
 */
export function checkBallot(
  rules: BallotRules,
  projects: readonly BallotProject[],
  chosen: readonly number[],
): BallotCheck {
  const costs = new Map(projects.map((p) => [p.id, p.costCents]))
  let spentCents = 0
  for (const id of chosen) spentCents += costs.get(id) ?? 0
  const fail = (error: BallotError): BallotCheck => ({ ok: false, error, spentCents })
  if (chosen.length === 0) return fail('empty')
  if (chosen.some((id) => !costs.has(id))) return fail('unknown-project')
  if (new Set(chosen).size !== chosen.length) return fail('duplicate')
  if (rules.format === 'approval') {
    if (rules.maxChoices !== null && chosen.length > rules.maxChoices) return fail('too-many')
  } else {
    if (spentCents > rules.budgetCents) return fail('over-budget')
    if (spentCents < minimumSpendCents(rules)) return fail('under-minimum')
  }
  return { ok: true, projectIds: [...chosen].sort((a, b) => a - b), spentCents }
}

export interface BallotMeter {
  spentCents: number
  leftCents: number
  chosenCount: number
  maxChoices: number | null
  minimumCents: number
  /** Projects that cannot be added to the current choice, with what is missing. */
  blocked: Map<number, { shortCents: number } | { full: true }>
}

/** What the resident sees while choosing: what is spent and left, and which projects no longer fit. */
export function ballotMeter(
  rules: BallotRules,
  projects: readonly BallotProject[],
  chosen: readonly number[],
): BallotMeter {
  const picked = new Set(chosen)
  let spentCents = 0
  for (const p of projects) if (picked.has(p.id)) spentCents += p.costCents
  const leftCents = rules.budgetCents - spentCents
  const blocked: BallotMeter['blocked'] = new Map()
  for (const p of projects) {
    if (picked.has(p.id)) continue
    if (rules.format === 'knapsack' && p.costCents > leftCents)
      blocked.set(p.id, { shortCents: p.costCents - Math.max(leftCents, 0) })
    if (rules.format === 'approval' && rules.maxChoices !== null && picked.size >= rules.maxChoices)
      blocked.set(p.id, { full: true })
  }
  return {
    spentCents,
    leftCents,
    chosenCount: picked.size,
    maxChoices: rules.format === 'approval' ? rules.maxChoices : null,
    minimumCents: minimumSpendCents(rules),
    blocked,
  }
}
