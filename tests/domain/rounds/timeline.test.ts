import t from 'tap'
import { timeline, type TimelineInput } from '../../../server/domain/rounds/timeline.js'
import type { Phase } from '../../../server/domain/rounds/phases.js'

const SHOWN: Phase[] = ['proposing', 'reviewing', 'voting', 'closed', 'published']
const plan: TimelineInput = {
  phase: 'draft',
  proposingFrom: '2027-01-04',
  reviewingFrom: '2027-02-01',
  votingFrom: '2027-03-01',
  votingUntil: '2027-03-21',
  publishOn: '2027-03-28',
  phaseStartedAt: {},
}

t.test('before anything happened, each phase shows its plan and nothing as done', async (t) => {
  const steps = timeline(plan, SHOWN)
  t.same(
    steps.map((s) => [s.phase, s.planned, s.happened, s.done, s.current]),
    [
      ['proposing', '2027-01-04', null, false, false],
      ['reviewing', '2027-02-01', null, false, false],
      ['voting', '2027-03-01', null, false, false],
      ['closed', '2027-03-21', null, false, false],
      ['published', '2027-03-28', null, false, false],
    ],
  )
})

t.test('what happened sits beside what was planned, up to the phase the round is in', async (t) => {
  const steps = timeline(
    {
      ...plan,
      phase: 'closed',
      phaseStartedAt: {
        proposing: '2027-01-04T08:00:00.000Z',
        reviewing: '2027-02-03T08:00:00.000Z',
        voting: '2027-03-01T07:00:00.000Z',
        // The closer moves the round in the first minute after the last day, Amsterdam time.
        closed: '2027-03-21T23:00:05.000Z',
      },
    },
    SHOWN,
  )
  t.same(
    steps.map((s) => [s.phase, s.happened?.toISOString() ?? null, s.done, s.current, s.early]),
    [
      ['proposing', '2027-01-04T08:00:00.000Z', true, false, false],
      ['reviewing', '2027-02-03T08:00:00.000Z', true, false, false],
      ['voting', '2027-03-01T07:00:00.000Z', true, false, false],
      ['closed', '2027-03-21T23:00:05.000Z', false, true, false],
      ['published', null, false, false, false],
    ],
  )
})

t.test('voting closed by an admin on or before the last day is early', async (t) => {
  const closedAt = (at: string) =>
    timeline({ ...plan, phase: 'closed', phaseStartedAt: { closed: at } }, SHOWN).find((s) => s.phase === 'closed')!
  t.ok(closedAt('2027-03-10T12:00:00.000Z').early)
  t.ok(closedAt('2027-03-21T22:59:00.000Z').early, 'the last minute of the last day, in Amsterdam')
  t.notOk(closedAt('2027-03-21T23:00:00.000Z').early, 'midnight after the last day')
  t.notOk(
    timeline(
      { ...plan, votingUntil: null, phase: 'closed', phaseStartedAt: { closed: '2027-03-10T12:00:00.000Z' } },
      SHOWN,
    )[3]!.early,
    'no promised day, nothing early',
  )
})

t.test('a moment recorded for a phase the round has not reached does not show as happened', async (t) => {
  // A round imported or repaired by hand could carry one; the phase is what counts.
  const steps = timeline({ ...plan, phase: 'reviewing', phaseStartedAt: { voting: '2027-03-01T07:00:00.000Z' } }, SHOWN)
  t.equal(steps[2]!.happened, null)
})
