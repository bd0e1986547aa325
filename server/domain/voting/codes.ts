import { createHmac } from 'node:crypto'

/** A source of randomness: a whole number from 0 up to, not including, n (node:crypto's randomInt in the app). */
export type Pick = (n: number) => number

/**
 * No 0/O, 1/I/L: the pairs that print alike in ordinary fonts. S/5, Z/2 and B/8 stay: they differ
 * in print (the PDF letter uses one known font), and dropping them would let old letters' codes be
 * typed differently from new ones; normalisation maps only what no code contains.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const GROUPS = 4
const GROUP_LENGTH = 4
export const CODE_LENGTH = GROUPS * GROUP_LENGTH
/** 16 symbols of 31: about 79 bits, so guessing one of 100,000 codes is hopeless even without the rate limit. */
export const CODE_BITS = Math.floor(CODE_LENGTH * Math.log2(CODE_ALPHABET.length))

/** A fresh random code, grouped for reading aloud: ABCD-EFGH-JKMN-PQRS. */
export function generateCode(pick: Pick): string {
  let raw = ''
  for (let i = 0; i < CODE_LENGTH; i++) raw += CODE_ALPHABET[pick(CODE_ALPHABET.length)]
  return formatCode(raw)
}

export function formatCode(raw: string): string {
  const groups: string[] = []
  for (let i = 0; i < raw.length; i += GROUP_LENGTH) groups.push(raw.slice(i, i + GROUP_LENGTH))
  return groups.join('-')
}

/** Digits as an Arabic or Persian keyboard types them, to the ones printed on the letter. */
const FOREIGN_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g
/** Spaces, dashes of every kind, dots and invisible characters that phones insert when copying. */
const SEPARATORS = /[\s\p{Pd}\u2212\u00AD\u200B-\u200F\u2060\uFEFF_.·]/gu

/**
 * What was typed, in the letter's characters: full-width forms folded (NFKC), foreign digits to
 * 0–9, separators dropped, capitals. Every character of CODE_ALPHABET stays itself, so the hashes
 * of codes already handed out still match.
 */
function plain(typed: string): string {
  return typed
    .normalize('NFKC')
    .replace(FOREIGN_DIGITS, (digit) => String(digit.charCodeAt(0) % 16)) // both blocks start at a multiple of 16
    .replace(SEPARATORS, '')
    .toUpperCase()
}

/**
 * What a person typed, as the code it means: case, spaces and dashes do not matter.
 * Null when it cannot be a code.
 */
export function normaliseCode(typed: string): string | null {
  const raw = plain(typed)
  if (raw.length !== CODE_LENGTH) return null
  for (const char of raw) if (!CODE_ALPHABET.includes(char)) return null
  return raw
}

/** Only this keyed hash is stored: the database alone does not reveal a code. */
export function hashCode(key: string, normalised: string): string {
  return createHmac('sha256', key).update(normalised).digest('base64url')
}

/** A receipt tells a voter their ballot is in the count; 50 random bits, so receipts cannot be enumerated. */
export function generateReceipt(pick: Pick): string {
  let raw = ''
  for (let i = 0; i < 10; i++) raw += CODE_ALPHABET[pick(CODE_ALPHABET.length)]
  return `${raw.slice(0, 5)}-${raw.slice(5)}`
}

export function normaliseReceipt(typed: string): string | null {
  const raw = plain(typed)
  if (raw.length !== 10 || [...raw].some((c) => !CODE_ALPHABET.includes(c))) return null
  return `${raw.slice(0, 5)}-${raw.slice(5)}`
}
