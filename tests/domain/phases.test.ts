import t from 'tap'
import { isPhase, isVotingLocked, nextPhase, PHASES } from '../../server/domain/phases.js'

t.test('a round moves forward one phase at a time and stops at published', async (t) => {
  const table = [
    ['draft', 'proposing'], ['proposing', 'reviewing'], ['reviewing', 'voting'],
    ['voting', 'closed'], ['closed', 'published'], ['published', null],
  ] as const
  for (const [from, to] of table) t.equal(nextPhase(from), to, `${from} → ${to}`)
})

t.test('ballot rules are locked from the moment voting opens', async (t) => {
  const locked = PHASES.filter(isVotingLocked)
  t.same(locked, ['voting', 'closed', 'published'])
})

t.test('only the six phase names are phases', async (t) => {
  for (const phase of PHASES) t.ok(isPhase(phase))
  for (const other of ['', 'open', 'VOTING', 1, null, undefined]) t.notOk(isPhase(other), String(other))
})
