import type { Round } from '../../data/rounds.js'
import { phasesWhere, RESIDENT } from '../../domain/access/permissions.js'
import { storedHelpDesk, telHref } from '../../domain/rounds/help-desk.js'
import { PHASES, type Phase } from '../../domain/rounds/phases.js'
import { language } from '../../languages.js'

/**
 * What a page kept for every visitor is kept by: the round's content version, which every change
 * its public pages show moves in the same transaction (data/rounds.ts bumpContentVersion).
 */
export function contentVersion(round: Round): string {
  return `${round.id}.${round.contentVersion}`
}

/** The translation key of a phase's name. */
export function phaseKey(phase: Phase): string {
  return `phase.${phase}`
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
    phaseKey: phaseKey(round.phase),
    helpDesk: helpDeskView(round.helpDesk),
    timeline: phasesWhere(RESIDENT, 'round.view').map((phase) => ({
      phase,
      phaseKey: phaseKey(phase),
      date: planned[phase],
      done: PHASES.indexOf(phase) < current,
      current: PHASES.indexOf(phase) === current,
    })),
  }
}

/** The voting rules a round was set up with, as its pages show them. */
export function roundRulesView(round: Round) {
  return {
    budgetCents: round.budgetCents,
    isApproval: round.ballotFormat === 'approval',
    maxChoices: round.maxChoices,
    minSpendPercent: round.minSpendPercent,
    ballotFormatKey: `rounds.choice.${round.ballotFormat}`,
    tallyRuleKey: `rounds.choice.${round.tallyRule}`,
  }
}

/** Ballot formats or tally rules as choices in a form: each with its text, its help, and whether it is chosen. */
export function roundChoices(options: readonly string[], chosen: string | undefined) {
  return options.map((value) => ({
    value,
    checked: value === chosen,
    key: `rounds.choice.${value}`,
    helpKey: `rounds.choiceHelp.${value}`,
  }))
}

/** The help desk as residents see it: a tel: link, and the languages spoken by their own names. */
export function helpDeskView(stored: unknown) {
  const desk = storedHelpDesk(stored)
  if (!desk) return null
  return {
    ...desk,
    tel: telHref(desk.phone),
    languages: desk.languages.map((code) => ({ code, name: language(code).name })),
    hasLanguages: desk.languages.length > 0 || desk.otherLanguages !== '',
  }
}
