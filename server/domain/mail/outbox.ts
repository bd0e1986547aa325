/**
 * A mail is committed with the change that caused it and sent afterwards by whichever instance
 * claims it first; these are the rules of retrying, apart from the I/O.
 */

/** After this many failed tries a mail is given up and shown to admins, not retried for ever. */
export const MAX_ATTEMPTS = 12

/** How long a claimed mail is its instance's: a crashed instance's mails are taken up again after it. */
export const CLAIM_MS = 2 * 60 * 1000

/** Sent mails are kept this long (for "did it go out?"), then deleted with the addresses in them. */
export const KEEP_SENT_DAYS = 7

/**
 * When to try again after `attempts` failures: doubling from 30 seconds, capped at an hour, so a
 * mail server down for an afternoon gets every mail once it is back.
 */
export function retryDelayMs(attempts: number): number {
  const base = 30_000 * 2 ** Math.max(0, attempts - 1)
  return Math.min(base, 60 * 60 * 1000)
}

/** Whether a mail that failed `attempts` times is still to be tried. */
export function givesUp(attempts: number): boolean {
  return attempts >= MAX_ATTEMPTS
}
