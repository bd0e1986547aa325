import { and, eq, gt, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { rateLimits } from '../../db/schema.js'

/** One atomic upsert: counts a hit in the current window, starting a new window when the old one ended. */
export async function hitRateLimit(db: Db, key: string, windowMs: number): Promise<{ count: number; resetAt: Date }> {
  const expired = sql`${rateLimits.resetAt} <= now()`
  const [row] = await db
    .insert(rateLimits)
    .values({ key, count: 1, resetAt: sql`now() + make_interval(secs => ${windowMs / 1000})` })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
        resetAt: sql`case when ${expired} then excluded.reset_at else ${rateLimits.resetAt} end`,
      },
    })
    .returning({ count: rateLimits.count, resetAt: rateLimits.resetAt })
  return row!
}

/** The count in the current window, without counting this look. */
export async function peekRateLimit(db: Db, key: string): Promise<number> {
  const [row] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), gt(rateLimits.resetAt, sql`now()`)))
  return row?.count ?? 0
}

/** Holds `key` back for `ms` from now (peekRateLimit then counts it), whatever it held before. */
export async function holdUntil(db: Db, key: string, ms: number): Promise<void> {
  const until = sql`now() + make_interval(secs => ${ms / 1000})`
  await db
    .insert(rateLimits)
    .values({ key, count: 1, resetAt: until })
    .onConflictDoUpdate({ target: rateLimits.key, set: { count: 1, resetAt: until } })
}
