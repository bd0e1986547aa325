export const PHASES = ['draft', 'proposing', 'reviewing', 'voting', 'closed', 'published'] as const
export type Phase = (typeof PHASES)[number]

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value)
}

/** Rounds move forward one step at a time; published is final. */
export function nextPhase(phase: Phase): Phase | null {
  return PHASES[PHASES.indexOf(phase) + 1] ?? null
}

/** Budget, ballot format, tally rule and approved costs are fixed once voting opens. */
export function isVotingLocked(phase: Phase): boolean {
  return PHASES.indexOf(phase) >= PHASES.indexOf('voting')
}
