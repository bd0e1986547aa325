/**
 * What the rehearsal demands afterwards, apart from the I/O: what residents were told against what
 * the database holds, and which server errors the faults excuse.
 */
import type { Sample } from './browser.js'

/** A ballot the app acknowledged: a 303 to its receipt (online) or to the paper page's receipt. */
export interface Acknowledged {
  codeHash: string
  receipt: string
  projectIds: number[]
  channel: 'online' | 'paper'
}

export interface StoredBallot {
  codeHash: string
  receipt: string
  projectIds: number[]
  channel: string
}

export interface BallotVerdict {
  codes: number
  /** Codes whose last acknowledged ballot is not what the database holds (missing, other receipt or choice). */
  lost: string[]
  /** Codes with more than one ballot stored. */
  duplicated: string[]
  /** Ballots stored for codes that never got an acknowledgement (in flight when a request was cut, never retried). */
  unacknowledged: number
}

const same = (a: number[], b: number[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i])

/** `acknowledged` in the order the answers came: a code's last one is its ballot. */
export function checkBallots(acknowledged: readonly Acknowledged[], stored: readonly StoredBallot[]): BallotVerdict {
  const last = new Map<string, Acknowledged>()
  for (const ack of acknowledged) last.set(ack.codeHash, ack)
  const byCode = new Map<string, StoredBallot[]>()
  for (const row of stored) byCode.set(row.codeHash, [...(byCode.get(row.codeHash) ?? []), row])
  const lost: string[] = []
  for (const [code, ack] of last) {
    const rows = byCode.get(code) ?? []
    const kept = rows.length === 1 ? rows[0]! : undefined
    const held =
      kept && kept.receipt === ack.receipt && kept.channel === ack.channel && same(kept.projectIds, ack.projectIds)
    if (!held) lost.push(code)
  }
  return {
    codes: last.size,
    lost,
    duplicated: [...byCode].filter(([, rows]) => rows.length > 1).map(([code]) => code),
    unacknowledged: [...byCode.keys()].filter((code) => !last.has(code)).length,
  }
}

/** A time span in milliseconds since the day began. */
export interface Window {
  from: number
  to: number
}

export interface ServerErrors {
  /** 5xx answers while the database restarted, and how many of them were 503s with Retry-After. */
  inDatabaseWindow: number
  unavailableWithRetryAfter: number
  /** Requests that were inside the killed instance when it died: POSTs are not sent again (haproxy.cfg). */
  cutByKill: number
  /** Every other 5xx, and every request without an answer: there must be none. */
  outside: number
  /** The first of those, to say what went wrong. */
  examples: Sample[]
}

/** Whether the request was under way at some moment of the window. */
const within = (s: Sample, w: Window | undefined) => w !== undefined && s.at <= w.to && s.at + s.ms >= w.from

/**
 * Sorts the server errors and failed requests by the fault that excuses them. During the database
 * restart only a 503 with Retry-After is right; around the kill only a request the instance held.
 */
export function classifyErrors(samples: readonly Sample[], database: Window | undefined, kill: Window | undefined) {
  const errors: ServerErrors = {
    inDatabaseWindow: 0,
    unavailableWithRetryAfter: 0,
    cutByKill: 0,
    outside: 0,
    examples: [],
  }
  for (const s of samples) {
    if (s.status !== 0 && s.status < 500) continue
    if (within(s, database) && s.status === 503 && s.retryAfter) {
      errors.inDatabaseWindow++
      errors.unavailableWithRetryAfter++
    } else if (within(s, database) && s.status >= 500) errors.inDatabaseWindow++
    else if (within(s, kill) && s.method !== 'GET' && (s.status === 502 || s.status === 0)) errors.cutByKill++
    else {
      errors.outside++
      if (errors.examples.length < 10) errors.examples.push(s)
    }
  }
  return errors
}

export interface MailVerdict {
  queued: number
  delivered: number
  /** Queued mails the mail server never received. */
  lost: number
  givenUp: number
  /** Received more than once (a sender died between sending and marking it sent). */
  duplicates: number
}

/** `queued` holds each outbox mail's recipient; `received` each mail the server took, by recipient. */
export function checkMail(queued: readonly string[], received: readonly string[], givenUp: number): MailVerdict {
  const counts = new Map<string, number>()
  for (const to of received) counts.set(to, (counts.get(to) ?? 0) + 1)
  const expected = new Map<string, number>()
  for (const to of queued) expected.set(to, (expected.get(to) ?? 0) + 1)
  let lost = 0
  let duplicates = 0
  for (const [to, n] of expected) {
    const got = counts.get(to) ?? 0
    lost += Math.max(0, n - got)
    duplicates += Math.max(0, got - n)
  }
  return { queued: queued.length, delivered: queued.length - lost, lost, givenUp, duplicates }
}
