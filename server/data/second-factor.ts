import { and, count, eq, isNull, lt, ne, or } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { officials, recoveryCodes, sessions } from '../../db/schema.js'
import { appendAudit } from './audit.js'
import { stampSessionsEnded, type Official } from './officials.js'

type Who = Pick<Official, 'id' | 'email'>

/** Keeps a new, not yet confirmed secret (sealed); an enrolled official's secret is never replaced here. */
export async function startEnrolment(db: Db, officialId: number, sealedSecret: string): Promise<void> {
  await db
    .update(officials)
    .set({ totpSecret: sealedSecret, totpLastStep: null })
    .where(and(eq(officials.id, officialId), isNull(officials.totpEnabledAt)))
}

/** The first code confirmed the secret: the second factor is on, with fresh recovery codes. */
export async function confirmEnrolment(
  db: Db,
  official: Who,
  step: number,
  recoveryHashes: string[],
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = await tx
      .update(officials)
      .set({ totpEnabledAt: new Date(), totpLastStep: step })
      .where(and(eq(officials.id, official.id), isNull(officials.totpEnabledAt)))
      .returning({ id: officials.id })
    if (done.length === 0) return false
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.officialId, official.id))
    await tx.insert(recoveryCodes).values(recoveryHashes.map((codeHash) => ({ officialId: official.id, codeHash })))
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'second-factor.enrolled',
      object: `official:${official.id}`,
    })
    return true
  })
}

/**
 * Records `step` as used, only if it is later than the last one: of two requests with the same
 * code, one wins, also across instances.
 */
export async function acceptStep(db: Db, officialId: number, step: number): Promise<boolean> {
  const done = await db
    .update(officials)
    .set({ totpLastStep: step })
    .where(and(eq(officials.id, officialId), or(isNull(officials.totpLastStep), lt(officials.totpLastStep, step))))
    .returning({ id: officials.id })
  return done.length > 0
}

/** Uses a recovery code once; false when it is unknown or was used before. */
export async function useRecoveryCode(db: Db, official: Who, codeHash: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const used = await tx
      .update(recoveryCodes)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(recoveryCodes.officialId, official.id),
          eq(recoveryCodes.codeHash, codeHash),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ id: recoveryCodes.id })
    if (used.length === 0) return false
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'second-factor.recovery-code-used',
      object: `official:${official.id}`,
    })
    return true
  })
}

export async function unusedRecoveryCodes(db: Db, officialId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.officialId, officialId), isNull(recoveryCodes.usedAt)))
  return row?.n ?? 0
}

/**
 * Switches the second factor off so it can be enrolled again: by an admin for someone else, or by
 * the official after a recovery code. Their other sessions end, since they were opened with the old one.
 */
export async function resetSecondFactor(db: Db, actor: Who, target: Who, at: Date, keepSid?: string): Promise<void> {
  await db.transaction(async (tx) => {
    await stampSessionsEnded(tx, target.id, at)
    await tx
      .update(officials)
      .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null })
      .where(eq(officials.id, target.id))
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.officialId, target.id))
    const others = eq(sessions.officialId, target.id)
    await tx.delete(sessions).where(keepSid === undefined ? others : and(others, ne(sessions.sid, keepSid)))
    await appendAudit(tx, {
      officialId: actor.id,
      actor: actor.email,
      action: 'second-factor.reset',
      object: `official:${target.id}`,
      details: { own: actor.id === target.id },
    })
  })
}
