import { votingIsOver } from './voting-period.js'

export const PHASES = ['draft', 'proposing', 'reviewing', 'voting', 'closed', 'published'] as const
export type Phase = (typeof PHASES)[number]

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value)
}

/** Budget, ballot format, tally rule and approved costs are fixed once voting opens; from then on there is turnout to show. */
export function isVotingLocked(phase: Phase): boolean {
  return PHASES.indexOf(phase) >= PHASES.indexOf('voting')
}

/**
 * The phase a round is in at `now`: voting past its planned end is over, even in the seconds
 * before the closer moves the stored phase on (the ballot statement refuses by the same rule).
 */
export function phaseAt(round: { phase: Phase; votingUntil: string | null }, now: Date): Phase {
  return round.phase === 'voting' && votingIsOver(round.votingUntil, now) ? 'closed' : round.phase
}

/** Voting is over for good: closed, or published. */
export function isPastVoting(phase: Phase): boolean {
  return PHASES.indexOf(phase) > PHASES.indexOf('voting')
}
