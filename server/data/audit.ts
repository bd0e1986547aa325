import { asc, desc, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { auditLog } from '../../db/schema.js'
import { entryHash, GENESIS_HASH, type AuditFields, type ChainedEntry } from '../domain/security/audit-chain.js'

export type AuditInput = Omit<AuditFields, 'at' | 'details'> & { details?: Record<string, unknown>; at?: Date }

// Any constant shared by every instance: appends take turns so the chain never forks.
const AUDIT_LOCK = 72_616_161

/** Appends one entry. Call inside the transaction of the action it records. */
export async function appendAudit(tx: Db, input: AuditInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`)
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1)
  const fields: AuditFields = {
    at: input.at ?? new Date(),
    officialId: input.officialId,
    actor: input.actor,
    action: input.action,
    object: input.object,
    details: input.details ?? {},
  }
  const prevHash = last?.hash ?? GENESIS_HASH
  await tx.insert(auditLog).values({ ...fields, prevHash, hash: entryHash(prevHash, fields) })
}

/** Appends in a transaction of its own, for actions that write nothing else. */
export function recordAudit(db: Db, input: AuditInput): Promise<void> {
  return db.transaction((tx) => appendAudit(tx, input))
}

export async function listAudit(db: Db): Promise<ChainedEntry[]> {
  return db.select().from(auditLog).orderBy(asc(auditLog.id))
}
