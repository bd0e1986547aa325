import { and, asc, count, inArray, isNotNull, isNull, lt, lte, min, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { outbox } from '../../db/schema.js'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  /** What caused it, for admins ("decision", "status-link", ...); never the address. */
  purpose: string
  headers?: Record<string, string>
}

const enqueued = new Set<() => void>()

/**
 * Calls `listener` whenever mail is put in the outbox, so the mail worker can send it as soon as
 * the change that caused it is committed; returns the way to stop listening.
 */
export function onMailEnqueued(listener: () => void): () => void {
  enqueued.add(listener)
  return () => enqueued.delete(listener)
}

/**
 * Puts mail in the outbox, in the caller's transaction: it goes out only if the change that
 * caused it is committed, and it is not lost when the mail server is down.
 */
export async function enqueueMail(db: Db, ...mails: OutgoingMail[]): Promise<void> {
  if (mails.length === 0) return
  await db.insert(outbox).values(
    mails.map((m) => ({
      toAddress: m.to,
      subject: m.subject,
      body: m.text,
      purpose: m.purpose,
      headers: m.headers ?? {},
    })),
  )
  for (const listener of enqueued) listener()
}

export interface ClaimedMail {
  id: number
  to: string
  subject: string
  text: string
  headers: Record<string, string>
  purpose: string
  attempts: number
}

const ms = (value: number) => sql`make_interval(secs => ${value / 1000})`
const due = and(isNull(outbox.sentAt), isNull(outbox.failedAt))

/**
 * Takes up to `limit` due mails for `claimMs`, in one statement: an instance skips the rows
 * another is claiming (SKIP LOCKED) and, once claimed, their claim keeps them its own.
 */
export async function claimDueMails(db: Db, limit: number, claimMs: number): Promise<ClaimedMail[]> {
  const now = sql`now()`
  const ids = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(due, lte(outbox.nextAttemptAt, now), or(isNull(outbox.claimedUntil), lt(outbox.claimedUntil, now))))
    .orderBy(asc(outbox.id))
    .limit(limit)
    .for('update', { skipLocked: true })
  const claimed = await db
    .update(outbox)
    .set({ claimedUntil: sql`now() + ${ms(claimMs)}` })
    .where(inArray(outbox.id, ids))
    .returning({
      id: outbox.id,
      to: outbox.toAddress,
      subject: outbox.subject,
      text: outbox.body,
      headers: outbox.headers,
      purpose: outbox.purpose,
      attempts: outbox.attempts,
    })
  // RETURNING follows the table's order, not the subquery's: oldest first, as they were committed.
  return claimed.sort((a, b) => a.id - b.id)
}

export async function markSent(db: Db, id: number): Promise<void> {
  await db
    .update(outbox)
    .set({ sentAt: sql`now()`, claimedUntil: null, lastError: null })
    .where(inArray(outbox.id, [id]))
}

/** Counts a failed try: the mail is tried again after `retryMs`, or given up (`givesUp`). */
export async function markFailed(
  db: Db,
  id: number,
  failure: { attempts: number; kind: string; retryMs: number; givesUp: boolean },
): Promise<void> {
  await db
    .update(outbox)
    .set({
      attempts: failure.attempts,
      lastError: failure.kind,
      claimedUntil: null,
      nextAttemptAt: sql`now() + ${ms(failure.retryMs)}`,
      failedAt: failure.givesUp ? sql`now()` : null,
    })
    .where(inArray(outbox.id, [id]))
}

/** Deletes mails sent or given up long enough ago: they hold addresses. Returns how many. */
export async function deleteDoneMails(db: Db, keepSentDays: number, keepFailedDays: number): Promise<number> {
  const before = (days: number) => sql`now() - ${ms(days * 24 * 60 * 60 * 1000)}`
  const deleted = await db
    .delete(outbox)
    .where(or(lt(outbox.sentAt, before(keepSentDays)), lt(outbox.failedAt, before(keepFailedDays))))
    .returning({ id: outbox.id })
  return deleted.length
}

export interface OutboxHealth {
  /** Not sent yet, still to be tried. */
  waiting: number
  /** Of those, how many failed at least once. */
  retrying: number
  oldestWaitingAt: Date | null
  /** Given up after the retries ran out or a refusal for good. */
  failed: number
  /** The last errors of mails waiting or given up, by kind: codes, never addresses. */
  errors: { kind: string; count: number }[]
}

/** How the outbox is doing, for admins: counts and error codes, no address and no subject. */
export async function outboxHealth(db: Db): Promise<OutboxHealth> {
  const [[totals], errors] = await Promise.all([
    db
      .select({
        waiting: sql<number>`(count(*) filter (where ${due}))::int`,
        retrying: sql<number>`(count(*) filter (where ${due} and ${outbox.attempts} > 0))::int`,
        failed: sql<number>`(count(*) filter (where ${isNotNull(outbox.failedAt)}))::int`,
        oldestWaitingAt: min(sql<Date>`case when ${due} then ${outbox.createdAt} end`).mapWith(outbox.createdAt),
      })
      .from(outbox),
    db
      .select({ kind: sql<string>`${outbox.lastError}`, count: count() })
      .from(outbox)
      .where(and(isNull(outbox.sentAt), isNotNull(outbox.lastError)))
      .groupBy(outbox.lastError)
      .orderBy(asc(outbox.lastError)),
  ])
  return { ...totals!, errors }
}
