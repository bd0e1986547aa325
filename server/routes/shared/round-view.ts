import type { Round } from '../../data/rounds.js'
import { phasesWhere, RESIDENT } from '../../domain/access/permissions.js'
import { mailtoHref, storedHelpDesk, telHref } from '../../domain/rounds/help-desk.js'
import type { Phase } from '../../domain/rounds/phases.js'
import { timeline } from '../../domain/rounds/timeline.js'
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

/** The phase timeline residents see: each step with what was planned, what happened, and where the round is now. */
export function roundView(round: Round) {
  return {
    ...round,
    phaseKey: phaseKey(round.phase),
    helpDesk: helpDeskView(round.helpDesk),
    timeline: timeline(round, phasesWhere(RESIDENT, 'round.view')).map((step) => ({
      ...step,
      phaseKey: phaseKey(step.phase),
      plannedKey: `timeline.planned.${step.phase}`,
      happenedKey: step.early ? 'timeline.happened.closedEarly' : `timeline.happened.${step.phase}`,
    })),
  }
}

/** The voting rules a round was set up with, as its pages show them. */
export function roundRulesView(round: Round) {
  return {
    budgetCents: round.budgetCents,
    isApproval: round.ballotFormat === 'approval',
    maxChoices: round.maxChoices,
    isPoints: round.ballotFormat === 'points',
    pointsPerVoter: round.pointsPerVoter,
    maxPointsPerProject: round.maxPointsPerProject,
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

/** The help desk as residents see it: tel: and mailto: links built from the parsed number and address, and the languages spoken by their own names. */
export function helpDeskView(stored: unknown) {
  const desk = storedHelpDesk(stored)
  if (!desk) return null
  return {
    ...desk,
    tel: telHref(desk.phone),
    mailto: desk.email ? mailtoHref(desk.email) : null,
    languages: desk.languages.map((code) => ({ code, name: language(code).name })),
    hasLanguages: desk.languages.length > 0 || desk.otherLanguages !== '',
  }
}
