import type { Round } from '../../data/rounds.js'
import { phasesWhere, RESIDENT } from '../../domain/access/permissions.js'
import { storedHelpDesk, telHref } from '../../domain/rounds/help-desk.js'
import { PHASES } from '../../domain/rounds/phases.js'
import { language } from '../../languages.js'

/**
 * What a page kept for every visitor is kept by: the round's content version, which every change
 * its public pages show moves in the same transaction (data/rounds.ts bumpContentVersion).
 */
export function contentVersion(round: Round): string {
  return `${round.id}.${round.contentVersion}`
}

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
    helpDesk: helpDeskView(round.helpDesk),
    timeline: phasesWhere(RESIDENT, 'round.view').map((phase) => ({
      phase,
      date: planned[phase],
      done: PHASES.indexOf(phase) < current,
      current: PHASES.indexOf(phase) === current,
    })),
  }
}

/** The help desk as residents see it: a tel: link, and the languages spoken by their own names. */
export function helpDeskView(stored: unknown) {
  const desk = storedHelpDesk(stored)
  if (!desk) return null
  return {
    ...desk,
    tel: telHref(desk.phone),
    languages: desk.languages.map((code) => ({ code, name: language(code).name })),
  }
}
