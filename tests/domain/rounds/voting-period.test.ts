import t from 'tap'
import { timeLeft, votingEndsAt, votingIsOver } from '../../../server/domain/rounds/voting-period.js'

t.test('voting ends at midnight in Amsterdam after its last day, summer and winter time alike', async (t) => {
  t.same(votingEndsAt('2026-05-31'), new Date('2026-05-31T22:00:00Z'))
  t.same(votingEndsAt('2026-12-31'), new Date('2026-12-31T23:00:00Z'))
  t.same(
    votingEndsAt('2026-03-28'),
    new Date('2026-03-28T23:00:00Z'),
    'the night the clocks go forward starts in winter time',
  )
  t.same(
    votingEndsAt('2026-10-24'),
    new Date('2026-10-24T22:00:00Z'),
    'the night the clocks go back starts in summer time',
  )
  t.equal(votingEndsAt(null), null)
})

t.test('the last minute before midnight still votes; midnight does not', async (t) => {
  t.notOk(votingIsOver('2026-05-31', new Date('2026-05-31T21:59:59Z')))
  t.ok(votingIsOver('2026-05-31', new Date('2026-05-31T22:00:00Z')))
  t.notOk(votingIsOver(null, new Date('2100-01-01T00:00:00Z')), 'without a planned end an admin closes')
})

t.test('the time left is in days, hours and whole minutes, and nothing once over', async (t) => {
  t.same(timeLeft('2026-05-31', new Date('2026-05-29T20:29:30Z')), { days: 2, hours: 1, minutes: 30 })
  t.same(timeLeft('2026-05-31', new Date('2026-05-31T21:59:00Z')), { days: 0, hours: 0, minutes: 1 })
  t.equal(timeLeft('2026-05-31', new Date('2026-05-31T22:00:00Z')), null)
  t.equal(timeLeft(null, new Date()), null)
})
