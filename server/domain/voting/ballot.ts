export const BALLOT_FORMATS = ['knapsack', 'approval', 'points'] as const
export type BallotFormat = (typeof BALLOT_FORMATS)[number]

export interface BallotRules {
  format: BallotFormat
  budgetCents: number
  /** Approval: the most projects one ballot may choose. */
  maxChoices: number | null
  /** Knapsack: the share of the budget a ballot must at least spend. */
  minSpendPercent: number
  /** Points: the points one ballot spreads (N) and the most one project may get (M). */
  pointsPerVoter: number | null
  maxPointsPerProject: number | null
}

/** Paper ballots (printed, then typed in by an official) exist for ticking projects, not yet for spreading points. */
export function takesPaperBallots(format: BallotFormat): boolean {
  return format !== 'points'
}

export interface BallotProject {
  id: number
  costCents: number
}

export type BallotError =
  | 'empty'
  | 'unknown-project'
  | 'duplicate'
  | 'over-budget'
  | 'under-minimum'
  | 'too-many'
  | 'not-whole'
  | 'over-points'
  | 'over-max'
  /** A district code under own-plus-one chose in more than one other district. */
  | 'one-other-district'

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

/** Points as the form sent them, per project; null where the text is no whole number. */
export type GivenPoints = readonly { id: number; points: number | null }[]

export type PointsCheck =
  | { ok: true; projectIds: number[]; points: number[]; usedPoints: number }
  | { ok: false; error: BallotError; usedPoints: number }

const sumOf = (given: GivenPoints) => given.reduce((sum, g) => sum + (g.points ?? 0), 0)

/**
 * The server's verdict on a points ballot, whatever the browser sent: whole points, 0 to M on
 * each of this round's projects (each named once), N at most in all, at least one point given.
 * A project given 0 points is not chosen and is not stored.
 */
export function checkPointsBallot(
  rules: BallotRules,
  projects: readonly BallotProject[],
  given: GivenPoints,
): PointsCheck {
  const usedPoints = sumOf(given)
  const fail = (error: BallotError): PointsCheck => ({ ok: false, error, usedPoints })
  const onBallot = new Set(projects.map((p) => p.id))
  if (given.some((g) => !onBallot.has(g.id))) return fail('unknown-project')
  if (new Set(given.map((g) => g.id)).size !== given.length) return fail('duplicate')
  if (given.some((g) => g.points === null || !Number.isSafeInteger(g.points) || g.points < 0)) return fail('not-whole')
  if (given.some((g) => g.points! > (rules.maxPointsPerProject ?? 0))) return fail('over-max')
  if (usedPoints > (rules.pointsPerVoter ?? 0)) return fail('over-points')
  const chosen = given.filter((g) => g.points! > 0).sort((a, b) => a.id - b.id)
  if (chosen.length === 0) return fail('empty')
  return { ok: true, projectIds: chosen.map((g) => g.id), points: chosen.map((g) => g.points!), usedPoints }
}

export interface PointsMeter {
  usedPoints: number
  leftPoints: number
  /** Projects given more than M. */
  overMax: Set<number>
}

/** What the resident sees while spreading points: used and left, and which projects got more than M. */
export function pointsMeter(rules: BallotRules, given: GivenPoints): PointsMeter {
  const usedPoints = sumOf(given)
  const max = rules.maxPointsPerProject ?? 0
  return {
    usedPoints,
    leftPoints: (rules.pointsPerVoter ?? 0) - usedPoints,
    overMax: new Set(given.filter((g) => (g.points ?? 0) > max).map((g) => g.id)),
  }
}
