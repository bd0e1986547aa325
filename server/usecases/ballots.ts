import type { Db } from '../../db/client.js'
import { castBallot, enterPaperBallot, listBallotProjects, type PaperOutcome } from '../data/ballots.js'
import { codeDistrict, listBudgets } from '../data/budgets.js'
import { budgetsOf } from '../domain/rounds/budgets.js'
import { checkBallot, type BallotRules } from '../domain/voting/ballot.js'
import { ballotBudgets, checkBudgetBallot } from '../domain/voting/budget-ballot.js'
import { findRound, type Round } from '../data/rounds.js'
import { can, type Action, type Actor } from '../domain/access/permissions.js'
import { phaseAt } from '../domain/rounds/phases.js'

/**
 * The ballot statement refuses a ballot for a closed round or a revoked code (the SQL guard that
 * stops the race with closing); which of the two it was, the round as it is now tells.
 */
async function whyRefused(db: Db, round: Round, actor: Actor, action: Action, now: Date) {
  const current = await findRound(db, round.id)
  return current && can(actor, action, phaseAt(current, now))
    ? { refused: 'revoked' as const }
    : { refused: 'closed' as const, round: current ?? round }
}

export type Refused = Awaited<ReturnType<typeof whyRefused>>

/** A resident's ballot from the voting page, committed before the receipt is shown. */
export async function castOnlineBallot(
  db: Db,
  input: {
    round: Round
    actor: Actor
    codeId: number
    projectIds: number[]
    points?: number[]
    receipt: string
    now: Date
  },
): Promise<{ receipt: string; replaced: boolean } | Refused> {
  const { round, codeId, projectIds, points, receipt } = input
  const stored = await castBallot(db, { roundId: round.id, codeId, channel: 'online', projectIds, points, receipt })
  return stored ?? whyRefused(db, round, input.actor, 'ballot.cast', input.now)
}

/** A paper ballot typed in by an official for a letter's code. */
export async function enterPaper(
  db: Db,
  input: {
    round: Round
    actor: Actor
    official: { id: number; email: string }
    codeId: number
    projectIds: number[]
    receipt: string
    confirmed: boolean
    now: Date
  },
): Promise<Exclude<PaperOutcome, { kind: 'refused' }> | Refused> {
  const { round, official, codeId, projectIds, receipt, confirmed } = input
  const outcome = await enterPaperBallot(db, { roundId: round.id, codeId, projectIds, receipt, confirmed, official })
  return outcome.kind === 'refused' ? whyRefused(db, round, input.actor, 'ballot.enter-paper', input.now) : outcome
}

/**
 * What a code's ballot holds: the round's budgets, the ones the code votes in (a district code
 * sees its district's and the citywide ones) with their projects, and the code's district.
 */
export async function codeBallot(db: Db, round: Round, codeId: number) {
  const [projects, stored, district] = await Promise.all([
    listBallotProjects(db, round.id),
    listBudgets(db, round.id),
    codeDistrict(db, codeId),
  ])
  const budgets = budgetsOf(round, stored)
  return { budgets, district, sections: ballotBudgets(budgets, projects, round.districtRule, district) }
}

export type CodeBallot = Awaited<ReturnType<typeof codeBallot>>

/**
 * The server's verdict on ticked projects for a code, online or on paper: checked against the
 * whole ballot in a round of one budget, and budget by budget (and district) in a round of several.
 */
export function checkChoice(rules: BallotRules, ballot: CodeBallot, chosen: readonly number[]) {
  return ballot.budgets.length > 1
    ? checkBudgetBallot(rules, ballot.sections, ballot.budgets, ballot.district, chosen)
    : checkBallot(
        rules,
        ballot.sections.flatMap((s) => s.projects),
        chosen,
      )
}
