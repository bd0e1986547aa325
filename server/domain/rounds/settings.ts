import { BALLOT_FORMATS, type BallotFormat } from '../voting/ballot.js'
import { readWholeNumber } from '../common/numbers.js'
import { centsToInput, parseEuros, type MoneyError } from '../common/money.js'
import { TALLY_RULES, type TallyRule } from '../tally/tally.js'
import { singleLine } from '../common/text.js'

export const TEXT_LIMITS = { title: 120, neighbourhood: 120, description: 2000 } as const
export const MAX_CHOICES_LIMIT = 50
export const POINTS_LIMIT = 1000
/** The planned phase dates, in the order the phases follow each other. */
export const DATE_FIELDS = ['proposingFrom', 'reviewingFrom', 'votingFrom', 'votingUntil', 'publishOn'] as const
export type DateField = (typeof DATE_FIELDS)[number]

/** A round's settings as stored: money in cents, dates as calendar days (YYYY-MM-DD). */
export interface RoundSettings {
  title: string
  neighbourhood: string
  description: string
  budgetCents: number
  proposingFrom: string | null
  reviewingFrom: string | null
  votingFrom: string | null
  votingUntil: string | null
  publishOn: string | null
  ballotFormat: BallotFormat
  maxChoices: number | null
  pointsPerVoter: number | null
  maxPointsPerProject: number | null
  minSpendPercent: number
  tallyRule: TallyRule
}
export type SettingName = keyof RoundSettings

/**
 * Every setting of a round, once, in the order the form shows them: its form field, the stored
 * setting it becomes, what kind of value it holds, and whether it is fixed once voting opens (what
 * residents' ballots and the count depend on). The form's fields, the locked ones, the stored
 * settings, the error summary and the history's order all come from this list.
 */
export const ROUND_FIELDS = [
  { field: 'title', setting: 'title', kind: 'text', locked: false },
  { field: 'neighbourhood', setting: 'neighbourhood', kind: 'text', locked: false },
  { field: 'description', setting: 'description', kind: 'text', locked: false },
  { field: 'budget', setting: 'budgetCents', kind: 'money', locked: true },
  { field: 'ballotFormat', setting: 'ballotFormat', kind: 'choice', locked: true },
  { field: 'maxChoices', setting: 'maxChoices', kind: 'number', locked: true },
  { field: 'pointsPerVoter', setting: 'pointsPerVoter', kind: 'number', locked: true },
  { field: 'maxPointsPerProject', setting: 'maxPointsPerProject', kind: 'number', locked: true },
  { field: 'minSpendPercent', setting: 'minSpendPercent', kind: 'number', locked: true },
  { field: 'tallyRule', setting: 'tallyRule', kind: 'choice', locked: true },
  { field: 'proposingFrom', setting: 'proposingFrom', kind: 'date', locked: false },
  { field: 'reviewingFrom', setting: 'reviewingFrom', kind: 'date', locked: false },
  { field: 'votingFrom', setting: 'votingFrom', kind: 'date', locked: false },
  { field: 'votingUntil', setting: 'votingUntil', kind: 'date', locked: false },
  { field: 'publishOn', setting: 'publishOn', kind: 'date', locked: false },
] as const satisfies readonly { field: string; setting: keyof RoundSettings; kind: string; locked: boolean }[]

export type FormField = (typeof ROUND_FIELDS)[number]['field']
export type RoundForm = Partial<Record<FormField, unknown>>
export const FORM_FIELDS: readonly FormField[] = ROUND_FIELDS.map((f) => f.field)
export const SETTING_NAMES: readonly SettingName[] = ROUND_FIELDS.map((f) => f.setting)
export const LOCKED_FIELDS: readonly FormField[] = ROUND_FIELDS.filter((f) => f.locked).map((f) => f.field)
/** The options of the fields that choose one, the first being what a link to the field focuses. */
export const CHOICES = { ballotFormat: BALLOT_FORMATS, tallyRule: TALLY_RULES } as const

export type RoundError =
  | 'required'
  | 'tooLong'
  | 'invalid'
  | 'date'
  | 'dateOrder'
  | 'choice'
  | 'maxChoices'
  | 'pointsPerVoter'
  | 'maxPoints'
  | 'minSpend'
  | 'locked'
  | `amount.${MoneyError}`
export type RoundErrors = Partial<Record<FormField, RoundError>>

export type FormResult = { settings: RoundSettings } | { errors: RoundErrors; lockedRefused: boolean }

const codePoints = (text: string) => [...text].length

/** A text field: trimmed, counted in characters as a person sees them. */
function readText(value: unknown, limit: number, required: boolean): { text: string } | { error: RoundError } {
  if (value !== undefined && typeof value !== 'string') return { error: 'invalid' }
  const text = (value ?? '').trim()
  if (required && text === '') return { error: 'required' }
  return codePoints(text) > limit ? { error: 'tooLong' } : { text }
}

/** A real calendar day as an `<input type="date">` sends it; years are bounded so the database never refuses one. */
export function isCalendarDay(text: string): boolean {
  const match = /^(\d{4})-\d{2}-\d{2}$/.exec(text)
  if (!match) return false
  const year = Number(match[1])
  const date = new Date(`${text}T00:00:00Z`)
  return year >= 2000 && year <= 2100 && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text)
}

function readWhole(value: unknown, min: number, max: number, fallback: number | null): number | null | 'bad' {
  if (value !== undefined && typeof value !== 'string') return 'bad'
  const n = readWholeNumber((value ?? '').trim().replace(/\s*%$/, ''))
  if (n === 'empty') return fallback ?? 'bad'
  return typeof n === 'number' && n >= min && n <= max ? n : 'bad'
}

const oneOf = <T extends string>(options: readonly T[], value: unknown): T | undefined =>
  options.find((option) => option === value)

/** Reads the round form. Every wrong field gets its own error; nothing is guessed. */
export function readRoundForm(form: RoundForm): FormResult {
  const errors: RoundErrors = {}
  const textOf = (field: 'title' | 'neighbourhood' | 'description', required: boolean) => {
    const result = readText(form[field], TEXT_LIMITS[field], required)
    if ('error' in result) errors[field] = result.error
    if (!('text' in result)) return ''
    // Title and neighbourhood are one line: they head pages and go into CSV and .pb files.
    return field === 'description' ? result.text : singleLine(result.text)
  }
  const title = textOf('title', true)
  const neighbourhood = textOf('neighbourhood', true)
  const description = textOf('description', false)

  let budgetCents = 0
  if (form.budget !== undefined && typeof form.budget !== 'string') errors.budget = 'invalid'
  else {
    const money = parseEuros(form.budget ?? '')
    if ('error' in money) errors.budget = `amount.${money.error}`
    else if (money.cents === 0) errors.budget = 'amount.notPositive'
    else budgetCents = money.cents
  }

  const dates = readDates(form, errors)

  const ballotFormat = oneOf(BALLOT_FORMATS, form.ballotFormat)
  if (!ballotFormat) errors.ballotFormat = 'choice'
  const tallyRule = oneOf(TALLY_RULES, form.tallyRule)
  if (!tallyRule) errors.tallyRule = 'choice'
  // K belongs to approval ballots and the minimum spend to knapsack ones; the other is not used, so not checked.
  const maxChoices = ballotFormat === 'approval' ? readWhole(form.maxChoices, 1, MAX_CHOICES_LIMIT, null) : null
  if (maxChoices === 'bad') errors.maxChoices = 'maxChoices'
  const minSpendPercent = ballotFormat === 'knapsack' ? readWhole(form.minSpendPercent, 0, 100, 0) : 0
  // N and M belong to points ballots; M is checked against N only once N itself is right.
  const points = ballotFormat === 'points'
  const pointsPerVoter = points ? readWhole(form.pointsPerVoter, 1, POINTS_LIMIT, null) : null
  if (pointsPerVoter === 'bad') errors.pointsPerVoter = 'pointsPerVoter'
  const maxPointsPerProject = points
    ? readWhole(form.maxPointsPerProject, 1, typeof pointsPerVoter === 'number' ? pointsPerVoter : POINTS_LIMIT, null)
    : null
  if (maxPointsPerProject === 'bad') errors.maxPointsPerProject = 'maxPoints'
  if (minSpendPercent === 'bad') errors.minSpendPercent = 'minSpend'

  if (Object.keys(errors).length > 0) return { errors, lockedRefused: false }
  return {
    settings: {
      title,
      neighbourhood,
      description,
      budgetCents,
      ...dates,
      ballotFormat: ballotFormat!,
      maxChoices: maxChoices as number | null,
      pointsPerVoter: pointsPerVoter as number | null,
      maxPointsPerProject: maxPointsPerProject as number | null,
      minSpendPercent: minSpendPercent as number,
      tallyRule: tallyRule!,
    },
  }
}

function readDates(form: RoundForm, errors: RoundErrors): Record<DateField, string | null> {
  const dates = {} as Record<DateField, string | null>
  let previous: string | null = null
  for (const field of DATE_FIELDS) {
    const value = form[field]
    dates[field] = null
    const day = typeof value === 'string' ? value.trim() : value
    if (day === undefined || day === '') continue
    if (typeof day !== 'string' || !isCalendarDay(day)) {
      errors[field] = 'date'
      continue
    }
    dates[field] = day
    // Each phase starts after the one before it; ISO days compare correctly as text.
    if (previous !== null && day <= previous) errors[field] = 'dateOrder'
    previous = day
  }
  return dates
}

/**
 * Reads an edit of a round whose voting has opened: the locked fields keep their stored values when the
 * form leaves them out, and any attempt to change one refuses the whole edit.
 */
export function readLockedRoundForm(form: RoundForm, stored: RoundSettings): FormResult {
  const sent = new Set(LOCKED_FIELDS.filter((field) => form[field] !== undefined))
  const asStored: RoundForm = {
    budget: centsToInput(stored.budgetCents, 'en'),
    ballotFormat: stored.ballotFormat,
    maxChoices: stored.maxChoices === null ? '' : String(stored.maxChoices),
    pointsPerVoter: stored.pointsPerVoter === null ? '' : String(stored.pointsPerVoter),
    maxPointsPerProject: stored.maxPointsPerProject === null ? '' : String(stored.maxPointsPerProject),
    minSpendPercent: String(stored.minSpendPercent),
    tallyRule: stored.tallyRule,
  }
  const merged: RoundForm = { ...form }
  for (const field of LOCKED_FIELDS) if (!sent.has(field)) merged[field] = asStored[field]
  const result = readRoundForm(merged)
  const errors: RoundErrors = 'errors' in result ? { ...result.errors } : {}
  const settings = 'settings' in result ? result.settings : null
  const differs = (field: FormField) => {
    const { setting } = ROUND_FIELDS.find((f) => f.field === field)!
    return settings !== null && settings[setting] !== stored[setting]
  }
  let lockedRefused = false
  for (const field of sent) {
    if (errors[field] || differs(field)) {
      errors[field] = 'locked'
      lockedRefused = true
    }
  }
  if (Object.keys(errors).length > 0) return { errors, lockedRefused }
  // The stored rules win outright, even where the form's reading of them would normalise a stored value.
  const { budgetCents, ballotFormat, maxChoices, pointsPerVoter, maxPointsPerProject, minSpendPercent, tallyRule } =
    stored
  return {
    settings: {
      ...settings!,
      budgetCents,
      ballotFormat,
      maxChoices,
      pointsPerVoter,
      maxPointsPerProject,
      minSpendPercent,
      tallyRule,
    },
  }
}

export type Changes = Partial<Record<SettingName, { old: unknown; new: unknown }>>

/** The settings that differ, with old and new values: what the audit log records for an edit. */
export function changedSettings(before: RoundSettings | null, after: RoundSettings): Changes {
  const changes: Changes = {}
  for (const name of Object.keys(after) as SettingName[]) {
    const old = before ? before[name] : null
    if (old !== after[name]) changes[name] = { old, new: after[name] }
  }
  return changes
}

const SLUG_MAX = 60

/** The URL name of a round: lowercase ascii words joined by dashes; "ronde" when no letter survives. */
export function slugBase(title: string): string {
  const ascii = title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  const words = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
  // Cut at a word boundary, so a long title does not end in half a word.
  const cut =
    words.length <= SLUG_MAX ? words : words.slice(0, SLUG_MAX + 1).replace(/-?[^-]*$/, '') || words.slice(0, SLUG_MAX)
  return cut.replace(/-+$/, '') || 'ronde'
}

/** The base itself when free, otherwise base-2, base-3 … */
export function uniqueSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base
  let n = 2
  while (taken.has(`${base}-${n}`)) n++
  return `${base}-${n}`
}
