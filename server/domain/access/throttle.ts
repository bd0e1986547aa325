/**
 * Growing delays after failed sign-ins instead of a hard lock: a few mistakes cost nothing, then
 * each further failure doubles the wait up to a ceiling. Counted per account and per source address.
 */
export interface ThrottlePolicy {
  /** Failures that cost no wait. */
  free: number
  /** The wait after the first failure past the free ones; each further failure doubles it. */
  firstDelayMs: number
  maxDelayMs: number
}

export const ACCOUNT_THROTTLE: ThrottlePolicy = { free: 4, firstDelayMs: 30_000, maxDelayMs: 30 * 60_000 }
/** An office behind one address makes more honest mistakes than one person. */
export const ADDRESS_THROTTLE: ThrottlePolicy = { free: 10, firstDelayMs: 10_000, maxDelayMs: 15 * 60_000 }
/** How long an address's failures are remembered. */
export const ADDRESS_MEMORY_MS = 24 * 60 * 60 * 1000

/** The wait after the `failures`-th failure in a row. */
export function throttleDelayMs(failures: number, policy: ThrottlePolicy): number {
  if (failures <= policy.free) return 0
  return Math.min(policy.firstDelayMs * 2 ** (failures - policy.free - 1), policy.maxDelayMs)
}

/** Whether the failure that made the count `failures` is the one that started the waiting. */
export function throttleStarts(failures: number, policy: ThrottlePolicy): boolean {
  return failures === policy.free + 1
}
