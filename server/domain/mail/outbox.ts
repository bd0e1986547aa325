/**
 * A mail is committed with the change that caused it and sent afterwards by whichever instance
 * claims it first; these are the rules of retrying, apart from the I/O.
 */

const HOUR = 60 * 60 * 1000

/**
 * After this many failed tries a mail is given up and shown to admins, not retried for ever: with
 * the back-off below, the tries span more than two days, so a mail server down for a weekend day
 * still gets every mail once it is back.
 */
export const MAX_ATTEMPTS = 56

/**
 * How long a claimed mail is its instance's: a crashed instance's mails are taken up again after
 * it. It must outlast sending a whole batch, each mail bounded by the transport's timeouts
 * (SEND_TIMEOUT_MS), or another instance could send a mail still being sent.
 */
export const CLAIM_MS = 5 * 60 * 1000

/** How many mails one claim takes: CLAIM_MS covers this many sends at their slowest. */
export const BATCH = 5

/** The longest one mail may take: connection, greeting and each reply have this as their timeout. */
export const SEND_TIMEOUT_MS = 15_000

/** Sent mails are kept this long (for "did it go out?"), then deleted with the addresses in them. */
export const KEEP_SENT_DAYS = 7

/** Mails given up are kept longer, so admins see them on the security page, then deleted as well. */
export const KEEP_FAILED_DAYS = 30

/**
 * When to try again after `attempts` failures: doubling from 30 seconds, capped at an hour, so a
 * mail server down for an afternoon gets every mail once it is back.
 */
export function retryDelayMs(attempts: number): number {
  const base = 30_000 * 2 ** Math.max(0, attempts - 1)
  return Math.min(base, HOUR)
}

/** Whether a mail that failed `attempts` times (the last time for good, when `permanent`) is given up. */
export function givesUp(attempts: number, permanent = false): boolean {
  return permanent || attempts >= MAX_ATTEMPTS
}

/** What a mail transport's error says, as far as retrying goes. */
export interface MailFailure {
  /** A code such as "ESOCKET" or "EENVELOPE 550": never the server's text, which can quote the address. */
  kind: string
  /** The server refused this mail for good (a 5xx reply to its recipient or content). */
  permanent: boolean
  /** The failure is the server's, not this mail's: the next mails would fail the same way. */
  serverWide: boolean
}

/** The parts of nodemailer's error that are safe to keep. */
export interface TransportError {
  code?: unknown
  responseCode?: unknown
}

const MAIL_SPECIFIC = new Set(['EENVELOPE', 'EMESSAGE'])

export function mailFailure(error: TransportError): MailFailure {
  const code = typeof error.code === 'string' && /^E[A-Z0-9]{1,20}$/.test(error.code) ? error.code : 'ERROR'
  const reply = typeof error.responseCode === 'number' && Number.isInteger(error.responseCode) ? error.responseCode : 0
  const specific = MAIL_SPECIFIC.has(code)
  return {
    kind: reply >= 200 && reply < 600 ? `${code} ${reply}` : code,
    permanent: specific && reply >= 500 && reply < 600,
    serverWide: !specific,
  }
}
