import { can, type Action, type Actor } from '../access/permissions.js'
import type { Phase } from './phases.js'

/** A proposal still waiting for an official's answer. */
export interface WaitingProposal {
  id: number
  reference: string
  title: string
}

/** What the checks beside the table look at; only reviewing → voting needs any of it. */
export interface TransitionFacts {
  approvedCount: number
  waiting: readonly WaitingProposal[]
  /** Proposals sent back to their submitter for changes: not on the ballot unless approved before voting opens. */
  awaitingSubmitter: readonly WaitingProposal[]
  /** The waiting proposals the admin confirmed will get the public answer "not reviewed before voting". */
  confirmedUnreviewed: readonly number[]
  /** Whether the planned end of voting has passed: what lets voting close by itself. */
  votingOver?: boolean
  /** The date the letters promise voting is possible up to and including (YYYY-MM-DD), if the round set one. */
  votingUntil?: string | null
  /** Why an admin closes voting before that date: it goes into the audit log and onto the transparency page. */
  closingReason?: string
}

export const NO_FACTS: TransitionFacts = {
  approvedCount: 0,
  waiting: [],
  awaitingSubmitter: [],
  confirmedUnreviewed: [],
}

export type TransitionRefusal =
  'final' | 'forbidden' | 'publishFirst' | 'noApproved' | 'unreviewed' | 'notDue' | 'reasonNeeded'

interface Transition {
  from: Phase
  to: Phase
  /** The permission that makes this move: who may is the permission table's answer for it. */
  by: Action
  /** Another permission that makes the same move (voting also closes by itself). */
  orBy?: Action
  whyNot?: (facts: TransitionFacts, by: Action) => TransitionRefusal | null
}

/** Proposals waiting for an answer that the admin did not confirm may go unreviewed. */
export function unconfirmedWaiting(facts: TransitionFacts): WaitingProposal[] {
  const confirmed = new Set(facts.confirmedUnreviewed)
  return facts.waiting.filter((p) => !confirmed.has(p.id))
}

/**
 * The waiting proposals a move answers "not reviewed before voting": only opening voting does, and
 * only for those the admin confirmed. Every other move leaves the queue to the moderators.
 */
export function answeredUnreviewed(from: Phase, facts: TransitionFacts): WaitingProposal[] {
  if (!opensVoting(from)) return []
  const confirmed = new Set(facts.confirmedUnreviewed)
  return facts.waiting.filter((p) => confirmed.has(p.id))
}

/** Whether closing voting now breaks the promise of the letters: they name a last day that has not passed. */
export function closesEarly(facts: TransitionFacts): boolean {
  return Boolean(facts.votingUntil) && !facts.votingOver
}

/**
 * The phase transition table: each phase has one way forward, and published is final.
 * Voting needs a project on the ballot, and no proposal may be left waiting without an answer
 * (unless each is answered "not reviewed before voting"); a round becomes published only by
 * publishing its counted result.
 */
const TRANSITIONS: readonly Transition[] = [
  { from: 'draft', to: 'proposing', by: 'round.advance' },
  { from: 'proposing', to: 'reviewing', by: 'round.advance' },
  {
    from: 'reviewing',
    to: 'voting',
    by: 'round.advance',
    whyNot: (facts) =>
      facts.approvedCount === 0 ? 'noApproved' : unconfirmedWaiting(facts).length > 0 ? 'unreviewed' : null,
  },
  {
    from: 'voting',
    to: 'closed',
    by: 'round.advance',
    orBy: 'voting.close-due',
    whyNot: (facts, by) =>
      by === 'voting.close-due'
        ? facts.votingOver
          ? null
          : 'notDue'
        : closesEarly(facts) && !facts.closingReason?.trim()
          ? 'reasonNeeded'
          : null,
  },
  { from: 'closed', to: 'published', by: 'results.publish' },
]

/** The move out of `from`, or undefined for the final phase. */
export function transitionFrom(from: Phase): { to: Phase; by: Action } | undefined {
  return TRANSITIONS.find((t) => t.from === from)
}

/** Whether the move out of `from` opens voting: the one move that may answer waiting proposals "not reviewed". */
export function opensVoting(from: Phase): boolean {
  return transitionFrom(from)?.to === 'voting'
}

/** Whether a round in `from` moves on only by publishing its result. */
export function movesByPublishing(from: Phase): boolean {
  return transitionFrom(from)?.by === 'results.publish'
}

/** Why `actor` may not move a round out of `from` by `by` (advancing or publishing), or null when they may. */
export function transitionRefusal(
  actor: Actor,
  by: Action,
  from: Phase,
  facts: TransitionFacts,
): TransitionRefusal | null {
  const transition = TRANSITIONS.find((t) => t.from === from)
  if (!transition) return 'final'
  if (transition.by !== by && transition.orBy !== by)
    return transition.by === 'results.publish' ? 'publishFirst' : 'forbidden'
  if (!can(actor, by, from)) return 'forbidden'
  return transition.whyNot?.(facts, by) ?? null
}
