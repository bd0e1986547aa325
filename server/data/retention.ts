import { and, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { follows, proposals, results } from '../../db/schema.js'
import { contactRetentionCutoff } from '../domain/access/accounts.js'
import { UNCONFIRMED_DAYS } from '../domain/conversation/follows.js'
import { appendAudit } from './audit.js'

// Any constant shared by every instance: two instances running the job at once take turns.
const RETENTION_LOCK = 72_616_162

/**
 * Deletes submitters' e-mail and phone in rounds published at least `days` ago (the proposal and
 * its public history stay), with every follow of those rounds (followers' and commenters'
 * addresses), and follows nobody confirmed within a week. Returns how many proposals and follows
 * it cleared. Idempotent: a second run finds nothing and records nothing.
 */
export async function deleteExpiredContacts(db: Db, now: Date, days: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RETENTION_LOCK})`)
    const published = tx
      .select({ roundId: results.roundId })
      .from(results)
      .where(lte(results.publishedAt, contactRetentionCutoff(now, days)))
    const cleared = await tx
      .update(proposals)
      .set({ contactEmail: null, contactPhone: null })
      .where(
        and(
          inArray(proposals.roundId, published),
          or(isNotNull(proposals.contactEmail), isNotNull(proposals.contactPhone)),
        ),
      )
      .returning({ roundId: proposals.roundId })
    const followers = await tx
      .delete(follows)
      .where(inArray(follows.roundId, published))
      .returning({ roundId: follows.roundId })
    const unconfirmed = await tx
      .delete(follows)
      .where(
        and(
          isNull(follows.confirmedAt),
          lt(follows.createdAt, new Date(now.getTime() - UNCONFIRMED_DAYS * 24 * 60 * 60 * 1000)),
        ),
      )
      .returning({ id: follows.id })
    const deleted = cleared.length + followers.length + unconfirmed.length
    if (deleted > 0) {
      await appendAudit(tx, {
        officialId: null,
        actor: 'system',
        action: 'privacy.contacts-deleted',
        object: 'proposals',
        at: now,
        details: {
          count: cleared.length,
          rounds: [...new Set([...cleared, ...followers].map((c) => c.roundId))].sort((a, b) => a - b),
          retentionDays: days,
          follows: followers.length,
          unconfirmedFollows: unconfirmed.length,
        },
      })
    }
    return deleted
  })
}
