import { and, asc, count, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { codeBatches, officials, rounds, votingCodes } from '../../db/schema.js'
import { appendAudit } from './audit.js'

/** The batches of a round's letters, oldest first: when, for which group, how many, by whom. Never the codes. */
export function listCodeBatches(db: Db, roundId: number) {
  return db
    .select({
      id: codeBatches.id,
      createdAt: codeBatches.createdAt,
      groupLabel: codeBatches.groupLabel,
      count: codeBatches.count,
      createdBy: officials.name,
    })
    .from(codeBatches)
    .leftJoin(officials, eq(officials.id, codeBatches.createdBy))
    .where(eq(codeBatches.roundId, roundId))
    .orderBy(asc(codeBatches.createdAt), asc(codeBatches.id))
}

export async function countCodes(db: Db, roundId: number): Promise<{ issued: number; revoked: number }> {
  const [row] = await db
    .select({
      issued: count(),
      revoked: sql<number>`count(${votingCodes.revokedAt})`.mapWith(Number),
    })
    .from(votingCodes)
    .where(eq(votingCodes.roundId, roundId))
  return { issued: row?.issued ?? 0, revoked: row?.revoked ?? 0 }
}

const CHUNK = 20_000

/** Stores a batch of code hashes in one transaction: either all letters' codes exist or none. */
export async function insertCodeBatch(
  db: Db,
  batch: {
    roundId: number
    groupLabel: string | null
    /** The district the codes are bound to (see domain/rounds/budgets.ts); null: every budget. */
    district?: string | null
    hashes: string[]
    official: { id: number; email: string }
  },
): Promise<number> {
  const batchId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(codeBatches)
      .values({
        roundId: batch.roundId,
        groupLabel: batch.groupLabel,
        district: batch.district ?? null,
        count: batch.hashes.length,
        createdBy: batch.official.id,
      })
      .returning({ id: codeBatches.id })
    // One array parameter per chunk: three times faster than a many-row VALUES list. Hashes are base64url, safe in an array literal.
    for (let i = 0; i < batch.hashes.length; i += CHUNK) {
      await tx.execute(sql`insert into voting_codes (round_id, batch_id, code_hash, group_label)
        select ${batch.roundId}, ${row!.id}, h, ${batch.groupLabel} from unnest(${`{${batch.hashes.slice(i, i + CHUNK).join(',')}}`}::text[]) as h`)
    }
    await appendAudit(tx, {
      officialId: batch.official.id,
      actor: batch.official.email,
      action: 'codes.generate',
      object: `round:${batch.roundId}`,
      details: {
        batch: row!.id,
        count: batch.hashes.length,
        group: batch.groupLabel,
        district: batch.district ?? null,
      },
    })
    return row!.id
  })
  // Bulk loads leave the planner's statistics stale (PGlite has no autovacuum).
  await db.execute(sql`analyze voting_codes`)
  return batchId
}

export async function findCode(db: Db, roundId: number, codeHash: string) {
  const [row] = await db
    .select({ id: votingCodes.id, revokedAt: votingCodes.revokedAt, groupLabel: votingCodes.groupLabel })
    .from(votingCodes)
    .where(and(eq(votingCodes.codeHash, codeHash), eq(votingCodes.roundId, roundId)))
  return row
}

export async function revokeCode(
  db: Db,
  roundId: number,
  codeHash: string,
  official: { id: number; email: string },
): Promise<'revoked' | 'unknown' | 'already'> {
  return db.transaction(async (tx) => {
    const code = await findCode(tx, roundId, codeHash)
    if (!code) return 'unknown'
    if (code.revokedAt) return 'already'
    await tx
      .update(votingCodes)
      .set({ revokedAt: new Date() })
      .where(and(eq(votingCodes.id, code.id), isNull(votingCodes.revokedAt)))
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'codes.revoke',
      object: `code:${code.id}`,
      details: { round: roundId },
    })
    return 'revoked'
  })
}

export async function countFailedCodeAttempt(db: Db, roundId: number): Promise<void> {
  await db
    .update(rounds)
    .set({ failedCodeAttempts: sql`${rounds.failedCodeAttempts} + 1` })
    .where(eq(rounds.id, roundId))
}
