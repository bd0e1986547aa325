import { readWholeNumber } from '../common/numbers.js'

export const MAX_CODES = 100_000
/** A QR image takes about a millisecond: 5,000 keep the download within seconds (measured: 100,000 took 2 minutes, 1.4 GB of memory, an 81 MB file). */
export const MAX_QR_CODES = 5_000
/** A printed letter takes a few milliseconds (bench/letters.ts): 20,000 stay within a couple of minutes' download. */
export const MAX_LETTERS = 20_000
export const MAX_GROUP_LENGTH = 40

/** A whole number of letters, as an official types it: "2500", "2.500", "2,500" or "2 500". */
export function parseCodeCount(typed: string): number | null {
  const n = readWholeNumber(typed)
  return typeof n === 'number' && n >= 1 && n <= MAX_CODES ? n : null
}

export type GroupError = 'groupTooLong' | 'groupCharacters'

/**
 * A group names an area, never a person: only letters, digits, spaces and dashes,
 * so e-mail addresses, house numbers with additions and such cannot go in. Empty means no group.
 */
export function parseGroupLabel(typed: string): { label: string | null } | { error: GroupError } {
  const label = typed.trim().replace(/\s+/g, ' ')
  if (label === '') return { label: null }
  if (label.length > MAX_GROUP_LENGTH) return { error: 'groupTooLong' }
  if (!/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u.test(label)) return { error: 'groupCharacters' }
  return { label }
}

export type BatchErrors = {
  count?: 'countInvalid'
  group?: GroupError
  qr?: 'qrTooMany'
  letters?: 'lettersTooMany'
}

export interface Batch {
  count: number
  group: string | null
  qr: boolean
  letters: boolean
}

/** A batch request as typed: how many letters, for which group, with QR images and printed letters or not. */
export function checkBatch(typed: {
  count: string
  group: string
  qr: boolean
  letters: boolean
}): { batch: Batch } | { errors: BatchErrors } {
  const errors: BatchErrors = {}
  const count = parseCodeCount(typed.count)
  const group = parseGroupLabel(typed.group)
  if (count === null) errors.count = 'countInvalid'
  if ('error' in group) errors.group = group.error
  if (count !== null && typed.qr && count > MAX_QR_CODES) errors.qr = 'qrTooMany'
  if (count !== null && typed.letters && count > MAX_LETTERS) errors.letters = 'lettersTooMany'
  if (count === null || !('label' in group) || Object.keys(errors).length > 0) return { errors }
  return { batch: { count, group: group.label, qr: typed.qr, letters: typed.letters } }
}
