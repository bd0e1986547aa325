import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.js'
import { auditLog, invitations, officials, sessions } from '../../db/schema.js'
import type { AccountChange } from '../domain/access/accounts.js'
import type { Role } from '../domain/access/permissions.js'
import { appendAudit } from './audit.js'
import { stampSessionsEnded, type Official } from './officials.js'

type Who = Pick<Official, 'id' | 'email'>

export interface NewOfficial {
  email: string
  name: string
  role: Role
}

export type Invitation = typeof invitations.$inferSelect

/**
 * Adds an official with either a one-time link (only its hash is stored) or a temporary password
 * they must replace at first login. Returns null when the e-mail address already has an account.
 */
export async function inviteOfficial(
  db: Db,
  actor: Who,
  person: NewOfficial,
  access: { kind: 'link'; tokenHash: string; expiresAt: Date } | { kind: 'password'; passwordHash: string },
): Promise<Official | null> {
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: officials.id })
      .from(officials)
      .where(sql`lower(${officials.email}) = ${person.email.toLowerCase()}`)
    if (taken) return null
    const [official] = await tx
      .insert(officials)
      .values({
        ...person,
        passwordHash: access.kind === 'password' ? access.passwordHash : null,
        mustChangePassword: access.kind === 'password',
        invitedBy: actor.id,
      })
      .returning()
    if (access.kind === 'link') {
      await tx.insert(invitations).values({
        officialId: official!.id,
        tokenHash: access.tokenHash,
        expiresAt: access.expiresAt,
        createdBy: actor.id,
      })
    }
    await appendAudit(tx, {
      officialId: actor.id,
      actor: actor.email,
      action: 'official.invited',
      object: `official:${official!.id}`,
      details: { role: person.role, by: access.kind },
    })
    return official!
  })
}

export async function findInvitation(
  db: Db,
  tokenHash: string,
): Promise<(Invitation & { email: string; name: string; active: boolean }) | undefined> {
  const [row] = await db
    .select({ invitation: invitations, email: officials.email, name: officials.name, active: officials.active })
    .from(invitations)
    .innerJoin(officials, eq(officials.id, invitations.officialId))
    .where(eq(invitations.tokenHash, tokenHash))
  return row ? { ...row.invitation, email: row.email, name: row.name, active: row.active } : undefined
}

/** Sets the first password; false when another request used the link first. */
export async function acceptInvitation(
  db: Db,
  invitation: Invitation & { email: string },
  passwordHash: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const used = await tx
      .update(invitations)
      .set({ usedAt: new Date() })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.usedAt)))
      .returning({ id: invitations.id })
    if (used.length === 0) return false
    await tx
      .update(officials)
      .set({ passwordHash, mustChangePassword: false })
      .where(eq(officials.id, invitation.officialId))
    await appendAudit(tx, {
      officialId: invitation.officialId,
      actor: invitation.email,
      action: 'invitation.accepted',
      object: `official:${invitation.officialId}`,
    })
    return true
  })
}

/** The active admins and the official to change, locked until commit: two admins demoting each other at once cannot leave none. */
export async function lockForAccountChange(tx: Db, targetId: number) {
  const admins = await tx
    .select({ id: officials.id })
    .from(officials)
    .where(and(eq(officials.role, 'admin'), eq(officials.active, true)))
    .for('update')
  const [target] = await tx.select().from(officials).where(eq(officials.id, targetId)).for('update')
  return { admins, target }
}

/** Writes an account change with its audit entry; a deactivated official's sessions end with it. Call inside its transaction. */
export async function writeAccountChange(
  tx: Db,
  actor: Who,
  target: { id: number; role: Role },
  change: AccountChange,
): Promise<void> {
  if (change.kind === 'role') await tx.update(officials).set({ role: change.role }).where(eq(officials.id, target.id))
  if (change.kind === 'deactivate' || change.kind === 'reactivate') {
    await tx
      .update(officials)
      .set({ active: change.kind === 'reactivate' })
      .where(eq(officials.id, target.id))
  }
  if (change.kind === 'deactivate') {
    await stampSessionsEnded(tx, target.id, new Date())
    await tx.delete(sessions).where(eq(sessions.officialId, target.id))
  }
  if (change.kind === 'unlock') {
    await tx.update(officials).set({ failedAttempts: 0, lockedUntil: null }).where(eq(officials.id, target.id))
  }
  await appendAudit(tx, {
    officialId: actor.id,
    actor: actor.email,
    action: `official.${change.kind}`,
    object: `official:${target.id}`,
    details: change.kind === 'role' ? { from: target.role, to: change.role } : {},
  })
}

export interface ReviewRow {
  id: number
  name: string
  email: string
  role: Role
  active: boolean
  lastLoginAt: Date | null
  secondFactor: boolean
  invitedBy: string | null
  mustChangePassword: boolean
  /** Failed passwords or codes in a row, which the account's growing delay follows; an admin can forget them. */
  failedAttempts: number
}

/** Every official, for account management and the yearly access review. */
export async function listOfficialsForReview(db: Db): Promise<ReviewRow[]> {
  const inviter = alias(officials, 'inviter')
  const rows = await db
    .select({
      id: officials.id,
      name: officials.name,
      email: officials.email,
      role: officials.role,
      active: officials.active,
      lastLoginAt: officials.lastLoginAt,
      enabledAt: officials.totpEnabledAt,
      invitedBy: inviter.name,
      mustChangePassword: officials.mustChangePassword,
      failedAttempts: officials.failedAttempts,
    })
    .from(officials)
    .leftJoin(inviter, eq(inviter.id, officials.invitedBy))
    .orderBy(desc(officials.active), asc(officials.name))
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    lastLoginAt: row.lastLoginAt,
    secondFactor: row.enabledAt !== null,
    invitedBy: row.invitedBy,
    mustChangePassword: row.mustChangePassword,
    failedAttempts: row.failedAttempts,
  }))
}

export async function lastAccessReview(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ at: auditLog.at })
    .from(auditLog)
    .where(eq(auditLog.action, 'access.reviewed'))
    .orderBy(desc(auditLog.id))
    .limit(1)
  return row?.at ?? null
}

export async function recordAccessReview(db: Db, actor: Who, officialCount: number): Promise<void> {
  await db.transaction((tx) =>
    appendAudit(tx, {
      officialId: actor.id,
      actor: actor.email,
      action: 'access.reviewed',
      object: 'officials',
      details: { officials: officialCount },
    }),
  )
}

/** The whole log, oldest first, for the security officer: residents never appear in it, only officials' actions and security events. */
export async function auditEntriesForExport(db: Db) {
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actor: auditLog.actor,
      action: auditLog.action,
      object: auditLog.object,
      details: auditLog.details,
      hash: auditLog.hash,
    })
    .from(auditLog)
    .orderBy(asc(auditLog.id))
}
