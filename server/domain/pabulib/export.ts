import { parsePb, scanPb, writePb, type PbElection } from './read.js'
import type { TallyRule } from '../tally/tally.js'
import { sha256 } from '../common/digest.js'
import { degreesText } from '../proposals/place.js'
import type { BallotProjectForTally, RoundForTally } from '../tally/input.js'
import type { Pick } from '../voting/codes.js'

/** Fisher–Yates; with a cryptographic `pick` the export's order says nothing about when anyone voted. */
function shuffled<T>(items: readonly T[], pick: Pick): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = pick(i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * The anonymised ballots as a Pabulib file: no codes, no receipts, no times, voters in a
 * random order. Costs are in whole euros, or in cents with `money_unit;cent` when any cost has cents,
 * so a recount with the same rule gives the same winners.
 */
export function exportBallotsPb(
  round: RoundForTally,
  projects: readonly BallotProjectForTally[],
  ballots: readonly (readonly number[])[],
  rule: TallyRule,
  pick: Pick,
  /** Points ballots: the points parallel to each ballot's ids. */
  points?: readonly (readonly number[])[],
): string {
  const onBallot = new Set(projects.map((p) => p.id))
  const inCents = round.budgetCents % 100 !== 0 || projects.some((p) => p.costCents % 100 !== 0)
  const money = (cents: number) => (inCents ? cents : cents / 100)
  const election: PbElection = {
    meta: {
      description: round.title,
      country: 'Netherlands',
      unit: round.neighbourhood,
      instance: String(round.id),
      budget: String(money(round.budgetCents)),
      vote_type: points ? 'cumulative' : 'approval',
      rule: rule === 'greedy' ? 'greedy' : 'equalshares/add1',
      ...(round.ballotFormat === 'approval' && round.maxChoices !== null
        ? { max_length: String(round.maxChoices) }
        : {}),
      ...(points && round.pointsPerVoter != null && round.maxPointsPerProject != null
        ? { max_sum_points: String(round.pointsPerVoter), max_points: String(round.maxPointsPerProject) }
        : {}),
      currency: 'EUR',
      ...(inCents ? { money_unit: 'cent' } : {}),
    },
    projects: projects.map((p) => ({
      id: String(p.id),
      cost: money(p.costCents),
      category: [],
      // Pabulib's own columns for a project's place; a project without a point leaves them empty.
      fields: {
        name: p.title,
        ...(p.latitude != null && p.longitude != null
          ? { latitude: degreesText(p.latitude), longitude: degreesText(p.longitude) }
          : {}),
      },
    })),
    votes: shuffled(
      ballots.map((_, v) => v),
      pick,
    ).map((v, i) => {
      // A vote for a project no longer on the ballot is left out, with its points.
      const kept = ballots[v]!.flatMap((id, k) => (onBallot.has(id) ? [k] : []))
      return {
        voterId: String(i + 1),
        vote: kept.map((k) => String(ballots[v]![k])),
        ...(points ? { points: kept.map((k) => points[v]![k]!) } : {}),
        fields: {},
      }
    }),
  }
  return writePb(election)
}

/**
 * A ballot as one line of the ballots' fingerprint: its project ids in numeric order, comma-separated;
 * on a points ballot each id carries its points (`12:3`), so changed points change the fingerprint.
 */
export function ballotLine(ballot: readonly number[], points?: readonly number[]): string {
  const entries = ballot.map((id, k) => ({ id, text: points ? `${id}:${points[k]}` : String(id) }))
  return entries
    .sort((x, y) => x.id - y.id)
    .map((e) => e.text)
    .join(',')
}

/** The fingerprint of ballots given as their lines (ballotLine): sorted in code-unit order, one per line. Sorts `lines` in place. */
export function digestOfLines(lines: string[]): string {
  return sha256(lines.sort().join('\n'))
}

/**
 * The fingerprint of a set of ballots, whatever order they were stored in: each ballot's
 * project ids sorted, one ballot per line, the lines sorted. Recorded in the audit log when
 * voting closes, so the ballots can be checked against the chain, not against a copy beside them.
 * The application computes it inside PostgreSQL (countedBallotsDigest); this is its definition.
 */
export function ballotsDigest(
  ballots: readonly (readonly number[])[],
  points?: readonly (readonly number[])[],
): string {
  return digestOfLines(ballots.map((ballot, v) => ballotLine(ballot, points?.[v])))
}

export interface PbBallotsDigest {
  /** ballotsDigest of the file's votes, ids read as numbers. */
  sha256: string
  ballots: number
  /** The projects the file lists, as numbers. */
  projectIds: number[]
}

/**
 * The fingerprint of a .pb file's votes in ballotsDigest's form, reading one vote at a time, with
 * the projects the file lists: a published file is compared with the ballots in the database
 * (countedBallotsDigest restricted to those projects) without holding either. Throws a
 * PbFormatError for a file parsePb refuses.
 */
export function pbBallotsDigest(text: string): PbBallotsDigest {
  const lines: string[] = []
  const { projects, voteCount } = scanPb(text, (v) => lines.push(ballotLine(v.vote.map(Number), v.points)))
  return { sha256: digestOfLines(lines), ballots: voteCount, projectIds: projects.map((p) => Number(p.id)) }
}

/** One budget of a round of several, as its own Pabulib file: Pabulib's `subunit` convention. */
export interface BudgetPb {
  id: string
  name: string
  /** What the budget counted with: its amount plus leftovers moved into it (in cents). */
  countedCents: number
  projectIds: readonly string[]
}

/**
 * A published round of several budgets split into one `.pb` per budget, as Pabulib publishes
 * Warsaw (one file per district and one citywide, each with its `subunit`): each file holds the
 * budget's projects and the voters who chose at least one of them, with only those choices, and
 * the budget the count used (its amount plus any leftover moved into it), so recounting each file
 * with the round's rule gives that budget's winners. Voters keep their order from the round's file.
 */
export function splitPbByBudget(roundPb: string, budgets: readonly BudgetPb[]): { id: string; pb: string }[] {
  const round = parsePb(roundPb)
  return budgets.map((budget) => {
    // A leftover moved in may carry cents where the round's file counts whole euros: that file is in cents.
    const wasCents = round.meta.money_unit === 'cent'
    const inCents = wasCents || budget.countedCents % 100 !== 0
    const cost = (c: number) => (inCents && !wasCents ? c * 100 : c)
    const mine = new Set(budget.projectIds)
    const votes = round.votes.flatMap((v) => {
      const kept = v.vote.flatMap((id, k) => (mine.has(id) ? [k] : []))
      if (kept.length === 0) return []
      return [
        {
          ...v,
          vote: kept.map((k) => v.vote[k]!),
          ...(v.points ? { points: kept.map((k) => v.points![k]!) } : {}),
        },
      ]
    })
    const election: PbElection = {
      meta: {
        ...round.meta,
        subunit: budget.name,
        budget: String(inCents ? budget.countedCents : budget.countedCents / 100),
        ...(inCents ? { money_unit: 'cent' } : {}),
      },
      projects: round.projects.filter((p) => mine.has(p.id)).map((p) => ({ ...p, cost: cost(p.cost) })),
      votes,
    }
    return { id: budget.id, pb: writePb(election) }
  })
}
