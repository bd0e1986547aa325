import t from 'tap'
import { isOverdue, splitWorkingTime, workingMinutesBetween } from '../../../server/domain/common/working-hours.js'

// Amsterdam is UTC+1 in winter, UTC+2 in summer.
const at = (iso: string) => new Date(iso)

t.test('working minutes count Monday to Friday, 9 to 17 Amsterdam time', async (t) => {
  const table: [string, string, number, string][] = [
    ['2026-11-23T08:00:00Z', '2026-11-23T10:30:00Z', 150, 'Monday 9:00 to 11:30 (winter)'],
    ['2026-11-23T06:00:00Z', '2026-11-23T07:59:00Z', 0, 'before opening'],
    ['2026-11-23T15:00:00Z', '2026-11-24T09:00:00Z', 60 + 60, 'Monday 16:00 to Tuesday 10:00'],
    ['2026-11-27T15:00:00Z', '2026-11-30T09:00:00Z', 60 + 60, 'Friday 16:00 over the weekend to Monday 10:00'],
    ['2026-11-28T10:00:00Z', '2026-11-29T20:00:00Z', 0, 'a whole weekend'],
    ['2026-11-23T08:00:00Z', '2026-11-30T08:00:00Z', 5 * 480, 'one calendar week is five working days'],
    ['2026-07-06T07:00:00Z', '2026-07-06T15:00:00Z', 480, 'a summer Monday, 9:00 to 17:00 CEST'],
    ['2026-03-27T15:00:00Z', '2026-03-30T08:00:00Z', 60 + 60, 'across the switch to summer time'],
    ['2026-10-23T14:00:00Z', '2026-10-26T09:00:00Z', 60 + 60, 'across the switch to winter time'],
    ['2026-11-24T10:00:00Z', '2026-11-23T10:00:00Z', 0, 'backwards is zero'],
  ]
  for (const [from, to, minutes, name] of table) t.equal(workingMinutesBetween(at(from), at(to)), minutes, name)
})

t.test('a proposal is overdue after more than one working day without an answer', async (t) => {
  const friday4pm = at('2026-11-27T15:00:00Z')
  t.notOk(isOverdue(friday4pm, at('2026-11-30T14:00:00Z')), 'Friday 16:00 → Monday 15:00 is 7 working hours')
  t.notOk(isOverdue(friday4pm, at('2026-11-30T15:00:00Z')), 'Monday 16:00, exactly one working day, is still on time')
  t.ok(isOverdue(friday4pm, at('2026-11-30T15:01:00Z')), 'Monday 16:01 is past one working day')
})

t.test('working time splits into days, hours and minutes for display', async (t) => {
  t.same(splitWorkingTime(0), { days: 0, hours: 0, minutes: 0 })
  t.same(splitWorkingTime(135), { days: 0, hours: 2, minutes: 15 })
  t.same(splitWorkingTime(480 * 2 + 61), { days: 2, hours: 1, minutes: 1 })
})
