import type { Role } from './permissions.js'

export const INVITATION_HOURS = 72
export const ACCESS_REVIEW_DAYS = 365
/** The role an invitation form starts with: the one that can help without changing a round's rules. */
export const INVITED_ROLE: Role = 'moderator'
const DAY = 24 * 60 * 60 * 1000

export type InvitationProblem = 'invitation.unknown' | 'invitation.used' | 'invitation.expired'

export function invitationProblem(
  invitation: { expiresAt: Date; usedAt: Date | null } | undefined,
  now: Date,
): InvitationProblem | null {
  if (!invitation) return 'invitation.unknown'
  if (invitation.usedAt !== null) return 'invitation.used'
  if (invitation.expiresAt <= now) return 'invitation.expired'
  return null
}

export function invitationExpiry(now: Date): Date {
  return new Date(now.getTime() + INVITATION_HOURS * 60 * 60 * 1000)
}

export type AccountChange =
  | { kind: 'role'; role: Role }
  | { kind: 'deactivate' }
  | { kind: 'reactivate' }
  | { kind: 'reset-second-factor' }
  | { kind: 'unlock' }

export type AccountChangeProblem = 'accounts.self' | 'accounts.lastAdmin' | 'accounts.unchanged'

/**
 * Whether `actorId` may make `change` to `target`. Nobody changes their own role, deactivates
 * themselves or resets their own second factor here (that takes a recovery code); an unlock
 * forgets failed sign-ins, so there must be some to forget; and the last
 * active admin is never removed: `otherActiveAdmins` counts active admins besides the target.
 */
export function accountChangeProblem(
  actorId: number,
  target: { id: number; role: Role; active: boolean; failedAttempts?: number },
  change: AccountChange,
  otherActiveAdmins: number,
): AccountChangeProblem | null {
  if (target.id === actorId && change.kind !== 'reactivate') return 'accounts.self'
  if (change.kind === 'unlock' && !target.failedAttempts) return 'accounts.unchanged'
  if (change.kind === 'role' && change.role === target.role) return 'accounts.unchanged'
  if (change.kind === 'deactivate' && !target.active) return 'accounts.unchanged'
  if (change.kind === 'reactivate' && target.active) return 'accounts.unchanged'
  const removesAdmin =
    target.role === 'admin' &&
    target.active &&
    (change.kind === 'deactivate' || (change.kind === 'role' && change.role !== 'admin'))
  if (removesAdmin && otherActiveAdmins === 0) return 'accounts.lastAdmin'
  return null
}

/** The yearly access review is due when none was ever recorded or the last is over a year old. */
export function accessReviewDue(lastReviewAt: Date | null, now: Date): boolean {
  return lastReviewAt === null || now.getTime() - lastReviewAt.getTime() > ACCESS_REVIEW_DAYS * DAY
}

/** Contact details of rounds published before this moment are due for deletion. */
export function contactRetentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY)
}
