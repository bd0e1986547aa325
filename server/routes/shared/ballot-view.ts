import type { FastifyRequest } from 'fastify'
import type { Round } from '../../data/rounds.js'
import { allowed } from '../../plugins/auth.js'
import type { Budget } from '../../domain/rounds/budgets.js'
import {
  ballotMeter,
  pointsMeter,
  type BallotError,
  type BallotRules,
  type GivenPoints,
} from '../../domain/voting/ballot.js'

export type BallotProjectRow = {
  id: number
  reference: string
  title: string
  summary: string
  costCents: number
  themes: string[]
  track: string
  kwhPerYear: number | null
  co2KgPerYear: number | null
  households: number | null
}

export function rulesOf(round: Round): BallotRules {
  return {
    format: round.ballotFormat,
    budgetCents: round.budgetCents,
    maxChoices: round.maxChoices,
    minSpendPercent: round.minSpendPercent,
    pointsPerVoter: round.pointsPerVoter,
    maxPointsPerProject: round.maxPointsPerProject,
  }
}

/** Choices as the form sent them: one id or many, as strings; a text that is no id becomes -1, which checkBallot refuses. */
export function chosenIds(raw: string | readonly string[] | undefined): number[] {
  const values = typeof raw === 'string' ? [raw] : (raw ?? [])
  return values.map((v) => (/^\d{1,9}$/.test(v) ? Number(v) : -1))
}

/** The ballot as the resident sees it: each project with whether it is chosen or can no longer be added. */
export function ballotView(
  round: Round,
  projects: readonly BallotProjectRow[],
  chosen: readonly number[],
  error?: BallotError,
  /** Whose texts explain the error: the resident's ballot or the official's paper entry. */
  messages: 'vote' | 'paper' = 'vote',
) {
  const rules = rulesOf(round)
  const meter = ballotMeter(rules, projects, chosen)
  const picked = new Set(chosen)
  const tooMany = meter.maxChoices !== null ? Math.max(meter.chosenCount - meter.maxChoices, 0) : 0
  return {
    knapsack: rules.format === 'knapsack',
    budgetCents: rules.budgetCents,
    spentCents: meter.spentCents,
    leftCents: meter.leftCents,
    overBudget: meter.leftCents < 0,
    overCents: -meter.leftCents,
    tooMany,
    overLimit: meter.leftCents < 0 || tooMany > 0,
    blockedCount: meter.blocked.size,
    chosenCount: meter.chosenCount,
    maxChoices: meter.maxChoices,
    minimumCents: meter.minimumCents,
    error,
    errorKey: error && `${messages}.error.${error}`,
    projects: projects.map((p) => {
      const blocked = meter.blocked.get(p.id)
      return {
        ...p,
        chosen: picked.has(p.id),
        shortCents: blocked && 'shortCents' in blocked ? blocked.shortCents : null,
        full: blocked !== undefined && 'full' in blocked,
        blocked: blocked !== undefined,
      }
    }),
  }
}

/** Points as the form sent them, parallel to the project ids: blank is 0, a text that is no whole number is null. */
export function givenPoints(
  ids: string | readonly string[] | undefined,
  points: string | readonly string[] | undefined,
): GivenPoints {
  const values = typeof points === 'string' ? [points] : (points ?? [])
  return chosenIds(ids).map((id, i) => {
    const text = (values[i] ?? '').trim()
    return { id, points: text === '' ? 0 : /^\d{1,6}$/.test(text) ? Number(text) : null }
  })
}

/** The points ballot as the resident sees it: each project with the points typed, the points left, what is over M. */
export function pointsBallotView(
  round: Round,
  projects: readonly BallotProjectRow[],
  given: GivenPoints,
  error?: BallotError,
) {
  const rules = rulesOf(round)
  const meter = pointsMeter(rules, given)
  const typed = new Map(given.map((g) => [g.id, g.points === null ? '' : String(g.points)]))
  return {
    points: true,
    totalPoints: rules.pointsPerVoter,
    maxPoints: rules.maxPointsPerProject,
    usedPoints: meter.usedPoints,
    leftPoints: meter.leftPoints,
    overPoints: -meter.leftPoints,
    overTotal: meter.leftPoints < 0,
    overLimit: meter.leftPoints < 0 || meter.overMax.size > 0,
    error,
    errorKey: error && `vote.error.${error}`,
    projects: projects.map((p) => ({
      ...p,
      given: typed.get(p.id) ?? '',
      overMax: meter.overMax.has(p.id),
      chosen: (given.find((g) => g.id === p.id)?.points ?? 0) > 0,
    })),
  }
}

/**
 * The ballot of a round of several budgets: one section per budget the code votes in, each with
 * its own meter, and the error (when there is one) shown in the section it is about.
 */
export function budgetBallotView(
  round: Round,
  sections: readonly { budget: Budget; projects: BallotProjectRow[] }[],
  chosen: readonly number[],
  otherDistrict: boolean,
  error?: BallotError,
  errorBudgetId?: number,
  messages: 'vote' | 'paper' = 'vote',
) {
  const failedAt =
    error === undefined
      ? -1
      : Math.max(
          0,
          sections.findIndex((s) => s.budget.id === errorBudgetId),
        )
  const views = sections.map(({ budget, projects }, index) => {
    const mine = chosen.filter((id) => projects.some((p) => p.id === id))
    return {
      budgetId: budget.id,
      heading: budget.name,
      fieldsetId: `projects-${budget.id}`,
      failed: index === failedAt,
      ...ballotView({ ...round, budgetCents: budget.amountCents }, projects, mine),
    }
  })
  const failed = views[failedAt]
  return {
    ...ballotView(
      round,
      sections.flatMap((s) => s.projects),
      chosen,
      error,
      messages,
    ),
    // The figures an error message quotes are the failing budget's.
    ...(failed ? { overCents: failed.overCents, minimumCents: failed.minimumCents, tooMany: failed.tooMany } : {}),
    sections: views,
    otherDistrict,
    overLimit: views.some((v) => v.overLimit),
    blockedCount: views.reduce((sum, v) => sum + v.blockedCount, 0),
  }
}

/**
 * A project's page opened with "view project" on the ballot (`from=ballot`), while voting is open:
 * the way back to that project on the ballot, where the choices made wait as a draft.
 */
export function ballotBack(request: FastifyRequest, round: Round, proposal: { id: number }, from: string | undefined) {
  return from === 'ballot' && allowed(request, 'ballot.cast')
    ? `/rounds/${round.slug}/vote/ballot#project-${proposal.id}`
    : null
}
