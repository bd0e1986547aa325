const TIME_ZONE = 'Europe/Amsterdam'
const DAY_START_HOUR = 9
const DAY_END_HOUR = 17
/** Haarlem's promise: an answer within one working day. */
export const WORKING_DAY_MINUTES = (DAY_END_HOUR - DAY_START_HOUR) * 60

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
})

function localFields(instant: number) {
  const out: Record<string, number> = {}
  for (const part of parts.formatToParts(instant)) if (part.type !== 'literal') out[part.type] = Number(part.value)
  return out as { year: number; month: number; day: number; hour: number; minute: number }
}

/** The UTC instant of a wall-clock hour in Amsterdam (9:00 and 17:00 never fall in a DST gap). */
export function amsterdamInstant(year: number, month: number, day: number, hour: number): number {
  const guess = Date.UTC(year, month - 1, day, hour)
  const seen = localFields(guess)
  const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) - guess
  return guess - offset
}

/**
 * Working minutes between two instants: Monday to Friday, 9:00 to 17:00 in Amsterdam.
 * Public holidays count as working days (the promise as stated does not name them).
 */
export function workingMinutesBetween(from: Date, to: Date): number {
  if (to <= from) return 0
  const start = localFields(from.getTime())
  let total = 0
  // Walk calendar days in UTC date arithmetic; the day's window is computed in Amsterdam time.
  for (let cursor = Date.UTC(start.year, start.month - 1, start.day); ; cursor += 86_400_000) {
    const day = new Date(cursor)
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()]
    const open = amsterdamInstant(y, m, d, DAY_START_HOUR)
    if (open >= to.getTime()) break
    const weekday = day.getUTCDay()
    if (weekday !== 0 && weekday !== 6) {
      const close = amsterdamInstant(y, m, d, DAY_END_HOUR)
      const overlap = Math.min(close, to.getTime()) - Math.max(open, from.getTime())
      if (overlap > 0) total += overlap
    }
  }
  return Math.floor(total / 60_000)
}

/** Past one working day without an answer. */
export function isOverdue(waitingSince: Date, now: Date): boolean {
  return workingMinutesBetween(waitingSince, now) > WORKING_DAY_MINUTES
}

/** Splits working minutes into whole working days, hours and minutes, for display. */
export function splitWorkingTime(minutes: number): { days: number; hours: number; minutes: number } {
  return {
    days: Math.floor(minutes / WORKING_DAY_MINUTES),
    hours: Math.floor((minutes % WORKING_DAY_MINUTES) / 60),
    minutes: minutes % 60,
  }
}
