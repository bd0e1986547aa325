import { inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { rateLimits } from '../../db/schema.js'
import { attemptKeyPrefix, type AttemptCounts, type attemptKeys } from '../domain/voting/code-guessing.js'
import { hitRateLimit, peekRateLimit } from './rate-limits.js'
import { countFailedCodeAttempt } from './voting-codes.js'

type Keys = ReturnType<typeof attemptKeys>

/**
 * Counts an attempt for its browser and its address in one statement, before the code is looked up:
 * each of many simultaneous attempts gets its own count, so no more than the limit are ever looked up.
 */
export async function countCodeAttempt(db: Db, keys: Keys, windowMs: number): Promise<AttemptCounts> {
  const expired = sql`${rateLimits.resetAt} <= now()`
  const resetAt = sql`now() + make_interval(secs => ${windowMs / 1000})`
  const [rows, round] = await Promise.all([
    db
      .insert(rateLimits)
      .values([keys.browser, keys.address].map((key) => ({ key, count: 1, resetAt })))
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
          resetAt: sql`case when ${expired} then excluded.reset_at else ${rateLimits.resetAt} end`,
        },
      })
      .returning({ key: rateLimits.key, count: rateLimits.count }),
    peekRateLimit(db, keys.round),
  ])
  const countOf = (key: string) => rows.find((r) => r.key === key)?.count ?? 0
  return { browser: countOf(keys.browser), address: countOf(keys.address), round }
}

/** A right code does not count against its browser or address: only wrong ones stay counted. */
export async function refundCodeAttempt(db: Db, keys: Keys): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
    .where(inArray(rateLimits.key, [keys.browser, keys.address]))
}

/** Counts a wrong code for the whole round; returns the round's wrong codes in the window, this one included. */
export async function countWrongCode(db: Db, roundId: number, keys: Keys, windowMs: number): Promise<number> {
  const [{ count }] = await Promise.all([hitRateLimit(db, keys.round, windowMs), countFailedCodeAttempt(db, roundId)])
  return count
}

/**
 * As voting closes: the round's code-entry counts go. They name the addresses and browsers codes
 * were typed from and when their windows end, which nothing needs once no code can be entered.
 */
export async function forgetCodeAttempts(tx: Db, roundId: number): Promise<void> {
  await tx.delete(rateLimits).where(sql`starts_with(${rateLimits.key}, ${attemptKeyPrefix(roundId)})`)
}
