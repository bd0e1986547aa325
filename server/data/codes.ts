import { asc, count, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { ballots, codeBatches, officials, votingCodes } from '../../db/schema.js'
import { appendAudit } from './audit.js'
import { castBallot, type Channel } from './voting.js'

/** The batches of a round's letters, oldest first: when, for which group, how many, by whom. Never the codes. */
export function listCodeBatches(db: Db, roundId: number) {
  return db.select({
    id: codeBatches.id,
    createdAt: codeBatches.createdAt,
    groupLabel: codeBatches.groupLabel,
    count: codeBatches.count,
    createdBy: officials.name,
  }).from(codeBatches)
    .leftJoin(officials, eq(officials.id, codeBatches.createdBy))
    .where(eq(codeBatches.roundId, roundId))
    .orderBy(asc(codeBatches.createdAt), asc(codeBatches.id))
}

export async function countCodes(db: Db, roundId: number): Promise<{ issued: number; revoked: number }> {
  const [row] = await db.select({
    issued: count(),
    revoked: sql<number>`count(${votingCodes.revokedAt})`.mapWith(Number),
  }).from(votingCodes).where(eq(votingCodes.roundId, roundId))
  return { issued: row?.issued ?? 0, revoked: row?.revoked ?? 0 }
}

async function ballotChannel(db: Db, codeId: number, lock: boolean): Promise<Channel | null> {
  const query = db.select({ channel: ballots.channel }).from(ballots).where(eq(ballots.codeId, codeId))
  const [row] = lock ? await query.for('update') : await query
  return row?.channel ?? null
}

/** A ballot for the code arrived between the look and the write: the paper ballot is taken back. */
class ArrivedMeanwhile extends Error {}

export type PaperOutcome =
  | { kind: 'cast'; receipt: string; replaced: Channel | null }
  | { kind: 'confirm'; existing: Channel }
  | { kind: 'refused' }

/**
 * Stores a paper ballot, audited without the code or the choices. A ballot the
 * code already has is replaced only when the official confirmed it; one that
 * arrives while this runs is never replaced unseen, because the write then
 * reports a replacement nobody confirmed and the transaction is undone.
 * `refused` means the code was revoked or voting closed meanwhile.
 */
export async function enterPaperBallot(db: Db, entry: {
  roundId: number; codeId: number; projectIds: number[]; receipt: string; confirmed: boolean; official: { id: number; email: string }
}): Promise<PaperOutcome> {
  try {
    return await db.transaction(async (tx): Promise<PaperOutcome> => {
      const existing = await ballotChannel(tx, entry.codeId, true)
      if (existing && !entry.confirmed) return { kind: 'confirm', existing }
      const cast = await castBallot(tx, { roundId: entry.roundId, codeId: entry.codeId, channel: 'paper', projectIds: entry.projectIds, receipt: entry.receipt })
      if (!cast) return { kind: 'refused' }
      if (cast.replaced && !existing) throw new ArrivedMeanwhile()
      await appendAudit(tx, {
        officialId: entry.official.id, actor: entry.official.email, action: 'ballot.paper', object: `round:${entry.roundId}`,
        details: { replaces: existing ?? 'none' },
      })
      return { kind: 'cast', receipt: cast.receipt, replaced: existing }
    })
  } catch (error) {
    if (!(error instanceof ArrivedMeanwhile)) throw error
    return { kind: 'confirm', existing: (await ballotChannel(db, entry.codeId, false)) ?? 'online' }
  }
}
