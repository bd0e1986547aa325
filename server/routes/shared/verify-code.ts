import type { FastifyInstance, FastifyRequest } from 'fastify'
import { recordAudit } from '../../data/audit.js'
import type { Official } from '../../data/officials.js'
import { acceptStep, useRecoveryCode } from '../../data/second-factor.js'
import { normaliseRecoveryCode } from '../../domain/access/recovery-codes.js'
import { checkCode } from '../../domain/access/totp.js'
import { sha256 } from '../../passwords.js'
import { recordSignInFailure, signInThrottled } from '../../usecases/sign-in-throttle.js'
import { isKnownDevice } from '../auth/known-device.js'

export type Verified = { ok: true; via: 'totp' | 'recovery-code' } | { ok: false; messageKey: string }

/**
 * Checks a code from the authenticator app or a recovery code for an enrolled official. Every
 * wrong, replayed or malformed code counts towards the same growing delays as wrong passwords; the
 * failure that starts the account's delay shows someone knows the password, and admins and the
 * official hear of it.
 */
export async function verifySecondFactor(
  app: FastifyInstance,
  request: FastifyRequest,
  official: Official,
  input: { code?: string; recoveryCode?: string },
): Promise<Verified> {
  const account = { lockedUntil: official.lockedUntil, knownDevice: isKnownDevice(app, request, official.id) }
  if (await signInThrottled(app.db, request.ip, account)) {
    await audit(app, official, 'throttled')
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
  const { accountThrottleStarted } = await recordSignInFailure(app.db, request.ip, official.id)
  await audit(app, official, reason)
  if (accountThrottleStarted) {
    await app.securityEvent({
      action: 'security.second-factor-lockout',
      officialId: official.id,
      actor: official.email,
      object: `official:${official.id}`,
      origin: request.ip,
      details: { reason },
    })
    return { ok: false, messageKey: 'secondFactor.locked' }
  }
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

function audit(app: FastifyInstance, official: Official, reason: string) {
  return recordAudit(app.db, {
    officialId: official.id,
    actor: official.email,
    action: 'second-factor.failed',
    object: `official:${official.id}`,
    details: { reason },
  })
}
