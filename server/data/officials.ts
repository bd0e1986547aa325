import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { officials } from '../../db/schema.js'
import type { Role } from '../domain/access/permissions.js'
import { appendAudit } from './audit.js'

export type Official = typeof officials.$inferSelect

export async function findOfficialByEmail(db: Db, email: string): Promise<Official | undefined> {
  const [row] = await db
    .select()
    .from(officials)
    .where(sql`lower(${officials.email}) = ${email.toLowerCase()}`)
  return row
}

export async function findOfficial(db: Db, id: number): Promise<Official | undefined> {
  const [row] = await db.select().from(officials).where(eq(officials.id, id))
  return row
}

export async function insertOfficial(
  db: Db,
  values: {
    email: string
    name: string
    role: Role
    passwordHash: string | null
    mustChangePassword?: boolean
    invitedBy?: number
  },
): Promise<Official> {
  const [row] = await db.insert(officials).values(values).returning()
  return row!
}

/**
 * Counts a failed password or code and holds the account's next attempt back by `delayMs(failures)`;
 * returns the failures in a row so far.
 */
export async function recordFailedLogin(db: Db, id: number, delayMs: (failures: number) => number): Promise<number> {
  const [row] = await db
    .update(officials)
    .set({ failedAttempts: sql`${officials.failedAttempts} + 1` })
    .where(eq(officials.id, id))
    .returning({ failedAttempts: officials.failedAttempts })
  const failures = row?.failedAttempts ?? 0
  const delay = delayMs(failures)
  if (delay > 0) {
    await db
      .update(officials)
      .set({ lockedUntil: sql`now() + make_interval(secs => ${delay / 1000})` })
      .where(eq(officials.id, id))
  }
  return failures
}

/** A login completed (with its second factor where there is one): failures forgotten, time kept for the access review. */
export async function recordLogin(
  db: Db,
  official: Pick<Official, 'id' | 'email'>,
  details: Record<string, unknown>,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(officials)
      .set({ failedAttempts: 0, lockedUntil: null, lastLoginAt: new Date() })
      .where(eq(officials.id, official.id))
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'login',
      object: `official:${official.id}`,
      details,
    })
  })
}

/** From `at`, every session of the official started earlier is worth nothing (domain/access sessionEnded). */
export async function stampSessionsEnded(db: Db, officialId: number, at: Date): Promise<void> {
  await db.update(officials).set({ sessionsValidAfter: at }).where(eq(officials.id, officialId))
}

export async function changePassword(
  db: Db,
  official: Pick<Official, 'id' | 'email'>,
  passwordHash: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(officials).set({ passwordHash, mustChangePassword: false }).where(eq(officials.id, official.id))
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'password.changed',
      object: `official:${official.id}`,
    })
  })
}
