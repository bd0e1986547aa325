import { formatEuro } from '../../formatters.js'
import type { Lang } from '../../i18n.js'
import type { ProjectOutcome, TallyResult } from '../../domain/tally/tally.js'
import { explanationSteps, type ExplanationStep } from '../../domain/results/explanation.js'

export interface ResultProject {
  id: number
  title: string
  reference: string
  costCents: number
  track: string
  themes: string[]
  kwhPerYear: number | null
  co2KgPerYear: number | null
  households: number | null
}

/** One sentence of an explanation: a translation key and its values (`count` a number, for the plural). */
export interface Sentence {
  key: string
  vars: Record<string, string | number>
}

/** The sentences of one stage a project went through. */
function stepSentences({ reason }: ExplanationStep, outcome: ProjectOutcome, lang: Lang): Sentence[] {
  const euro = (cents: number) => formatEuro(cents, lang)
  const key = `results.reason.${reason.kind}`
  switch (reason.kind) {
    case 'greedy-funded':
      // On points ballots greedy goes by points, so the sentence names them beside the residents who gave them.
      if (outcome.points !== undefined)
        return [
          {
            key: 'results.reason.greedy-funded-points',
            vars: {
              points: outcome.points,
              voters: outcome.votes,
              left: euro(reason.remainingBefore),
              cost: euro(outcome.cost),
            },
          },
        ]
      return [{ key, vars: { count: outcome.votes, left: euro(reason.remainingBefore), cost: euro(outcome.cost) } }]
    case 'completion-funded':
      return [{ key, vars: { left: euro(reason.remainingBefore), cost: euro(outcome.cost) } }]
    case 'greedy-did-not-fit':
    case 'completion-did-not-fit':
      return [{ key, vars: { left: euro(reason.remaining), needed: euro(reason.needed) } }]
    case 'mes-funded': {
      if (outcome.cost === 0) return [{ key: 'results.reason.mes-funded-free', vars: {} }]
      const paid = { key, vars: { count: reason.payers, cost: euro(outcome.cost), share: euro(reason.maxShare) } }
      if (reason.paidAllTheyHad === 0) return [paid]
      return [paid, { key: 'results.reason.mes-paid-all', vars: { count: reason.paidAllTheyHad } }]
    }
    case 'mes-too-little-money':
      return [{ key, vars: { count: outcome.votes, had: euro(reason.supportersMoney), needed: euro(reason.needed) } }]
  }
}

/**
 * Why a project was or was not funded, stage by stage as the rule ran: a project the completion
 * decided says first what its supporters still had when equal shares ended.
 */
export function explain(outcome: ProjectOutcome, lang: Lang): Sentence[] {
  const steps = explanationSteps(outcome)
  if (steps.length === 0) return [{ key: 'results.reason.no-votes', vars: {} }]
  return steps.flatMap((step) => stepSentences(step, outcome, lang))
}

/** Each voter's money at the start of equal shares, when the outcome kept it. */
export function startPerVoter(result: TallyResult, lang: Lang): string | undefined {
  return result.startPerVoter === undefined ? undefined : formatEuro(Math.floor(result.startPerVoter), lang)
}

/**
 * Every project with its votes (and points, on points ballots), funding and reason, funded ones
 * first in the order they were chosen, then by points or votes.
 */
export function resultRows<P extends ResultProject>(result: TallyResult, projects: readonly P[], lang: Lang) {
  const byId = new Map(projects.map((p) => [String(p.id), p]))
  const order = new Map(result.selected.map((id, i) => [id, i]))
  return result.projects
    .filter((o) => byId.has(o.id))
    .map((o) => ({
      ...byId.get(o.id)!,
      votes: o.votes,
      hasPoints: o.points !== undefined,
      points: o.points ?? 0,
      score: o.points ?? o.votes,
      funded: o.funded,
      explanation: explain(o, lang),
    }))
    .sort((a, b) => (order.get(String(a.id)) ?? Infinity) - (order.get(String(b.id)) ?? Infinity) || b.score - a.score)
}
