import type { FastifyInstance } from 'fastify'
import { recordAudit } from '../../data/audit.js'
import { recordFailedLogin, type Official } from '../../data/officials.js'
import { acceptStep, useRecoveryCode } from '../../data/second-factor.js'
import { normaliseRecoveryCode } from '../../domain/access/recovery-codes.js'
import { checkCode } from '../../domain/access/totp.js'
import { sha256 } from '../../passwords.js'

export const MAX_FAILED_LOGINS = 5
export const LOCK_MINUTES = 15

export type Verified = { ok: true; via: 'totp' | 'recovery-code' } | { ok: false; messageKey: string }

/**
 * Checks a code from the authenticator app or a recovery code for an enrolled official. Every
 * wrong, replayed or malformed code counts towards the same lockout as wrong passwords.
 */
export async function verifySecondFactor(
  app: FastifyInstance,
  official: Official,
  input: { code?: string; recoveryCode?: string },
): Promise<Verified> {
  if (official.lockedUntil !== null && official.lockedUntil > new Date()) {
    await audit(app, official, 'locked')
    return { ok: false, messageKey: 'secondFactor.locked' }
  }
  let reason: string
  if (input.recoveryCode !== undefined) {
    const code = normaliseRecoveryCode(input.recoveryCode)
    if (code && (await useRecoveryCode(app.db, official, sha256(code)))) return { ok: true, via: 'recovery-code' }
    reason = code ? 'recovery-code-unknown-or-used' : 'recovery-code-format'
  } else {
    const secret = app.secretBox.open(official.totpSecret!)
    const check = checkCode(secret, input.code ?? '', Date.now(), official.totpLastStep)
    // The update only succeeds for a step later than the last: of two requests with one code, one wins.
    if (check.ok && (await acceptStep(app.db, official.id, check.step))) return { ok: true, via: 'totp' }
    reason = check.ok ? 'replayed' : check.reason
  }
  const locked = await recordFailedLogin(app.db, official.id, MAX_FAILED_LOGINS, LOCK_MINUTES)
  await audit(app, official, reason, locked)
  if (locked) return { ok: false, messageKey: 'secondFactor.locked' }
  return {
    ok: false,
    messageKey:
      reason === 'replayed'
        ? 'secondFactor.replayed'
        : reason.startsWith('recovery')
          ? 'secondFactor.recoveryWrong'
          : 'secondFactor.wrong',
  }
}

function audit(app: FastifyInstance, official: Official, reason: string, nowLocked = false) {
  return recordAudit(app.db, {
    officialId: official.id,
    actor: official.email,
    action: nowLocked ? 'second-factor.failed.locked' : 'second-factor.failed',
    object: `official:${official.id}`,
    details: { reason },
  })
}
