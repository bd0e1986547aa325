import t from 'tap'
import { answersSubmitter, canResubmit, moderate, MODERATION_ACTIONS, PROPOSAL_STATUSES } from '../../server/domain/moderation.js'

t.test('every moderation action from every status ends where intended', async (t) => {
  const expected: Record<string, Record<string, string | null>> = {
    submitted: { approve: 'approved', reject: 'rejected', 'request-changes': 'needs_changes', 'correct-cost': 'submitted', merge: 'rejected' },
    needs_changes: { approve: 'approved', reject: 'rejected', 'request-changes': null, 'correct-cost': 'needs_changes', merge: 'rejected' },
    approved: { approve: null, reject: null, 'request-changes': null, 'correct-cost': 'approved', merge: null },
    rejected: { approve: null, reject: null, 'request-changes': null, 'correct-cost': null, merge: null },
  }
  for (const status of PROPOSAL_STATUSES) {
    for (const action of MODERATION_ACTIONS) t.equal(moderate(status, action), expected[status]![action], `${status} ${action}`)
  }
})

t.test('only a proposal with changes asked can be edited by its submitter', async (t) => {
  t.same(PROPOSAL_STATUSES.filter(canResubmit), ['needs_changes'])
})

t.test('a cost correction alone is not an answer to the submitter', async (t) => {
  t.same(MODERATION_ACTIONS.filter((a) => !answersSubmitter(a)), ['correct-cost'])
})
