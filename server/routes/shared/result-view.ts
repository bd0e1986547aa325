import { formatEuro, formatNumber } from '../../formatters.js'
import type { Lang } from '../../i18n.js'
import type { ProjectOutcome, TallyResult } from '../../domain/tally/tally.js'

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

/** The plain-words reason of one project's outcome: a translation key and its values. */
export function explain(outcome: ProjectOutcome, lang: Lang): { key: string; vars: Record<string, string> } {
  const euro = (cents: number) => formatEuro(cents, lang)
  const r = outcome.reason
  const votes = formatNumber(outcome.votes, lang)
  switch (r.kind) {
    case 'no-votes':
      return { key: 'results.reason.no-votes', vars: {} }
    case 'greedy-funded':
    case 'completion-funded':
      return { key: `results.reason.${r.kind}`, vars: { votes, left: euro(r.remainingBefore) } }
    case 'greedy-did-not-fit':
    case 'completion-did-not-fit':
      return { key: `results.reason.${r.kind}`, vars: { votes, left: euro(r.remaining), needed: euro(r.needed) } }
    case 'mes-funded':
      return {
        key: 'results.reason.mes-funded',
        vars: { votes, payers: formatNumber(r.payers, lang), share: euro(r.maxShare) },
      }
    case 'mes-too-little-money':
      return {
        key: 'results.reason.mes-too-little-money',
        vars: { votes, had: euro(r.supportersMoney), needed: euro(r.needed) },
      }
  }
}

/** Every project with its votes, funding and reason, funded ones first in the order they were chosen. */
export function resultRows(result: TallyResult, projects: readonly ResultProject[], lang: Lang) {
  const byId = new Map(projects.map((p) => [String(p.id), p]))
  const order = new Map(result.selected.map((id, i) => [id, i]))
  return result.projects
    .filter((o) => byId.has(o.id))
    .map((o) => ({ ...byId.get(o.id)!, votes: o.votes, funded: o.funded, explanation: explain(o, lang) }))
    .sort((a, b) => (order.get(String(a.id)) ?? Infinity) - (order.get(String(b.id)) ?? Infinity) || b.votes - a.votes)
}
