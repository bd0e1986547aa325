import { and, eq, inArray, isNotNull, isNull, lt, lte, not, or, sql, type SQL } from 'drizzle-orm'
import { integerArray, type Db } from '../../db/client.js'
import { follows, proposals, results } from '../../db/schema.js'
import { contactRetentionCutoff } from '../domain/access/accounts.js'
import { UNCONFIRMED_DAYS } from '../domain/conversation/follows.js'
import { newsToCome } from '../domain/results/progress.js'
import { latestUpdates } from './progress.js'
import { readOutcome } from './result-outcome.js'
import { appendAudit } from './audit.js'

// Any constant shared by every instance: two instances running the job at once take turns.
const RETENTION_LOCK = 72_616_162

/**
 * The rounds published before `cutoff` whose funded projects still have news for their followers
 * (domain/results/progress.ts), each with those funded projects.
 */
async function roundsWithNews(tx: Db, cutoff: Date): Promise<Map<number, number[]>> {
  const rows = await tx
    .select({ roundId: results.roundId, outcome: results.outcome, outcomeVersion: results.outcomeVersion })
    .from(results)
    .where(lte(results.publishedAt, cutoff))
  const funded = new Map(rows.map((r) => [r.roundId, readOutcome(r.outcomeVersion, r.outcome).selected.map(Number)]))
  const latest = await latestUpdates(tx, [...funded.values()].flat())
  return new Map(
    [...funded].filter(([, ids]) =>
      newsToCome(
        ids.map((id) => latest.get(id)),
        cutoff,
      ),
    ),
  )
}

/** Follows of such a round itself or of one of its funded projects (not of one comment: the conversation is over). */
function followsWithNews(rounds: Map<number, number[]>): SQL {
  const kept = [...rounds].map(([roundId, funded]) =>
    and(
      eq(follows.roundId, roundId),
      isNull(follows.commentId),
      or(isNull(follows.proposalId), sql`${follows.proposalId} = any(${integerArray(funded)}::integer[])`),
    ),
  )
  return kept.length === 0 ? sql`false` : or(...kept)!
}

/**
 * Deletes submitters' e-mail and phone in rounds published at least `days` ago (the proposal and
 * its public history stay), with every follow of those rounds (followers' and commenters'
 * addresses) except those of a round or funded project that still has news to come (they go
 * `days` after its last funded project is reported done or cancelled), and follows nobody
 * confirmed within a week. Returns how many proposals and follows
 * it cleared. Idempotent: a second run finds nothing and records nothing.
 */
export async function deleteExpiredContacts(db: Db, now: Date, days: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RETENTION_LOCK})`)
    const cutoff = contactRetentionCutoff(now, days)
    const published = tx.select({ roundId: results.roundId }).from(results).where(lte(results.publishedAt, cutoff))
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
      .where(and(inArray(follows.roundId, published), not(followsWithNews(await roundsWithNews(tx, cutoff)))))
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
