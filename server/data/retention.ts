import { and, inArray, isNotNull, lte, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { proposals, results } from '../../db/schema.js'
import { contactRetentionCutoff } from '../domain/access/accounts.js'
import { appendAudit } from './audit.js'

// Any constant shared by every instance: two instances running the job at once take turns.
const RETENTION_LOCK = 72_616_162

/**
 * Deletes submitters' e-mail and phone in rounds published at least `days` ago; the proposal
 * and its public history stay. Idempotent: a second run finds nothing and records nothing.
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
    if (cleared.length > 0) {
      await appendAudit(tx, {
        officialId: null,
        actor: 'system',
        action: 'privacy.contacts-deleted',
        object: 'proposals',
        at: now,
        details: {
          count: cleared.length,
          rounds: [...new Set(cleared.map((c) => c.roundId))].sort((a, b) => a - b),
          retentionDays: days,
        },
      })
    }
    return cleared.length
  })
}
