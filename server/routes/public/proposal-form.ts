import type { Proposal } from '../../data/proposals.js'
import { centsToInput } from '../../domain/common/money.js'
import {
  FIGURE_LIMITS,
  TEXT_LIMITS,
  THEMES,
  TRACKS,
  validateProposal,
  type ProposalErrors,
  type ProposalField,
  type ProposalFields,
  type ProposalForm,
} from '../../domain/proposals/rules.js'
import { degreesText } from '../../domain/proposals/place.js'
import { isLang, LANGUAGE_LIST, type Lang } from '../../languages.js'
import type { FormRead } from '../forms.js'
import { FIELDS, PROPOSAL_TEXT_FIELDS, type ProposalBody } from './schemas.js'

/** The optional part of the form, folded away in a <details> until it holds something. */
const MORE: readonly ProposalField[] = [
  'location',
  'lat',
  'lng',
  'kwhPerYear',
  'co2KgPerYear',
  'households',
  'organisation',
]

export const EMPTY_FORM: ProposalForm = {
  title: '',
  summary: '',
  description: '',
  cost: '',
  track: '',
  themes: [],
  location: '',
  lat: '',
  lng: '',
  kwhPerYear: '',
  co2KgPerYear: '',
  households: '',
  organisation: '',
  contactName: '',
  contactEmail: '',
  contactPhone: '',
  consent: false,
  writtenIn: '',
}

/**
 * Checks a posted proposal form, read with ProposalBody: what the person typed is checked by the
 * proposal's rules, and schema errors (wrong types) count as wrong fields too.
 */
export function readProposalForm(
  read: FormRead<typeof ProposalBody>,
  budgetCents: number,
): { form: ProposalForm; errors: ProposalErrors; fields?: ProposalFields } {
  const { typed } = read
  const form: ProposalForm = {
    ...EMPTY_FORM,
    ...Object.fromEntries(PROPOSAL_TEXT_FIELDS.map((field) => [field, typed[field]])),
    themes: typed.themes,
    consent: typed.consent !== '',
  }
  const result = validateProposal(form, budgetCents)
  const errors: ProposalErrors = 'errors' in result ? { ...result.errors } : {}
  for (const field of Object.keys(read.ok ? {} : read.errors)) {
    if ((FIELDS as readonly string[]).includes(field))
      errors[field as ProposalField] = field === 'themes' ? 'themesInvalid' : 'invalid'
  }
  if (Object.keys(errors).length > 0 || !('fields' in result)) return { form, errors }
  return { form, errors, fields: result.fields }
}

/** A stored proposal back in the form, as its submitter would type it. */
export function formFromProposal(proposal: Proposal, lang: Lang): ProposalForm {
  const figure = (value: number | null) => (value === null ? '' : String(value))
  return {
    title: proposal.title,
    summary: proposal.summary,
    description: proposal.description,
    cost: centsToInput(proposal.costCents, lang),
    track: proposal.track,
    themes: proposal.themes,
    location: proposal.location,
    lat: proposal.latitude === null ? '' : degreesText(proposal.latitude),
    lng: proposal.longitude === null ? '' : degreesText(proposal.longitude),
    kwhPerYear: figure(proposal.kwhPerYear),
    co2KgPerYear: figure(proposal.co2KgPerYear),
    households: figure(proposal.households),
    organisation: proposal.organisation ?? '',
    contactName: proposal.contactName,
    contactEmail: proposal.contactEmail ?? '',
    contactPhone: proposal.contactPhone ?? '',
    writtenIn: proposal.lang,
    consent: proposal.contactConsent,
  }
}

const LIMITS: Partial<Record<ProposalField, number>> = { ...TEXT_LIMITS, ...FIGURE_LIMITS }

/** Where the error summary sends the reader: the field, or the first choice of a group. */
function anchor(field: ProposalField): string {
  if (field === 'track') return `track-${TRACKS[0]}`
  if (field === 'themes') return `themes-${THEMES[0]}`
  return field
}

/** The view-model of the proposal form partial. */
export function formView(
  form: ProposalForm,
  errors: ProposalErrors,
  budgetCents: number,
  action: string,
  submitLabel: string,
  pageLang: Lang,
) {
  // Until the submitter chooses, the idea is taken to be written in the page's language.
  const writtenIn = form.writtenIn || pageLang
  return {
    action,
    submitLabel,
    budgetCents,
    values: form,
    // Each wrong field's message, by its translation key.
    errors: Object.fromEntries(Object.entries(errors).map(([field, code]) => [field, `proposals.error.${code}`])),
    limits: LIMITS,
    languages: LANGUAGE_LIST.map(({ code, name }) => ({ code, name, selected: code === writtenIn })),
    tracks: TRACKS.map((value) => ({
      value,
      checked: form.track === value,
      key: `track.${value}`,
      hintKey: `proposals.trackHint.${value}`,
    })),
    themes: THEMES.map((value) => ({ value, checked: form.themes.includes(value), key: `theme.${value}` })),
    moreOpen: MORE.some((field) => form[field] !== '' || errors[field] !== undefined),
    hasErrors: Object.keys(errors).length > 0,
    errorList: FIELDS.filter((field) => errors[field]).map((field) => ({
      href: anchor(field),
      label: `proposals.short.${field}`,
      message: `proposals.error.${errors[field]}`,
      max: field === 'cost' ? budgetCents : LIMITS[field],
      money: field === 'cost',
    })),
  }
}

/** The language a proposal is stored in: the one its submitter chose, else the page's. */
export function writtenLanguage(form: ProposalForm, pageLang: Lang): Lang {
  return isLang(form.writtenIn) ? form.writtenIn : pageLang
}
