import { parseEuros } from '../common/money.js'
import { readWholeNumber } from '../common/numbers.js'
import { singleLine } from '../common/text.js'
import { readPoint } from './place.js'

export const TRACKS = ['financial-technical', 'social', 'spatial'] as const
export type Track = (typeof TRACKS)[number]

export const THEMES = ['energy-poverty', 'loneliness', 'ageing', 'safety', 'green', 'jobs-language', 'other'] as const
export type Theme = (typeof THEMES)[number]

export function isTrack(value: unknown): value is Track {
  return typeof value === 'string' && (TRACKS as readonly string[]).includes(value)
}

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value)
}

/** Longest text per field, in characters. */
export const TEXT_LIMITS = {
  title: 120,
  summary: 300,
  description: 5_000,
  location: 200,
  organisation: 120,
  contactName: 120,
  contactEmail: 254,
  contactPhone: 30,
} as const

/**
 * Complete proposals one address may send in per hour: enough for a community centre's
 * evening where residents submit one after another, too few to flood the moderators.
 */
export const PROPOSAL_THROTTLE = { perAddress: 20, windowMs: 60 * 60 * 1000 } as const

/** Far above any neighbourhood project, low enough to catch a slip of the finger. */
export const FIGURE_LIMITS = {
  kwhPerYear: 50_000_000,
  co2KgPerYear: 50_000_000,
  households: 100_000,
} as const

type FigureField = keyof typeof FIGURE_LIMITS

/** The form as a person typed it: every value text, themes a list, consent ticked or not. */
export interface ProposalForm {
  title: string
  summary: string
  description: string
  cost: string
  track: string
  themes: string[]
  location: string
  /** The point on the map, filled by the map (or typed); both empty when the resident sets none. */
  lat: string
  lng: string
  kwhPerYear: string
  co2KgPerYear: string
  households: string
  organisation: string
  contactName: string
  contactEmail: string
  contactPhone: string
  consent: boolean
  /** The language the submitter says they wrote in; empty means the page's language. */
  writtenIn?: string
}

export type ProposalField = keyof ProposalForm

/** A checked proposal, ready to store. */
export interface ProposalFields {
  title: string
  summary: string
  description: string
  costCents: number
  track: Track
  themes: Theme[]
  location: string
  latitude: number | null
  longitude: number | null
  kwhPerYear: number | null
  co2KgPerYear: number | null
  households: number | null
  organisation: string | null
  contactName: string
  contactEmail: string | null
  contactPhone: string | null
  contactConsent: true
}

/** Per wrong field, the name of what is wrong (a message key under proposals.error). */
export type ProposalErrors = Partial<Record<ProposalField, string>>

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/
const PHONE = /^\+?[\d ]+$/
const MIN_PHONE_DIGITS = 6

const COST_ERRORS = {
  required: 'required',
  invalid: 'costInvalid',
  fraction: 'costFraction',
  tooLarge: 'costTooLarge',
  notPositive: 'costNotPositive',
} as const

/** Only these keep their line breaks; a title or name is stored on one line (it goes into CSV and .pb files). */
const MULTILINE_FIELDS: ReadonlySet<keyof typeof TEXT_LIMITS> = new Set(['summary', 'description'])

const length = (text: string) => [...text].length

/** Checks the whole form at once, so a person sees every problem in one go. */
export function validateProposal(
  form: ProposalForm,
  budgetCents: number,
): { fields: ProposalFields } | { errors: ProposalErrors } {
  const errors: ProposalErrors = {}
  const textOf = (field: keyof typeof TEXT_LIMITS, required: boolean): string => {
    const typed = form[field].replace(/\r\n?/g, '\n').trim()
    const value = MULTILINE_FIELDS.has(field) ? typed : singleLine(typed)
    if (required && value === '') errors[field] = 'required'
    else if (length(value) > TEXT_LIMITS[field]) errors[field] = 'tooLong'
    return value
  }
  const figure = (field: FigureField): number | null => {
    const result = parseCount(form[field], FIGURE_LIMITS[field])
    if ('error' in result) errors[field] = result.error
    return 'value' in result ? result.value : null
  }

  const title = textOf('title', true)
  const summary = textOf('summary', true)
  const description = textOf('description', true)
  const costCents = checkCost(form.cost, budgetCents, errors)
  if (form.track === '') errors.track = 'trackRequired'
  else if (!isTrack(form.track)) errors.track = 'trackInvalid'
  const themes = [...new Set(form.themes)]
  if (themes.length === 0) errors.themes = 'themesRequired'
  else if (!themes.every(isTheme)) errors.themes = 'themesInvalid'
  const location = textOf('location', false)
  const place = readPoint(form.lat, form.lng)
  // One message for the pair, at the first of its two fields.
  if ('error' in place) errors.lat = place.error
  const kwhPerYear = figure('kwhPerYear')
  const co2KgPerYear = figure('co2KgPerYear')
  const households = figure('households')
  const organisation = textOf('organisation', false)
  const contactName = textOf('contactName', true)
  const contactEmail = textOf('contactEmail', false)
  const contactPhone = textOf('contactPhone', false)
  if (contactEmail === '' && contactPhone === '') errors.contactEmail = 'contactRequired'
  if (contactEmail !== '' && !errors.contactEmail && !EMAIL.test(contactEmail)) errors.contactEmail = 'emailInvalid'
  if (contactPhone !== '' && !errors.contactPhone && !plausiblePhone(contactPhone)) errors.contactPhone = 'phoneInvalid'
  if (!form.consent) errors.consent = 'consentRequired'

  if (Object.keys(errors).length > 0) return { errors }
  return {
    fields: {
      title,
      summary,
      description,
      costCents: costCents!,
      track: form.track as Track,
      themes: themes as Theme[],
      location,
      latitude: 'point' in place && place.point ? place.point.latitude : null,
      longitude: 'point' in place && place.point ? place.point.longitude : null,
      kwhPerYear,
      co2KgPerYear,
      households,
      organisation: organisation || null,
      contactName,
      contactEmail: contactEmail || null,
      contactPhone: contactPhone || null,
      contactConsent: true,
    },
  }
}

function checkCost(input: string, budgetCents: number, errors: ProposalErrors): number | null {
  const parsed = parseEuros(input)
  if ('error' in parsed) errors.cost = COST_ERRORS[parsed.error]
  else if (parsed.cents <= 0) errors.cost = 'costNotPositive'
  else if (parsed.cents > budgetCents) errors.cost = 'costOverBudget'
  else return parsed.cents
  return null
}

function plausiblePhone(phone: string): boolean {
  return PHONE.test(phone) && phone.replace(/\D/g, '').length >= MIN_PHONE_DIGITS
}

/** A whole number as people write it ("2500", "2.500", "2,500"); empty means not given. */
export function parseCount(
  input: string,
  max: number,
): { value: number | null } | { error: 'wholeNumber' | 'numberTooLarge' } {
  const n = readWholeNumber(input)
  if (n === 'empty') return { value: null }
  if (n === 'invalid') return { error: 'wholeNumber' }
  return n > max ? { error: 'numberTooLarge' } : { value: n }
}

/** Letters and digits that cannot be mistaken for each other when read aloud or copied by hand: no 0/O, 1/I/L. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const REFERENCE_LENGTH = 6
export const REFERENCE_PATTERN = /^WB-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/

/** A new reference such as WB-7K3M9Q; `pick(n)` returns a random whole number below n. */
export function makeReference(pick: (n: number) => number): string {
  let code = ''
  for (let i = 0; i < REFERENCE_LENGTH; i++) code += REFERENCE_ALPHABET[pick(REFERENCE_ALPHABET.length)]
  return `WB-${code}`
}

/** Status tokens are 24 random bytes in base64url; anything else cannot be one, so it is not looked up. */
export function isStatusToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{32}$/.test(value)
}

/**
 * Which officials' messages the public sees. A request for changes is addressed to the
 * submitter and may discuss their situation, so only the submitter reads it; reasons for
 * a decision and cost justifications are public by design.
 */
export function messageIsPublic(kind: string): boolean {
  return kind !== 'changes_requested'
}
