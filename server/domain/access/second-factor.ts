/** How recent a second-factor check must be for an action that asks again (publishing a result). */
export const STEP_UP_MINUTES = 5
const MINUTE = 60 * 1000

export type Gate = 'ok' | 'enrol' | 'change-password' | 'verify'

/**
 * Where a signed-in official may go. A temporary password must be replaced first; with the second
 * factor required, an official without one reaches only the enrolment; after `idleMinutes` without a
 * request, an enrolled official confirms a code again.
 */
export function officialGate(input: {
  mustChangePassword: boolean
  enrolled: boolean
  required: boolean
  seenAtMs: number | undefined
  nowMs: number
  idleMinutes: number
}): Gate {
  if (input.mustChangePassword) return 'change-password'
  if (!input.enrolled) return input.required ? 'enrol' : 'ok'
  if (input.seenAtMs !== undefined && input.nowMs - input.seenAtMs > input.idleMinutes * MINUTE) return 'verify'
  return 'ok'
}

/** Whether a sensitive action must first confirm a fresh code (only possible once enrolled). */
export function stepUpNeeded(enrolled: boolean, verifiedAtMs: number | undefined, nowMs: number): boolean {
  if (!enrolled) return false
  return verifiedAtMs === undefined || nowMs - verifiedAtMs > STEP_UP_MINUTES * MINUTE
}

/**
 * Whether a session has been ended by its official's "sessions valid after" stamp: one started
 * before it (or that never said when it started) is over, even if a request in flight wrote its
 * row back or carried it into a new id.
 */
export function sessionEnded(startedAtMs: number | undefined, validAfter: Date | null): boolean {
  return validAfter !== null && (startedAtMs === undefined || startedAtMs < validAfter.getTime())
}
