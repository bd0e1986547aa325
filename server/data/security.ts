import { desc, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { auditLog, officials } from '../../db/schema.js'
import { canAtAll, official, ROLES } from '../domain/access/permissions.js'
import { SECURITY_ACTIONS, type SecurityAction } from '../domain/security/events.js'
import { appendAudit } from './audit.js'

export interface SecurityEvent {
  action: SecurityAction
  officialId: number | null
  /** Who: an official's e-mail, or "anonymous". */
  actor: string
  /** What it was aimed at: an account, a round, a path. */
  object: string
  /** Where from: the client's address as the trusted proxies report it. */
  origin: string
  details?: Record<string, unknown>
}

/** A security event joins the audit chain (with its time), so it cannot be quietly removed. In the caller's transaction. */
export function recordSecurityEvent(tx: Db, event: SecurityEvent): Promise<void> {
  return appendAudit(tx, {
    officialId: event.officialId,
    actor: event.actor,
    action: event.action,
    object: event.object,
    details: { origin: event.origin, ...event.details },
  })
}

export function listSecurityEvents(db: Db, limit = 200) {
  return db
    .select()
    .from(auditLog)
    .where(inArray(auditLog.action, [...SECURITY_ACTIONS]))
    .orderBy(desc(auditLog.id))
    .limit(limit)
}

/** Who is told about a burst: every official allowed to see the security page. */
export async function securityRecipients(db: Db): Promise<string[]> {
  const roles = ROLES.filter((role) => canAtAll(official(role), 'security.view'))
  const rows = await db.select({ email: officials.email }).from(officials).where(inArray(officials.role, roles))
  return rows.map((r) => r.email)
}
