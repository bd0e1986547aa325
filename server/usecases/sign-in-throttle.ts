import type { Db } from '../../db/client.js'
import { holdUntil, hitRateLimit, peekRateLimit } from '../data/rate-limits.js'
import { recordFailedLogin } from '../data/officials.js'
import {
  ACCOUNT_THROTTLE,
  ADDRESS_MEMORY_MS,
  ADDRESS_THROTTLE,
  throttleDelayMs,
  throttleStarts,
} from '../domain/access/throttle.js'

const waitKey = (address: string) => `loginwait:addr:${address}`

/**
 * Whether a sign-in attempt must wait: the source address's throttle always applies, the account's
 * only from a browser the official never completed a sign-in on.
 */
export async function signInThrottled(
  db: Db,
  address: string,
  account: { lockedUntil: Date | null; knownDevice: boolean } | undefined,
  now = new Date(),
): Promise<boolean> {
  if ((await peekRateLimit(db, waitKey(address))) > 0) return true
  return account !== undefined && !account.knownDevice && account.lockedUntil !== null && account.lockedUntil > now
}

/** Counts a failed password or code against the source address and, when there is one, the account. */
export async function recordSignInFailure(
  db: Db,
  address: string,
  officialId: number | undefined,
): Promise<{ accountThrottleStarted: boolean }> {
  const { count } = await hitRateLimit(db, `loginfail:addr:${address}`, ADDRESS_MEMORY_MS)
  const addressDelay = throttleDelayMs(count, ADDRESS_THROTTLE)
  if (addressDelay > 0) await holdUntil(db, waitKey(address), addressDelay)
  if (officialId === undefined) return { accountThrottleStarted: false }
  const failures = await recordFailedLogin(db, officialId, (n) => throttleDelayMs(n, ACCOUNT_THROTTLE))
  return { accountThrottleStarted: throttleStarts(failures, ACCOUNT_THROTTLE) }
}
