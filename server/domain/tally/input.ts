import type { BallotFormat } from '../voting/ballot.js'
import { sha256 } from '../common/digest.js'
import type { BudgetPart, TallyInput, TallyRule } from './types.js'

export interface RoundForTally {
  id: number
  title: string
  neighbourhood: string
  budgetCents: number
  ballotFormat: BallotFormat
  maxChoices: number | null
  pointsPerVoter?: number | null
  maxPointsPerProject?: number | null
  tallyRule: TallyRule
}

export interface BallotProjectForTally {
  id: number
  title: string
  costCents: number
  /** Its point on the map, for the open data (not counted). */
  latitude?: number | null
  longitude?: number | null
}

/**
 * Projects in submission order (the last tie-breaker), ballots as chosen project ids (with their
 * points on a points ballot, parallel); money in cents, Add1 by one euro.
 */
export function tallyInput(
  round: RoundForTally,
  projects: readonly BallotProjectForTally[],
  ballots: readonly (readonly number[])[],
  points?: readonly (readonly number[])[],
): TallyInput {
  const onBallot = new Set(projects.map((p) => p.id))
  // A vote for a project that is no longer on the ballot is left out (with its points); the rest of that ballot counts.
  const kept = ballots.map((b) => b.flatMap((id, k) => (onBallot.has(id) ? [k] : [])))
  return {
    budget: round.budgetCents,
    projects: projects.map((p, order) => ({ id: String(p.id), cost: p.costCents, order })),
    ballots: kept.map((ks, v) => ks.map((k) => String(ballots[v]![k]))),
    ...(points ? { points: kept.map((ks, v) => ks.map((k) => points[v]![k]!)) } : {}),
    unit: 100,
  }
}

/**
 * The fingerprint of everything a count reads: what tallyInput takes from the round and its
 * projects (budget, ids and costs in ballot order), the counted ballots' fingerprint
 * (ballotsDigest) and the software that counts. With the same fingerprint and rule, a count
 * comes out the same: publishing may take a previewed outcome instead of counting again.
 */
export function tallyInputSha256(
  round: RoundForTally,
  projects: readonly BallotProjectForTally[],
  countedBallotsSha256: string,
  softwareVersion: string,
  /** A round of several budgets: how they split the money and the projects (a round of one leaves it out). */
  budgets: readonly BudgetPart[] = [],
): string {
  return sha256(
    JSON.stringify({
      round: round.id,
      input: tallyInput(round, projects, []),
      countedBallotsSha256,
      softwareVersion,
      ...(budgets.length > 1 ? { budgets } : {}),
    }),
  )
}
