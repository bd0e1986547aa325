import { and, desc, eq, gt, lt, ne, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { sessions } from '../../db/schema.js'
import { sha256 } from '../passwords.js'
import { stampSessionsEnded } from './officials.js'

export async function loadSession(db: Db, sid: string): Promise<unknown> {
  const [row] = await db.select().from(sessions).where(eq(sessions.sid, sid))
  if (!row) return undefined
  if (row.expiresAt <= new Date()) {
    await db.delete(sessions).where(eq(sessions.sid, sid))
    return undefined
  }
  return row.data
}

/**
 * Stores a session. A new one (`existing: false`, a fresh random id) is inserted; one that was
 * loaded is only updated: a request still running when its session was ended (a password change,
 * "end other sessions", a second-factor reset, a deactivation) must not write it back.
 * The signed-in official is copied out of the data, so their sessions can be listed and ended together.
 */
export async function saveSession(
  db: Db,
  sid: string,
  data: unknown,
  expiresAt: Date,
  existing: boolean,
): Promise<void> {
  const officialId = (data as { officialId?: unknown }).officialId
  const values = {
    data,
    expiresAt,
    officialId: typeof officialId === 'number' ? officialId : null,
    lastSeenAt: new Date(),
  }
  if (existing) {
    await db.update(sessions).set(values).where(eq(sessions.sid, sid))
    return
  }
  await db
    .insert(sessions)
    .values({ sid, ...values })
    .onConflictDoUpdate({
      target: sessions.sid,
      set: {
        data: sql`excluded.data`,
        expiresAt: sql`excluded.expires_at`,
        officialId: sql`excluded.official_id`,
        lastSeenAt: sql`excluded.last_seen_at`,
      },
    })
}

export async function deleteSession(db: Db, sid: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.sid, sid))
}

export async function deleteExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()))
}

export interface OfficialSession {
  /** A handle for the page: the session id itself is a secret and never leaves the server. */
  handle: string
  device: string
  lastSeenAt: Date | null
  current: boolean
}

const handleOf = (sid: string) => sha256(`session ${sid}`).slice(0, 24)

export async function listOfficialSessions(db: Db, officialId: number, currentSid: string): Promise<OfficialSession[]> {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.officialId, officialId), gt(sessions.expiresAt, new Date())))
    .orderBy(desc(sessions.lastSeenAt))
  return rows.map((row) => ({
    handle: handleOf(row.sid),
    device: (row.data as { device?: string }).device ?? '',
    lastSeenAt: row.lastSeenAt,
    current: row.sid === currentSid,
  }))
}

/** Ends one of the official's own sessions by its handle; a handle of someone else's ends nothing. */
export async function endOfficialSession(db: Db, officialId: number, handle: string): Promise<boolean> {
  const rows = await db.select({ sid: sessions.sid }).from(sessions).where(eq(sessions.officialId, officialId))
  const match = rows.find((row) => handleOf(row.sid) === handle)
  if (!match) return false
  await db.delete(sessions).where(and(eq(sessions.officialId, officialId), eq(sessions.sid, match.sid)))
  return true
}

/**
 * Ends every session of an official but the one in use, which the caller renews to start at `at`.
 * Stamped first: a row a request in flight writes back after the delete stays worth nothing.
 */
export async function endAllOfficialSessions(db: Db, officialId: number, at: Date, keepSid: string): Promise<number> {
  await stampSessionsEnded(db, officialId, at)
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.officialId, officialId), ne(sessions.sid, keepSid)))
    .returning({ sid: sessions.sid })
  return ended.length
}
