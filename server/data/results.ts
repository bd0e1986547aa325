import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm'
import { integerArray, preparedPer, type Db } from '../../db/client.js'
import { ballots, progressUpdates, results, tallyPreviews, votingCodes } from '../../db/schema.js'
import { ballotsDigest } from '../domain/pabulib/export.js'
import { tallyInputSha256, type BallotProjectForTally } from '../domain/tally/input.js'
import type { TallyResult, TallyRule } from '../domain/tally/tally.js'
import type { BudgetPart } from '../domain/tally/types.js'
import { budgetOf, budgetsOf } from '../domain/rounds/budgets.js'
import { listBudgets } from './budgets.js'
import { tallyInThread } from '../tally-thread.js'
import { OUTCOME_VERSION, readOutcome, StoredOutcomeError } from './result-outcome.js'
import type { Round } from './rounds.js'
import { listBallotProjects } from './ballots.js'

/** A published result with its outcome checked against the shape it was stored in. */
export type Result = Omit<typeof results.$inferSelect, 'outcome' | 'outcomeVersion'> & { outcome: TallyResult }
export type ProgressUpdate = typeof progressUpdates.$inferSelect

/** The ballots that count: those of codes that were not revoked; points ballots with their points. */
export async function countedBallotRows(
  db: Db,
  roundId: number,
): Promise<{ projectIds: number[]; points: number[] | null }[]> {
  return db
    .select({ projectIds: ballots.projectIds, points: ballots.points })
    .from(ballots)
    .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
    .where(and(eq(ballots.roundId, roundId), isNull(votingCodes.revokedAt)))
    .orderBy(asc(ballots.id))
}

/** The counted ballots' chosen project ids. */
export async function countedBallots(db: Db, roundId: number): Promise<number[][]> {
  return (await countedBallotRows(db, roundId)).map((r) => r.projectIds)
}

export interface TallyData {
  projects: (BallotProjectForTally & Awaited<ReturnType<typeof listBallotProjects>>[number])[]
  ballots: number[][]
  /** A points round's ballots' points, parallel to `ballots`; absent for the other formats. */
  points?: number[][]
  /** The round's budgets with their projects; one for a round that is not split. */
  budgets: BudgetPart[]
}

/** The round's projects and counted ballots; a points round's ballots come with their points. */
export async function loadTallyData(
  db: Db,
  round: Pick<Round, 'id' | 'ballotFormat' | 'title' | 'budgetCents'>,
): Promise<TallyData> {
  const [projects, counted, stored] = await Promise.all([
    listBallotProjects(db, round.id),
    countedBallotRows(db, round.id),
    listBudgets(db, round.id),
  ])
  const all = budgetsOf(round, stored)
  const budgets = all.map((b) => ({
    id: String(b.id),
    amount: b.amountCents,
    projects: projects.filter((p) => budgetOf(all, p.budgetId).id === b.id).map((p) => String(p.id)),
    leftoverTo: b.leftoverTo === null ? null : String(b.leftoverTo),
  }))
  const ballotIds = counted.map((b) => b.projectIds)
  if (round.ballotFormat !== 'points') return { projects, ballots: ballotIds, budgets }
  // The format is fixed once voting opens and only points ballots are taken in a points round; a ballot without points gives each choice one.
  return { projects, ballots: ballotIds, points: counted.map((b) => b.points ?? b.projectIds.map(() => 1)), budgets }
}

/** The fingerprint of the ballots counted (ballotsDigest), with their points on a points round. */
export const tallyDataDigest = (data: TallyData) => ballotsDigest(data.ballots, data.points)

export function tallyRound(round: Round, data: TallyData, rule: TallyRule): Promise<TallyResult> {
  return tallyInThread(round, data.projects, data.ballots, rule, data.points, data.budgets)
}

export interface RulePreview {
  rule: TallyRule
  outcome: TallyResult
}

/**
 * Counts a closed round under each of `rules` for the admin's preview, and keeps each outcome
 * with the fingerprint of all it counted (tallyInputSha256), so that publishing can take it
 * instead of counting again. The ballots' fingerprint is taken of the very ballots counted here
 * (ballotsDigest, as publishing takes it of the ballots it reads), not read again beside them.
 */
export async function previewResults(
  db: Db,
  round: Round,
  rules: readonly TallyRule[],
  softwareVersion: string,
): Promise<{ data: TallyData; previews: RulePreview[] }> {
  const data = await loadTallyData(db, round)
  const inputSha256 = tallyInputSha256(round, data.projects, tallyDataDigest(data), softwareVersion, data.budgets)
  // One rule after the other: each count's thread holds its own copy of the ballots.
  const previews: RulePreview[] = []
  for (const rule of rules) previews.push({ rule, outcome: await tallyRound(round, data, rule) })
  if (previews.length > 0) {
    await db
      .insert(tallyPreviews)
      .values(
        previews.map(({ rule, outcome }) => ({
          roundId: round.id,
          rule,
          inputSha256,
          outcome,
          outcomeVersion: OUTCOME_VERSION,
        })),
      )
      .onConflictDoUpdate({
        target: [tallyPreviews.roundId, tallyPreviews.rule],
        set: { inputSha256, outcome: sql`excluded.outcome`, outcomeVersion: OUTCOME_VERSION, previewedAt: sql`now()` },
      })
  }
  return { data, previews }
}

/** The outcome previewed with the rule for exactly this input, if there is one that reads back in the shape it was stored in. */
export async function previewedOutcome(
  db: Db,
  roundId: number,
  rule: TallyRule,
  inputSha256: string,
): Promise<TallyResult | undefined> {
  const [row] = await db
    .select({ outcome: tallyPreviews.outcome, outcomeVersion: tallyPreviews.outcomeVersion })
    .from(tallyPreviews)
    .where(
      and(eq(tallyPreviews.roundId, roundId), eq(tallyPreviews.rule, rule), eq(tallyPreviews.inputSha256, inputSha256)),
    )
  // A preview in an older shape lacks what today's explanations read: counted again.
  if (!row || row.outcomeVersion !== OUTCOME_VERSION) return undefined
  try {
    return readOutcome(row.outcomeVersion, row.outcome)
  } catch (error) {
    // Stored by another version of the software: count again.
    if (error instanceof StoredOutcomeError) return undefined
    throw error
  }
}

/** What publishing stores: the outcome with the anonymised ballots and their fingerprints. */
export interface ResultRow {
  roundId: number
  rule: TallyRule
  outcome: TallyResult
  ballotsPb: string
  ballotsSha256: string
  ballotCount: number
  softwareVersion: string
  publishedBy: number
}

export async function insertResult(tx: Db, row: ResultRow): Promise<Result> {
  const [published] = await tx
    .insert(results)
    .values({ ...row, outcomeVersion: OUTCOME_VERSION })
    .returning()
  return asResult(published!)
}

function asResult({ outcome, outcomeVersion, ...row }: typeof results.$inferSelect): Result {
  return { ...row, outcome: readOutcome(outcomeVersion, outcome) }
}

/** A published round's stored result: publishing stores it in the same transaction, so it is always there. */
function stored<T>(row: T | undefined, roundId: number): T {
  if (!row) throw new Error(`round ${roundId} is published but has no stored result`)
  return row
}

export async function publishedResult(db: Db, roundId: number): Promise<Result> {
  return stored(await findResult(db, roundId), roundId)
}

/** A published result as its pages show it: without the anonymised ballots file, megabytes for a city. */
export type ResultSummary = Omit<Result, 'ballotsPb'>
const { ballotsPb: _file, ...summaryColumns } = getTableColumns(results)

export async function publishedSummary(db: Db, roundId: number): Promise<ResultSummary> {
  const [row] = await db.select(summaryColumns).from(results).where(eq(results.roundId, roundId))
  const { outcome, outcomeVersion, ...rest } = stored(row, roundId)
  return { ...rest, outcome: readOutcome(outcomeVersion, outcome) }
}

/** The projects a published round funded; none before publishing. */
export async function fundedIds(db: Db, roundId: number): Promise<Set<number>> {
  const [row] = await db
    .select({ outcome: results.outcome, outcomeVersion: results.outcomeVersion })
    .from(results)
    .where(eq(results.roundId, roundId))
  return new Set(row ? readOutcome(row.outcomeVersion, row.outcome).selected.map(Number) : [])
}

/** The published anonymised ballots file, read when it is needed and not kept. */
export async function publishedBallotsPb(db: Db, roundId: number): Promise<string> {
  const [row] = await db.select({ ballotsPb: results.ballotsPb }).from(results).where(eq(results.roundId, roundId))
  return stored(row, roundId).ballotsPb
}

export async function findResult(db: Db, roundId: number): Promise<Result | undefined> {
  const [row] = await db.select().from(results).where(eq(results.roundId, roundId))
  return row && asResult(row)
}

/** Progress updates of a round's projects, newest first per project. */
const progressOf = preparedPer((db) =>
  db
    .select()
    .from(progressUpdates)
    .where(sql`${progressUpdates.proposalId} = any(${sql.placeholder('ids')}::integer[])`)
    .orderBy(asc(progressUpdates.proposalId), asc(progressUpdates.on), asc(progressUpdates.id))
    .prepare('progress_updates_of'),
)

/** Asked on every visit of a results page: one prepared statement, one parameter however many projects. */
export function listProgressUpdates(db: Db, proposalIds: readonly number[]): Promise<ProgressUpdate[]> {
  if (proposalIds.length === 0) return Promise.resolve([])
  return progressOf(db).execute({ ids: integerArray(proposalIds) })
}
