import { parseEuros, type MoneyError } from '../common/money.js'

/** `not_reviewed` is final: nobody answered before voting opened, and the admin confirmed it may go unanswered. */
export const PROPOSAL_STATUSES = ['submitted', 'needs_changes', 'approved', 'rejected', 'not_reviewed'] as const
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number]

/** What a proposal's history records; each has a public wording in the locales. */
export const PROPOSAL_EVENT_KINDS = [
  'submitted',
  'resubmitted',
  'approved',
  'rejected',
  'changes_requested',
  'cost_corrected',
  'merged',
  'not_reviewed',
] as const
export type ProposalEventKind = (typeof PROPOSAL_EVENT_KINDS)[number]

export const MODERATION_ACTIONS = ['approve', 'reject', 'request-changes', 'correct-cost', 'merge'] as const
export type ModerationAction = (typeof MODERATION_ACTIONS)[number]

/** The proposal status machine: where each action may start, where it leaves the proposal, what the history records. */
const TRANSITIONS: Record<
  ModerationAction,
  { from: readonly ProposalStatus[]; to: ProposalStatus | 'same'; event: ProposalEventKind }
> = {
  approve: { from: ['submitted', 'needs_changes'], to: 'approved', event: 'approved' },
  reject: { from: ['submitted', 'needs_changes'], to: 'rejected', event: 'rejected' },
  'request-changes': { from: ['submitted'], to: 'needs_changes', event: 'changes_requested' },
  'correct-cost': { from: ['submitted', 'needs_changes', 'approved'], to: 'same', event: 'cost_corrected' },
  // A duplicate is closed as rejected, pointing at the proposal it was merged into.
  merge: { from: ['submitted', 'needs_changes'], to: 'rejected', event: 'merged' },
}

/** The status after `action`, or null when the action does not apply to a proposal in `status`. */
export function moderate(status: ProposalStatus, action: ModerationAction): ProposalStatus | null {
  const rule = TRANSITIONS[action]
  if (!rule.from.includes(status)) return null
  return rule.to === 'same' ? status : rule.to
}

export function eventOf(action: ModerationAction): ProposalEventKind {
  return TRANSITIONS[action].event
}

/** A resident may only edit their proposal when an official asked for changes; it then waits again. */
export function canResubmit(status: ProposalStatus): boolean {
  return status === 'needs_changes'
}

/** Every action is an answer to the submitter, so it stops the waiting clock, except a mere cost correction. */
export function answersSubmitter(action: ModerationAction): boolean {
  return action !== 'correct-cost'
}

/** Messages that the public or the submitter reads must say something. */
export function needsMessage(action: ModerationAction): boolean {
  return action === 'reject' || action === 'request-changes' || action === 'correct-cost'
}

export type DecisionErrors = { message?: 'required'; cost?: MoneyError | 'overBudget' }
export type Decision = { message: string | null; correctedCostCents?: number }

/** Checks what the official typed with a decision: the message where one is needed, a corrected cost within the budget. */
export function checkDecision(
  action: ModerationAction,
  typed: { message: string; cost: string },
  budgetCents: number,
): { decision: Decision } | { errors: DecisionErrors } {
  const message = typed.message.trim() || null
  if (needsMessage(action) && !message) return { errors: { message: 'required' } }
  if (action !== 'correct-cost') return { decision: { message } }
  const parsed = parseEuros(typed.cost)
  if ('error' in parsed) return { errors: { cost: parsed.error } }
  if (parsed.cents <= 0) return { errors: { cost: 'notPositive' } }
  if (parsed.cents > budgetCents) return { errors: { cost: 'overBudget' } }
  return { decision: { message, correctedCostCents: parsed.cents } }
}
