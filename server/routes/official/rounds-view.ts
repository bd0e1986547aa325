import type { FastifyRequest } from 'fastify'
import type { Db } from '../../../db/client.js'
import { countProposalsByStatus, listRoundAudit, type Round } from '../../data/rounds.js'
import type { ChainedEntry } from '../../domain/security/audit-chain.js'
import { PROPOSAL_STATUSES } from '../../domain/proposals/moderation.js'
import { centsToInput } from '../../domain/common/money.js'
import { allowed, allowedAtAll, residentsMay } from '../../plugins/auth.js'
import { transitionFrom } from '../../domain/rounds/transitions.js'
import { isPhase } from '../../domain/rounds/phases.js'
import { takesPaperBallots } from '../../domain/voting/ballot.js'
import {
  DATE_FIELDS,
  FORM_FIELDS,
  ROUND_FIELDS,
  SETTING_NAMES,
  type FormField,
  type RoundErrors,
  type RoundForm,
  type SettingName,
} from '../../domain/rounds/settings.js'
import type { Lang } from '../../i18n.js'
import type { FieldErrors } from '../forms.js'
import { roundSettings } from '../../usecases/rounds.js'
import { phaseKey, roundRulesView, roundView } from '../shared/round-view.js'

/** What the admin typed, as text to put back in the form; anything that is not text is dropped. */
function typedValues(form: RoundForm): Record<FormField, string> {
  return Object.fromEntries(
    FORM_FIELDS.map((field) => {
      const value = form[field]
      return [field, typeof value === 'string' ? value : '']
    }),
  ) as Record<FormField, string>
}

export const NEW_ROUND_VALUES = {
  ...typedValues({}),
  ballotFormat: 'knapsack',
  tallyRule: 'greedy',
  minSpendPercent: '0',
}

export function storedValues(round: Round, lang: Lang): Record<FormField, string> {
  const s = roundSettings(round)
  return {
    ...typedValues({ title: s.title, neighbourhood: s.neighbourhood, description: s.description }),
    ...Object.fromEntries(DATE_FIELDS.map((field) => [field, s[field] ?? ''])),
    budget: centsToInput(s.budgetCents, lang),
    ballotFormat: s.ballotFormat,
    maxChoices: s.maxChoices === null ? '' : String(s.maxChoices),
    pointsPerVoter: s.pointsPerVoter === null ? '' : String(s.pointsPerVoter),
    maxPointsPerProject: s.maxPointsPerProject === null ? '' : String(s.maxPointsPerProject),
    minSpendPercent: String(s.minSpendPercent),
    tallyRule: s.tallyRule,
  }
}

/** One message key per wrong field: the domain's precise reason where it has one, the schema's otherwise. */
export function errorKeys(schema: FieldErrors, domain: RoundErrors): Record<string, string> {
  const keys: Record<string, string> = { ...schema }
  for (const [field, code] of Object.entries(domain)) keys[field] = `rounds.error.${code}`
  return keys
}

/** How the history shows a setting's values: money, a choice's name, a date; the rest as stored text. */
type Kind = 'money' | 'choice' | 'date' | 'text'
const KIND: Partial<Record<SettingName, Kind>> = Object.fromEntries(
  ROUND_FIELDS.flatMap((f) =>
    f.kind === 'money' || f.kind === 'choice' || f.kind === 'date' ? [[f.setting, f.kind]] : [],
  ),
)
// jsonb keeps its own key order; history shows changes in the order of the form.
const SETTING_ORDER: readonly string[] = SETTING_NAMES
const byFormOrder = ([a]: [string, unknown], [b]: [string, unknown]) =>
  SETTING_ORDER.indexOf(a) - SETTING_ORDER.indexOf(b)

/**
 * Every action is named in the words the transparency page uses for it (one vocabulary for officials
 * and residents); an action without a sentence reads as "another action", never as its key.
 */
function actionKey(action: string, known: (key: string) => boolean): string {
  const key = `transparency.audit.action.${action}`
  return known(key) ? key : 'rounds.history.other'
}

/** A stored value with how to show it: money, a day, a choice, plain text, or nothing. */
function shown(field: string, value: unknown) {
  if (value === null || value === undefined || value === '') return { isNone: true }
  const kind = KIND[field as SettingName] ?? 'text'
  return {
    isMoney: kind === 'money',
    isDate: kind === 'date',
    choiceKey: kind === 'choice' && typeof value === 'string' ? `rounds.choice.${value}` : undefined,
    value,
  }
}

function historyView(entry: ChainedEntry, known: (key: string) => boolean) {
  const { changes, from, to, count } = entry.details as {
    changes?: Record<string, { old: unknown; new: unknown }>
    from?: unknown
    to?: unknown
    count?: unknown
  }
  return {
    at: entry.at,
    actor: entry.actor,
    actionKey: actionKey(entry.action, known),
    count: typeof count === 'number' ? count : null,
    move: isPhase(from) && isPhase(to) ? { fromKey: phaseKey(from), toKey: phaseKey(to) } : null,
    changes: Object.entries(changes ?? {})
      .sort(byFormOrder)
      .map(([field, change]) => ({
        labelKey: `rounds.setting.${field}`,
        old: shown(field, change.old),
        new: shown(field, change.new),
      })),
  }
}

/** The management page: settings, timeline, proposals per status, history, and what this official may do. */
export async function managementModel(db: Db, request: FastifyRequest, round: Round) {
  const [counts, audit] = await Promise.all([countProposalsByStatus(db, round.id), listRoundAudit(db, round.id)])
  const next = transitionFrom(round.phase)?.to
  const known = (key: string) => request.server.translate(request.lang, key) !== key
  return {
    title: round.title,
    round: roundView(round),
    rules: roundRulesView(round),
    counts: PROPOSAL_STATUSES.map((status) => ({ statusKey: `status.${status}`, count: counts[status] ?? 0 })),
    next: next ?? null,
    nextPhaseKey: next && phaseKey(next),
    publicPage: residentsMay(round, 'round.view'),
    canEdit: allowed(request, 'round.edit'),
    canAdvance: allowed(request, 'round.advance'),
    canManageCodes: allowedAtAll(request, 'codes.manage'),
    canEnterPaper: allowed(request, 'ballot.enter-paper') && takesPaperBallots(round.ballotFormat),
    canEditHelpDesk: allowed(request, 'helpdesk.edit'),
    canSeeBudgets: allowed(request, 'round.edit'),
    canTranslate: allowed(request, 'proposal.translate'),
    canPrintBallot: residentsMay(round, 'ballot.print') && takesPaperBallots(round.ballotFormat),
    canSeeResults: allowed(request, 'results.view') || allowed(request, 'results.preview'),
    canImport: allowedAtAll(request, 'round.create'),
    history: audit.map((entry) => historyView(entry, known)).reverse(),
  }
}
