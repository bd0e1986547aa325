import { eq, lt, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { sessions } from '../../db/schema.js'

export async function loadSession(db: Db, sid: string): Promise<unknown | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.sid, sid))
  if (!row) return undefined
  if (row.expiresAt <= new Date()) {
    await db.delete(sessions).where(eq(sessions.sid, sid))
    return undefined
  }
  return row.data
}

export async function saveSession(db: Db, sid: string, data: unknown, expiresAt: Date): Promise<void> {
  await db
    .insert(sessions)
    .values({ sid, data, expiresAt })
    .onConflictDoUpdate({ target: sessions.sid, set: { data: sql`excluded.data`, expiresAt: sql`excluded.expires_at` } })
}

export async function deleteSession(db: Db, sid: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.sid, sid))
}

export async function deleteExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()))
}
