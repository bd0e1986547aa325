export const PROPOSAL_STATUSES = ['submitted', 'needs_changes', 'approved', 'rejected'] as const
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number]

export const MODERATION_ACTIONS = ['approve', 'reject', 'request-changes', 'correct-cost', 'merge'] as const
export type ModerationAction = (typeof MODERATION_ACTIONS)[number]

/** Where each action may start and where it leaves the proposal; approved and rejected are final. */
const TRANSITIONS: Record<ModerationAction, { from: readonly ProposalStatus[]; to: ProposalStatus | 'same' }> = {
  approve: { from: ['submitted', 'needs_changes'], to: 'approved' },
  reject: { from: ['submitted', 'needs_changes'], to: 'rejected' },
  'request-changes': { from: ['submitted'], to: 'needs_changes' },
  'correct-cost': { from: ['submitted', 'needs_changes', 'approved'], to: 'same' },
  // A duplicate is closed as rejected, pointing at the proposal it was merged into.
  merge: { from: ['submitted', 'needs_changes'], to: 'rejected' },
}

/** The statuses an action may start from: the guard of the conditional UPDATE that makes it race-free. */
export function allowedFrom(action: ModerationAction): readonly ProposalStatus[] {
  return TRANSITIONS[action].from
}

/** The status after `action`, or null when the action does not apply to a proposal in `status`. */
export function moderate(status: ProposalStatus, action: ModerationAction): ProposalStatus | null {
  const rule = TRANSITIONS[action]
  if (!rule.from.includes(status)) return null
  return rule.to === 'same' ? status : rule.to
}

/** A resident may only edit their proposal when an official asked for changes; it then waits again. */
export function canResubmit(status: ProposalStatus): boolean {
  return status === 'needs_changes'
}

/** Every action is an answer to the submitter, so it stops the waiting clock, except a mere cost correction. */
export function answersSubmitter(action: ModerationAction): boolean {
  return action !== 'correct-cost'
}
