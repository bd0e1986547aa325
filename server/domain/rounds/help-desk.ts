import { isLang, LANGUAGES, type Lang } from '../../languages.js'
import { hasFormControl } from '../common/text.js'

/** A round's help desk: where a resident who is stuck can call, write or walk in, and in which languages. */
export interface HelpDesk {
  phone: string
  email: string
  address: string
  hours: string
  /** Supported languages spoken at the desk, shown by their own names. */
  languages: Lang[]
  /** Other languages spoken there (Papiamento, Tamazight, …), as the admin wrote them. */
  otherLanguages: string
}

export const HELP_DESK_FIELDS = ['phone', 'email', 'address', 'hours', 'languages', 'otherLanguages'] as const
export type HelpDeskField = (typeof HELP_DESK_FIELDS)[number]
export type HelpDeskForm = Partial<Record<HelpDeskField, unknown>>
export type HelpDeskError = 'required' | 'tooLong' | 'invalid' | 'phone' | 'email'
export type HelpDeskErrors = Partial<Record<HelpDeskField, HelpDeskError>>

const LIMITS = { phone: 30, email: 200, address: 200, hours: 300, otherLanguages: 200 } as const

/** A field's text, trimmed, or what is wrong with it. */
function readField(value: unknown, limit: number): { text: string } | { error: HelpDeskError } {
  if (value !== undefined && typeof value !== 'string') return { error: 'invalid' }
  const trimmed = (value ?? '').trim()
  if (hasFormControl(trimmed)) return { error: 'invalid' }
  return [...trimmed].length > limit ? { error: 'tooLong' } : { text: trimmed }
}

/**
 * Reads the admin's help desk form. A phone number is required (it is the help most residents
 * can use: it becomes a tel: link); the rest is optional. An all-empty form removes the desk.
 */
export function readHelpDeskForm(form: HelpDeskForm): { helpDesk: HelpDesk | null } | { errors: HelpDeskErrors } {
  const errors: HelpDeskErrors = {}
  const read = (field: keyof typeof LIMITS) => {
    const value = readField(form[field], LIMITS[field])
    if ('error' in value) {
      errors[field] = value.error
      return ''
    }
    return value.text
  }
  const phone = read('phone')
  const email = read('email')
  const address = read('address')
  const hours = read('hours')
  const otherLanguages = read('otherLanguages')
  const chosen = form.languages === undefined ? [] : Array.isArray(form.languages) ? form.languages : [form.languages]
  if (!chosen.every(isLang)) errors.languages = 'invalid'
  const languages = LANGUAGES.filter((lang) => chosen.includes(lang))

  if (Object.keys(errors).length > 0) return { errors }
  if (!phone && !email && !address && !hours && !otherLanguages && languages.length === 0) return { helpDesk: null }
  if (!phone) errors.phone = 'required'
  else if (!telHref(phone)) errors.phone = 'phone'
  if (email && !mailtoHref(email)) errors.email = 'email'
  if (Object.keys(errors).length > 0) return { errors }
  return { helpDesk: { phone, email, address, hours, languages, otherLanguages } }
}

/** "010 - 123 45 67" → "tel:0101234567"; "+31 (0)10 …" drops the (0). Null when it is no phone number. */
export function telHref(phone: string): string | null {
  if (!/^\+?[\d\s().-]+$/.test(phone)) return null
  const digits = phone.replace(/\(0\)/g, '').replace(/[^\d+]/g, '')
  const count = digits.replace('+', '').length
  return count >= 3 && count <= 15 ? `tel:${digits}` : null
}

/**
 * A bare address only: a local part without the characters that end or extend a mailto: address
 * (`?` starts headers such as bcc=, `%` hides encoded line breaks, `&` and `#`) and a domain of
 * dotted labels. The link is built from the parts, never from the text as typed.
 */
const BARE_ADDRESS =
  /^([A-Za-z0-9.!$'*+/=^_`{|}~-]+)@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)$/

/** "hulp@gemeente.nl" → "mailto:hulp@gemeente.nl"; null for anything but one bare address. */
export function mailtoHref(email: string): string | null {
  const parts = BARE_ADDRESS.exec(email)
  if (!parts) return null
  return `mailto:${encodeURIComponent(parts[1]!)}@${parts[2]!.toLowerCase()}`
}

/** A stored desk, checked again on the way out: the database holds JSON, which is only as good as what was written. */
export function storedHelpDesk(value: unknown): HelpDesk | null {
  if (!value || typeof value !== 'object') return null
  const result = readHelpDeskForm(value)
  return 'helpDesk' in result ? result.helpDesk : null
}
