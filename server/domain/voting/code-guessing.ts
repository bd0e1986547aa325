/**
 * Limits on wrong voting codes. A letter code has about 79 bits, so guessing is hopeless
 * anyway; the limits keep it that way without locking out neighbours who share one address
 * (a community centre's Wi-Fi, a mobile carrier's gateway):
 * - a browser (a signed cookie) may type a few wrong codes: one person's typos stop only them;
 * - an address may type many more: 30 neighbours with a few typos each still get through;
 * - a client without the cookie (a script) gets the browser limit for its whole address;
 * - wrong codes across the whole round are counted: a spread-out attack crosses the burst
 *   threshold, is reported, and from then on every address gets the browser limit.
 */
export const CODE_LIMITS = {
  perBrowser: 10,
  perAddress: 100,
  windowMs: 15 * 60 * 1000,
  roundBurst: 1000,
  roundWindowMs: 60 * 60 * 1000,
} as const

export interface AttemptCounts {
  /** Attempts by this browser, or by this address when the browser brought no cookie. */
  browser: number
  address: number
  /** Wrong codes for the round in its window, before this attempt. */
  round: number
}

/** May this attempt be looked up? The counts already include it: they were taken atomically. */
export function attemptAllowed(counts: AttemptCounts): boolean {
  return counts.browser <= CODE_LIMITS.perBrowser && counts.address <= addressLimit(counts)
}

/** During a burst across the round every address gets the browser limit. */
function addressLimit(counts: AttemptCounts): number {
  return counts.round >= CODE_LIMITS.roundBurst ? CODE_LIMITS.perBrowser : CODE_LIMITS.perAddress
}

/** What every rate-limit key of a round's code entry starts with. */
export const attemptKeyPrefix = (roundId: number) => `codefail:${roundId}:`

/** Rate-limit keys; a missing browser id falls back to the address, with the strict limit. */
export function attemptKeys(roundId: number, address: string, browserId: string | null) {
  const prefix = attemptKeyPrefix(roundId)
  return {
    browser: browserId ? `${prefix}browser:${browserId}` : `${prefix}bare:${address}`,
    address: `${prefix}address:${address}`,
    round: `${prefix}round`,
  }
}

/** The one wrong code that crosses the round's burst threshold raises the security event, once per window. */
export function crossesBurst(roundWrongCodes: number): boolean {
  return roundWrongCodes === CODE_LIMITS.roundBurst
}

/** The attempt that first goes over its address's limit: the address is locked out for the window, once reported. */
export function crossesAddressLimit(counts: AttemptCounts): boolean {
  return counts.address === addressLimit(counts) + 1
}
