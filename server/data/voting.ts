import { and, asc, count, eq, isNull, not, sql } from 'drizzle-orm'
import { preparedPer, type Db } from '../../db/client.js'
import { ballots, codeBatches, proposals, rounds, votingCodes } from '../../db/schema.js'
import { appendAudit } from './audit.js'
import { plannedEndPassed } from './planned-end.js'

export type Channel = 'online' | 'paper'

const ballotProjects = preparedPer((db) => db.select({
  id: proposals.id,
  reference: proposals.reference,
  title: proposals.title,
  summary: proposals.summary,
  costCents: sql<number>`coalesce(${proposals.correctedCostCents}, ${proposals.costCents})`.mapWith(Number),
  themes: proposals.themes,
  track: proposals.track,
  kwhPerYear: proposals.kwhPerYear,
  co2KgPerYear: proposals.co2KgPerYear,
  households: proposals.households,
}).from(proposals)
  .where(and(eq(proposals.roundId, sql.placeholder('roundId')), eq(proposals.status, 'approved')))
  .orderBy(asc(proposals.submittedAt), asc(proposals.id))
  .prepare('ballot_projects'))

/** The projects on a round's ballot: its approved proposals, at the cost that counts. */
export function listBallotProjects(db: Db, roundId: number) {
  return ballotProjects(db).execute({ roundId })
}

const CHUNK = 20_000

/** Stores a batch of code hashes in one transaction: either all letters' codes exist or none. */
export async function insertCodeBatch(
  db: Db,
  batch: { roundId: number; groupLabel: string | null; hashes: string[]; official: { id: number; email: string } },
): Promise<number> {
  const batchId = await db.transaction(async (tx) => {
    const [row] = await tx.insert(codeBatches).values({
      roundId: batch.roundId, groupLabel: batch.groupLabel, count: batch.hashes.length, createdBy: batch.official.id,
    }).returning({ id: codeBatches.id })
    // One array parameter per chunk: three times faster than a many-row VALUES list. Hashes are base64url, safe in an array literal.
    for (let i = 0; i < batch.hashes.length; i += CHUNK) {
      await tx.execute(sql`insert into voting_codes (round_id, batch_id, code_hash, group_label)
        select ${batch.roundId}, ${row!.id}, h, ${batch.groupLabel} from unnest(${`{${batch.hashes.slice(i, i + CHUNK).join(',')}}`}::text[]) as h`)
    }
    await appendAudit(tx, {
      officialId: batch.official.id, actor: batch.official.email, action: 'codes.generate', object: `round:${batch.roundId}`,
      details: { batch: row!.id, count: batch.hashes.length, group: batch.groupLabel },
    })
    return row!.id
  })
  // Bulk loads leave the planner's statistics stale (PGlite has no autovacuum).
  await db.execute(sql`analyze voting_codes`)
  return batchId
}

export async function findCode(db: Db, roundId: number, codeHash: string) {
  const [row] = await db.select({ id: votingCodes.id, revokedAt: votingCodes.revokedAt, groupLabel: votingCodes.groupLabel })
    .from(votingCodes).where(and(eq(votingCodes.codeHash, codeHash), eq(votingCodes.roundId, roundId)))
  return row
}

export async function revokeCode(db: Db, roundId: number, codeHash: string, official: { id: number; email: string }): Promise<'revoked' | 'unknown' | 'already'> {
  return db.transaction(async (tx) => {
    const code = await findCode(tx, roundId, codeHash)
    if (!code) return 'unknown'
    if (code.revokedAt) return 'already'
    await tx.update(votingCodes).set({ revokedAt: new Date() }).where(and(eq(votingCodes.id, code.id), isNull(votingCodes.revokedAt)))
    await appendAudit(tx, { officialId: official.id, actor: official.email, action: 'codes.revoke', object: `code:${code.id}`, details: { round: roundId } })
    return 'revoked'
  })
}

export async function countFailedCodeAttempt(db: Db, roundId: number): Promise<void> {
  await db.update(rounds).set({ failedCodeAttempts: sql`${rounds.failedCodeAttempts} + 1` }).where(eq(rounds.id, roundId))
}

// Built with the query builder so it can be prepared: this is the statement every vote runs.
const upsertBallot = preparedPer((db) => db.insert(ballots).select(
  db.select({
    id: sql<number>`nextval('ballots_id_seq')`.as('id'),
    roundId: votingCodes.roundId,
    codeId: votingCodes.id,
    channel: sql<Channel>`${sql.placeholder('channel')}::ballot_channel`.as('channel'),
    projectIds: sql<number[]>`${sql.placeholder('projectIds')}::integer[]`.as('project_ids'),
    receipt: sql<string>`${sql.placeholder('receipt')}::text`.as('receipt'),
    castAt: sql<Date>`now()`.as('cast_at'),
    updatedAt: sql<Date>`now()`.as('updated_at'),
  }).from(votingCodes).innerJoin(rounds, eq(rounds.id, votingCodes.roundId))
    .where(and(
      eq(votingCodes.id, sql.placeholder('codeId')), eq(votingCodes.roundId, sql.placeholder('roundId')),
      isNull(votingCodes.revokedAt), eq(rounds.phase, 'voting'),
      // The planned end holds even if no closer has run yet: no ballot is acknowledged after it.
      not(plannedEndPassed),
    )),
).onConflictDoUpdate({
  target: ballots.codeId,
  set: { projectIds: sql`excluded.project_ids`, channel: sql`excluded.channel`, updatedAt: sql`now()` },
}).returning({ receipt: ballots.receipt, replaced: sql<boolean>`xmax <> 0` }).prepare('cast_ballot'))

/**
 * Stores or replaces the ballot of one code in one statement, only while the
 * code is valid, the round is voting and its planned end has not passed. Returns null when that no longer
 * holds. The reply is sent after this commits, so an acknowledged ballot is
 * never lost. Closing the round locks the table first (see moveRound).
 */
export async function castBallot(
  db: Db,
  ballot: { roundId: number; codeId: number; channel: Channel; projectIds: number[]; receipt: string },
): Promise<{ receipt: string; replaced: boolean } | null> {
  const [row] = await upsertBallot(db).execute({ ...ballot, projectIds: `{${ballot.projectIds.join(',')}}` })
  return row ?? null
}

export async function hasBallot(db: Db, codeId: number): Promise<boolean> {
  const [row] = await db.select({ id: ballots.id }).from(ballots).where(eq(ballots.codeId, codeId))
  return row !== undefined
}

/** What a receipt may tell: that a ballot is in the count, never what it chose. */
export async function findReceipt(db: Db, receipt: string) {
  const [row] = await db.select({
    castAt: ballots.castAt,
    updatedAt: ballots.updatedAt,
    channel: ballots.channel,
    revoked: sql<boolean>`${votingCodes.revokedAt} is not null`,
    roundTitle: rounds.title,
    roundSlug: rounds.slug,
  }).from(ballots)
    .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
    .innerJoin(rounds, eq(rounds.id, ballots.roundId))
    .where(eq(ballots.receipt, receipt))
  return row
}

/** Turnout for officials: counts only, never which code chose what. */
export async function turnout(db: Db, roundId: number) {
  const codes = await db.select({
    group: votingCodes.groupLabel,
    issued: count(),
    revoked: sql<number>`count(${votingCodes.revokedAt})`.mapWith(Number),
  }).from(votingCodes).where(eq(votingCodes.roundId, roundId)).groupBy(votingCodes.groupLabel).orderBy(votingCodes.groupLabel)
  const cast = await db.select({
    group: votingCodes.groupLabel,
    channel: ballots.channel,
    ballots: count(),
  }).from(ballots).innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
    .where(and(eq(ballots.roundId, roundId), isNull(votingCodes.revokedAt)))
    .groupBy(votingCodes.groupLabel, ballots.channel)
  return { codes, cast }
}
