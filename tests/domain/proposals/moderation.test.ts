import t from 'tap'
import {
  answersSubmitter,
  canResubmit,
  checkDecision,
  moderate,
  MODERATION_ACTIONS,
  needsMessage,
  PROPOSAL_STATUSES,
} from '../../../server/domain/proposals/moderation.js'

t.test('every moderation action from every status ends where intended', async (t) => {
  const expected: Record<string, Record<string, string | null>> = {
    submitted: {
      approve: 'approved',
      reject: 'rejected',
      'request-changes': 'needs_changes',
      'correct-cost': 'submitted',
      merge: 'rejected',
    },
    needs_changes: {
      approve: 'approved',
      reject: 'rejected',
      'request-changes': null,
      'correct-cost': 'needs_changes',
      merge: 'rejected',
    },
    approved: { approve: null, reject: null, 'request-changes': null, 'correct-cost': 'approved', merge: null },
    rejected: { approve: null, reject: null, 'request-changes': null, 'correct-cost': null, merge: null },
    not_reviewed: { approve: null, reject: null, 'request-changes': null, 'correct-cost': null, merge: null },
  }
  for (const status of PROPOSAL_STATUSES) {
    for (const action of MODERATION_ACTIONS)
      t.equal(moderate(status, action), expected[status]![action], `${status} ${action}`)
  }
})

t.test('only a proposal with changes asked can be edited by its submitter', async (t) => {
  t.same(PROPOSAL_STATUSES.filter(canResubmit), ['needs_changes'])
})

t.test('a cost correction alone is not an answer to the submitter', async (t) => {
  t.same(
    MODERATION_ACTIONS.filter((a) => !answersSubmitter(a)),
    ['correct-cost'],
  )
})

t.test(
  'a decision the public or the submitter reads needs a message, and a corrected cost fits the budget',
  async (t) => {
    t.same(MODERATION_ACTIONS.filter(needsMessage), ['reject', 'request-changes', 'correct-cost'])
    t.same(checkDecision('approve', { message: '  ', cost: '' }, 1000), { decision: { message: null } })
    t.same(checkDecision('reject', { message: ' ', cost: '' }, 1000), { errors: { message: 'required' } })
    t.same(checkDecision('correct-cost', { message: 'Offerte', cost: 'veel' }, 100_000), {
      errors: { cost: 'invalid' },
    })
    t.same(checkDecision('correct-cost', { message: 'Offerte', cost: '0' }, 100_000), {
      errors: { cost: 'notPositive' },
    })
    t.same(checkDecision('correct-cost', { message: 'Offerte', cost: '1.001' }, 100_000), {
      errors: { cost: 'overBudget' },
    })
    t.same(checkDecision('correct-cost', { message: 'Offerte', cost: '1.000' }, 100_000), {
      decision: { message: 'Offerte', correctedCostCents: 100_000 },
    })
  },
)
