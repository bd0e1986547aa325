export const PHASES = ['draft', 'proposing', 'reviewing', 'voting', 'closed', 'published'] as const
export type Phase = (typeof PHASES)[number]

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value)
}

/** Budget, ballot format, tally rule and approved costs are fixed once voting opens; from then on there is turnout to show. */
export function isVotingLocked(phase: Phase): boolean {
  return PHASES.indexOf(phase) >= PHASES.indexOf('voting')
}
