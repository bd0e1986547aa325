import { PHASES, type Phase } from './phases.js'
import { votingEndsAt } from './voting-period.js'

/** The dates a round plans (YYYY-MM-DD) and the moments it entered each phase (ISO instants). */
export interface TimelineInput {
  phase: Phase
  proposingFrom: string | null
  reviewingFrom: string | null
  votingFrom: string | null
  votingUntil: string | null
  publishOn: string | null
  phaseStartedAt: Partial<Record<Phase, string>>
}

export interface TimelineStep {
  phase: Phase
  /** The planned day, said in the words the letter uses for it. */
  planned: string | null
  /** When it really happened, once it has. */
  happened: Date | null
  done: boolean
  current: boolean
  /** Voting closed before the last day the letters promised. */
  early: boolean
}

/**
 * Each phase residents see, with what was planned and what happened. Voting's planned end is
 * the last day to vote (the letter's "up to and including"), so "closed" is planned for that day
 * and happens in the night after it — or earlier, when an admin closed voting early.
 */
export function timeline(round: TimelineInput, phases: readonly Phase[]): TimelineStep[] {
  const planned: Record<Phase, string | null> = {
    draft: null,
    proposing: round.proposingFrom,
    reviewing: round.reviewingFrom,
    voting: round.votingFrom,
    closed: round.votingUntil,
    published: round.publishOn,
  }
  const current = PHASES.indexOf(round.phase)
  return phases.map((phase) => {
    const started = round.phaseStartedAt[phase]
    const happened = started && PHASES.indexOf(phase) <= current ? new Date(started) : null
    return {
      phase,
      planned: planned[phase],
      happened,
      done: PHASES.indexOf(phase) < current,
      current: PHASES.indexOf(phase) === current,
      early: phase === 'closed' && happened !== null && happened < (votingEndsAt(round.votingUntil) ?? happened),
    }
  })
}
