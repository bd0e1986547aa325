import { amsterdamInstant } from '../common/working-hours.js'

const MINUTE = 60_000

/**
 * When voting ends: the round's last voting day runs to midnight in Amsterdam, so
 * "voting until 31 May" closes at 24:00 on 31 May, whatever the server's time zone.
 * The ballot statement and the closer use the same rule in SQL (data/planned-end.ts).
 */
export function votingEndsAt(votingUntil: string | null): Date | null {
  if (votingUntil === null) return null
  const [year, month, day] = votingUntil.split('-').map(Number)
  return new Date(amsterdamInstant(year!, month!, day! + 1, 0))
}

export function votingIsOver(votingUntil: string | null, now: Date): boolean {
  const end = votingEndsAt(votingUntil)
  return end !== null && now.getTime() >= end.getTime()
}

/** The time left to vote, rounded down to whole minutes; null when there is no planned end or it has passed. */
export function timeLeft(
  votingUntil: string | null,
  now: Date,
): { days: number; hours: number; minutes: number } | null {
  const end = votingEndsAt(votingUntil)
  if (end === null || now.getTime() >= end.getTime()) return null
  const minutes = Math.floor((end.getTime() - now.getTime()) / MINUTE)
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 }
}
