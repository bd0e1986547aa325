import { randomInt } from 'node:crypto'
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { ballots, progressUpdates, proposals, results, rounds, votingCodes } from '../../db/schema.js'
import { ballotsDigest, exportBallotsPb, sha256, tallyInput, type BallotProjectForTally } from '../domain/pabulib-export.js'
import { tally, type TallyResult, type TallyRule } from '../domain/tally.js'
import { NO_FACTS, transitionRefusal } from '../domain/phase-transitions.js'
import type { Role } from '../domain/permissions.js'
import { appendAudit } from './audit.js'
import { OUTCOME_VERSION, readOutcome } from './result-outcome.js'
import type { Round } from './rounds.js'
import { listBallotProjects } from './ballots.js'

/** A published result with its outcome checked against the shape it was stored in. */
export type Result = Omit<typeof results.$inferSelect, 'outcome' | 'outcomeVersion'> & { outcome: TallyResult }
export type ProgressUpdate = typeof progressUpdates.$inferSelect

/** The ballots that count: those of codes that were not revoked. */
export async function countedBallots(db: Db, roundId: number): Promise<number[][]> {
  const rows = await db.select({ projectIds: ballots.projectIds }).from(ballots)
    .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
    .where(and(eq(ballots.roundId, roundId), isNull(votingCodes.revokedAt)))
    .orderBy(asc(ballots.id))
  return rows.map((r) => r.projectIds)
}

export interface CountedBallotsDigest {
  /** ballotsDigest of the counted ballots, as the audit chain records it. */
  sha256: string
  ballots: number
}

/**
 * The fingerprint of the round's counted ballots (ballotsDigest), computed inside PostgreSQL so
 * no ballot is loaded for it. With `onlyProjects`, votes for other projects are left out of each
 * ballot first (the ballot still counts, perhaps empty), as when comparing with a published file.
 */
export async function countedBallotsDigest(db: Db, roundId: number, onlyProjects?: readonly number[]): Promise<CountedBallotsDigest> {
  // An int[] literal as one text parameter; ids that are no 32-bit integer are on no ballot anyway.
  const kept = onlyProjects && `{${onlyProjects.filter((id) => id === (id | 0)).join(',')}}`
  const counted = db.select({
    // Ids in numeric order (the array is integer[]), as ballotLine sorts them.
    line: sql<string>`coalesce((select string_agg(chosen.id::text, ',' order by chosen.id) from unnest(${ballots.projectIds}) as chosen(id)${kept === undefined ? sql`` : sql` where chosen.id = any(${kept}::integer[])`}), '')`.as('line'),
  }).from(ballots)
    .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
    .where(and(eq(ballots.roundId, roundId), isNull(votingCodes.revokedAt)))
    .as('counted')
  // Lines in byte order ("C"), which for digits and commas is JavaScript's default sort; no ballots hash as ''.
  const [row] = await db.select({
    sha256: sql<string>`encode(sha256(convert_to(coalesce(string_agg(${counted.line}, E'\n' order by ${counted.line} collate "C"), ''), 'UTF8')), 'hex')`,
    ballots: sql<number>`count(*)`.mapWith(Number),
  }).from(counted)
  return row!
}

export interface TallyData {
  projects: (BallotProjectForTally & Awaited<ReturnType<typeof listBallotProjects>>[number])[]
  ballots: number[][]
}

export async function loadTallyData(db: Db, roundId: number): Promise<TallyData> {
  const [projects, counted] = await Promise.all([listBallotProjects(db, roundId), countedBallots(db, roundId)])
  return { projects, ballots: counted }
}

export function tallyRound(round: Round, data: TallyData, rule: TallyRule): TallyResult {
  return tally(tallyInput(round, data.projects, data.ballots), rule)
}

export type PublishOutcome = { published: Result } | { refused: 'notClosed' }

/**
 * Counts with the round's rule, freezes the anonymised ballots with their hash, and moves
 * the round to published, all in one transaction on the locked round row: a second publish
 * finds the round published and changes nothing.
 */
export async function publishResult(db: Db, roundId: number, official: { id: number; email: string; role: Role }, softwareVersion: string): Promise<PublishOutcome> {
  return db.transaction(async (tx) => {
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for('update')
    if (!round || transitionRefusal(official.role, 'results.publish', round.phase, NO_FACTS)) return { refused: 'notClosed' as const }
    const data = await loadTallyData(tx, roundId)
    const input = tallyInput(round, data.projects, data.ballots)
    const outcome = tally(input, round.tallyRule)
    const ballotsPb = exportBallotsPb(round, data.projects, data.ballots, round.tallyRule, randomInt)
    const ballotsSha256 = sha256(ballotsPb)
    const [published] = await tx.insert(results).values({
      roundId, rule: round.tallyRule, outcome, outcomeVersion: OUTCOME_VERSION, ballotsPb, ballotsSha256,
      ballotCount: data.ballots.length, softwareVersion, publishedBy: official.id,
    }).returning()
    await tx.update(rounds).set({ phase: 'published' }).where(eq(rounds.id, roundId))
    await appendAudit(tx, {
      officialId: official.id, actor: official.email, action: 'results.publish', object: `round:${roundId}`,
      details: { rule: round.tallyRule, softwareVersion, ballotsSha256, countedBallotsSha256: ballotsDigest(data.ballots), ballots: data.ballots.length, selected: outcome.selected, totalCostCents: outcome.totalCost },
    })
    return { published: asResult(published!) }
  })
}

function asResult({ outcome, outcomeVersion, ...row }: typeof results.$inferSelect): Result {
  return { ...row, outcome: readOutcome(outcomeVersion, outcome) }
}

/** The result of a round that is published: publishing stores it in the same transaction, so it is always there. */
export async function publishedResult(db: Db, roundId: number): Promise<Result> {
  const result = await findResult(db, roundId)
  if (!result) throw new Error(`round ${roundId} is published but has no stored result`)
  return result
}

export async function findResult(db: Db, roundId: number): Promise<Result | undefined> {
  const [row] = await db.select().from(results).where(eq(results.roundId, roundId))
  return row && asResult(row)
}

export async function addProgressUpdate(db: Db, update: { proposalId: number; status: ProgressUpdate['status']; text: string; on: string; official: { id: number; email: string } }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(progressUpdates).values({ proposalId: update.proposalId, status: update.status, text: update.text, on: update.on, officialId: update.official.id })
    await appendAudit(tx, {
      officialId: update.official.id, actor: update.official.email, action: 'progress.post', object: `proposal:${update.proposalId}`,
      details: { status: update.status, on: update.on },
    })
  })
}

/** Progress updates of a round's projects, newest first per project. */
export function listProgressUpdates(db: Db, proposalIds: readonly number[]) {
  if (proposalIds.length === 0) return Promise.resolve([] as ProgressUpdate[])
  return db.select().from(progressUpdates).where(inArray(progressUpdates.proposalId, [...proposalIds]))
    .orderBy(asc(progressUpdates.proposalId), asc(progressUpdates.on), asc(progressUpdates.id))
}

export async function findProposalOfRound(db: Db, roundId: number, proposalId: number) {
  const [row] = await db.select({ id: proposals.id, title: proposals.title }).from(proposals)
    .where(and(eq(proposals.id, proposalId), eq(proposals.roundId, roundId)))
  return row
}
