import t from 'tap'
import { isPhase, isVotingLocked, PHASES } from '../../../server/domain/rounds/phases.js'

t.test('ballot rules are locked from the moment voting opens', async (t) => {
  const locked = PHASES.filter(isVotingLocked)
  t.same(locked, ['voting', 'closed', 'published'])
})

t.test('only the six phase names are phases', async (t) => {
  for (const phase of PHASES) t.ok(isPhase(phase))
  for (const other of ['', 'open', 'VOTING', 1, null, undefined]) t.notOk(isPhase(other), String(other))
})
