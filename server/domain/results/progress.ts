import { parseEuros } from '../common/money.js'
import { FIGURE_LIMITS, parseCount } from '../proposals/rules.js'
import { isCalendarDay } from '../rounds/settings.js'

/** Where a funded project stands after publication; a cancelled project's update says why. */
export const PROGRESS_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number]

/** Long enough for "Zonnepanelen geplaatst op het dak van het buurthuis (fase 2)", short enough for a timeline. */
export const MILESTONE_TITLE_MAX = 200
/** A project's plan on one screen: more steps than this is a project plan, not a public milestone list. */
export const MAX_MILESTONES = 20

type ProgressError =
  | 'chooseProject'
  | 'chooseStatus'
  | 'required'
  | 'chooseDate'
  | 'reasonRequired'
  | 'money'
  | 'wholeNumber'
  | 'numberTooLarge'
export type ProgressErrors = Partial<
  Record<'proposal' | 'status' | 'text' | 'on' | 'spent' | 'kwh' | 'co2' | 'households', ProgressError>
>

export interface ProgressTyped {
  proposal: string
  status: string
  text: string
  on: string
  /** Money spent on the project so far, in euros as typed; empty when this update does not say. */
  spent: string
  kwh: string
  co2: string
  households: string
}

export interface ProgressUpdateInput {
  proposalId: number
  status: ProgressStatus
  text: string
  on: string
  spentCents: number | null
  kwhReached: number | null
  co2Reached: number | null
  householdsReached: number | null
}

/**
 * A progress update as typed: one of the funded projects, a status, some words (for a cancelled
 * project, the reason) and the day it happened; optionally what was spent so far and the energy
 * figures reached, each left as it was when empty.
 */
export function checkProgress(
  typed: ProgressTyped,
  fundedIds: ReadonlySet<string>,
): { update: ProgressUpdateInput } | { errors: ProgressErrors } {
  const errors: ProgressErrors = {}
  const text = typed.text.trim()
  const status = PROGRESS_STATUSES.find((s) => s === typed.status)
  if (!/^\d+$/.test(typed.proposal) || !fundedIds.has(typed.proposal)) errors.proposal = 'chooseProject'
  if (!status) errors.status = 'chooseStatus'
  if (!text) errors.text = status === 'cancelled' ? 'reasonRequired' : 'required'
  if (!isCalendarDay(typed.on)) errors.on = 'chooseDate'
  let spentCents: number | null = null
  if (typed.spent.trim() !== '') {
    const money = parseEuros(typed.spent)
    // Nothing spent yet is a fact worth saying: zero is allowed here, unlike a cost.
    if ('cents' in money) spentCents = money.cents
    else errors.spent = 'money'
  }
  const figure = (field: 'kwh' | 'co2' | 'households', max: number): number | null => {
    const result = parseCount(typed[field], max)
    if ('error' in result) errors[field] = result.error
    return 'value' in result ? result.value : null
  }
  const kwhReached = figure('kwh', FIGURE_LIMITS.kwhPerYear)
  const co2Reached = figure('co2', FIGURE_LIMITS.co2KgPerYear)
  const householdsReached = figure('households', FIGURE_LIMITS.households)
  if (!status || Object.keys(errors).length > 0) return { errors }
  return {
    update: {
      proposalId: Number(typed.proposal),
      status,
      text,
      on: typed.on,
      spentCents,
      kwhReached,
      co2Reached,
      householdsReached,
    },
  }
}

export type MilestoneErrors = Partial<Record<'title' | 'planned' | 'done', 'required' | 'tooLong' | 'chooseDate'>>

/** A new milestone: what will happen and the day it is planned for. */
export function checkMilestone(typed: {
  title: string
  planned: string
}): { milestone: { title: string; plannedOn: string } } | { errors: MilestoneErrors } {
  const errors: MilestoneErrors = {}
  const title = typed.title.trim()
  if (!title) errors.title = 'required'
  else if ([...title].length > MILESTONE_TITLE_MAX) errors.title = 'tooLong'
  if (!isCalendarDay(typed.planned)) errors.planned = 'chooseDate'
  if (Object.keys(errors).length > 0) return { errors }
  return { milestone: { title, plannedOn: typed.planned } }
}

/** The day a milestone was reached; empty takes a wrongly entered day back. */
export function checkMilestoneDone(typed: { done: string }): { doneOn: string | null } | { errors: MilestoneErrors } {
  if (typed.done.trim() === '') return { doneOn: null }
  return isCalendarDay(typed.done) ? { doneOn: typed.done } : { errors: { done: 'chooseDate' } }
}

export type UpdateFacts = Omit<ProgressUpdateInput, 'proposalId'>

export interface MilestoneFacts {
  id: number
  title: string
  plannedOn: string
  doneOn: string | null
}

/** The latest figure an update gave, or null when none did. */
function latest<K extends keyof UpdateFacts>(updates: readonly UpdateFacts[], key: K): UpdateFacts[K] | null {
  for (let i = updates.length - 1; i >= 0; i--) if (updates[i]![key] !== null) return updates[i]![key]
  return null
}

/**
 * Where one funded project stands today, from its updates (oldest first) and milestones. A
 * project nobody reported on yet is planned with nothing spent; a milestone whose day passed
 * without being reached is late.
 */
export function projectProgress(
  project: { costCents: number },
  updates: readonly UpdateFacts[],
  milestones: readonly MilestoneFacts[],
  today: string,
) {
  const last = updates.at(-1)
  const status: ProgressStatus = last?.status ?? 'planned'
  const spentCents = latest(updates, 'spentCents') ?? 0
  return {
    status,
    since: last?.on ?? null,
    /** A cancelled project's last update is its reason. */
    reason: status === 'cancelled' ? last!.text : null,
    spentCents,
    overBudget: spentCents > project.costCents,
    reached: {
      kwhPerYear: latest(updates, 'kwhReached'),
      co2KgPerYear: latest(updates, 'co2Reached'),
      households: latest(updates, 'householdsReached'),
    },
    milestones: [...milestones]
      .sort((a, b) => a.plannedOn.localeCompare(b.plannedOn) || a.id - b.id)
      .map((m) => ({ ...m, late: m.doneOn === null && m.plannedOn < today && status !== 'cancelled' })),
  }
}

/**
 * Milestones officials should hear about today: the planned day has passed, the milestone is not
 * reached, the project is not done or cancelled, nobody posted an update on the project since
 * that day, and no reminder went out for it yet.
 */
export function milestonesToRemind<M extends MilestoneFacts & { proposalId: number; remindedAt: Date | null }>(
  milestones: readonly M[],
  lastUpdate: ReadonlyMap<number, { on: string; status: ProgressStatus }>,
  today: string,
): M[] {
  return milestones.filter((m) => {
    const last = lastUpdate.get(m.proposalId)
    if (m.doneOn !== null || m.remindedAt !== null || m.plannedOn >= today) return false
    if (last && (last.status === 'done' || last.status === 'cancelled')) return false
    return !last || last.on < m.plannedOn
  })
}

/** A funded project's latest update, as far as keeping its followers goes. */
export interface LatestUpdate {
  status: ProgressStatus
  createdAt: Date
}

/**
 * Whether a published round still has news for its followers past the contact retention time:
 * some funded project has not been reported done or cancelled, or was so reported after `cutoff`
 * (its followers keep the retention time from that report on, as others had it from the results).
 * A round that funded nothing has no news to come.
 */
export function newsToCome(latest: readonly (LatestUpdate | undefined)[], cutoff: Date): boolean {
  return latest.some(
    (update) =>
      update === undefined || (update.status !== 'done' && update.status !== 'cancelled') || update.createdAt > cutoff,
  )
}
