import { isCalendarDay } from '../rounds/settings.js'

/** Where a funded project stands after publication. */
export const PROGRESS_STATUSES = ['planned', 'in_progress', 'done'] as const
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number]

export type ProgressErrors = Partial<
  Record<'proposal' | 'status' | 'text' | 'on', 'chooseProject' | 'chooseStatus' | 'required' | 'chooseDate'>
>

/** A progress update as typed: one of the funded projects, a status, some words and the day it happened. */
export function checkProgress(
  typed: { proposal: string; status: string; text: string; on: string },
  fundedIds: ReadonlySet<string>,
): { update: { proposalId: number; status: ProgressStatus; text: string; on: string } } | { errors: ProgressErrors } {
  const errors: ProgressErrors = {}
  const text = typed.text.trim()
  const status = PROGRESS_STATUSES.find((s) => s === typed.status)
  if (!/^\d+$/.test(typed.proposal) || !fundedIds.has(typed.proposal)) errors.proposal = 'chooseProject'
  if (!status) errors.status = 'chooseStatus'
  if (!text) errors.text = 'required'
  if (!isCalendarDay(typed.on)) errors.on = 'chooseDate'
  if (!status || Object.keys(errors).length > 0) return { errors }
  return { update: { proposalId: Number(typed.proposal), status, text, on: typed.on } }
}
