import type { Round } from '../../data/rounds.js'
import { phasesWhere } from '../../domain/permissions.js'
import { PHASES } from '../../domain/phases.js'

/** The phase timeline residents see: each step with its planned date and where the round is now. */
export function roundView(round: Round) {
  const current = PHASES.indexOf(round.phase)
  const planned: Record<string, string | null> = {
    proposing: round.proposingFrom,
    reviewing: round.reviewingFrom,
    voting: round.votingFrom,
    closed: round.votingUntil,
    published: round.publishOn,
  }
  return {
    ...round,
    timeline: phasesWhere('resident', 'round.view').map((phase) => ({
      phase,
      date: planned[phase],
      done: PHASES.indexOf(phase) < current,
      current: PHASES.indexOf(phase) === current,
    })),
  }
}
