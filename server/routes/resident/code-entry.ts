import type { FastifyInstance, FastifyRequest } from 'fastify'
import { countCodeAttempt, countWrongCode, refundCodeAttempt } from '../../data/code-attempts.js'
import type { Round } from '../../data/rounds.js'
import { findCode } from '../../data/voting-codes.js'
import {
  attemptAllowed,
  attemptKeys,
  CODE_LIMITS,
  crossesAddressLimit,
  crossesBurst,
} from '../../domain/voting/code-guessing.js'
import { hashCode, normaliseCode } from '../../domain/voting/codes.js'

export type CodeCheck = { codeId: number } | { status: 422 | 429; errorKey: string }

/**
 * One letter code, typed in the form or carried by the QR link, looked up under the same limits:
 * counted before the look-up (domain/code-guessing.ts), refunded when right.
 */
export async function checkCode(
  app: FastifyInstance,
  codeKey: string,
  request: FastifyRequest,
  round: Round,
  typed: string,
  browserId: string | null,
): Promise<CodeCheck> {
  if (typed.trim() === '') return { status: 422, errorKey: 'vote.codeRequired' }
  // Counted before the look-up, in one statement: simultaneous guesses cannot all slip under the limit.
  const keys = attemptKeys(round.id, request.ip, browserId)
  const counts = await countCodeAttempt(app.db, keys, CODE_LIMITS.windowMs)
  if (!attemptAllowed(counts)) {
    if (crossesAddressLimit(counts)) {
      await app.securityEvent({
        action: 'security.code-lockout',
        officialId: null,
        actor: 'anonymous',
        object: `round:${round.id}`,
        origin: request.ip,
      })
    }
    return { status: 429, errorKey: 'vote.tooManyCodes' }
  }
  const normalised = normaliseCode(typed)
  const code = normalised ? await findCode(app.db, round.id, hashCode(codeKey, normalised)) : undefined
  if (!code) {
    const wrongCodes = await countWrongCode(app.db, round.id, keys, CODE_LIMITS.roundWindowMs)
    if (crossesBurst(wrongCodes)) {
      await app.securityEvent({
        action: 'security.code-guessing',
        officialId: null,
        actor: 'anonymous',
        object: `round:${round.id}`,
        origin: request.ip,
        details: { wrongCodes },
      })
    }
    return { status: 422, errorKey: 'vote.codeUnknown' }
  }
  await refundCodeAttempt(app.db, keys)
  if (code.revokedAt) return { status: 422, errorKey: 'vote.codeRevoked' }
  return { codeId: code.id }
}
