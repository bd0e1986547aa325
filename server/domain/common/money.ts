import { language, type Lang } from '../../languages.js'

/** The largest amount anyone may type: €100 million, far above any neighbourhood budget. */
export const MAX_CENTS = 10_000_000_000

export type MoneyError = 'required' | 'invalid' | 'fraction' | 'tooLarge' | 'notPositive'

/**
 * Reads an amount in euros as typed by a person, Dutch or English style:
 * "1500", "1.500", "1500,50", "1,500.50", "€ 1.500". Returns integer cents.
 * A single separator followed by exactly three digits groups thousands;
 * otherwise it is the decimal mark. Returns an error key instead of guessing.
 * Arabic-Indic digits and separators ("١٬٥٠٠٫٥٠", as an Arabic keyboard types) read the same.
 */
export function parseEuros(input: string): { cents: number } | { error: MoneyError } {
  const text = westernDigits(input)
    .replace(/[€\s\u00a0\u200e\u200f\u061c]/g, '')
    .replace(/^eur/i, '')
    .replace(/eur$/i, '')
  if (text === '') return { error: 'required' }
  if (text.startsWith('-')) return { error: 'notPositive' }
  if (!/^\d[\d.,]*$/.test(text)) return { error: 'invalid' }

  const lastDot = text.lastIndexOf('.')
  const lastComma = text.lastIndexOf(',')
  let whole = text
  let fraction = ''
  const decimalAt = lastDot >= 0 && lastComma >= 0 ? Math.max(lastDot, lastComma) : singleDecimalMark(text)
  if (decimalAt >= 0) {
    whole = text.slice(0, decimalAt)
    fraction = text.slice(decimalAt + 1)
  }
  const grouping = whole.includes('.') ? '.' : whole.includes(',') ? ',' : ''
  if (grouping) {
    if (whole.includes(grouping === '.' ? ',' : '.')) return { error: 'invalid' }
    if (!/^[1-9]\d{0,2}([.,]\d{3})+$/.test(whole)) return { error: 'invalid' }
    whole = whole.replaceAll(grouping, '')
  }
  if (!/^\d*$/.test(fraction)) return { error: 'invalid' }
  if (fraction.length > 2) return { error: 'fraction' }
  if (whole.length > 12) return { error: 'tooLarge' }
  const cents = Number(whole || '0') * 100 + Number(fraction.padEnd(2, '0') || '0')
  if (cents > MAX_CENTS) return { error: 'tooLarge' }
  return { cents }
}

/** Arabic-Indic (U+0660…) and Persian (U+06F0…) digits as 0–9; the Arabic decimal and thousands marks as . and , */
function westernDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066b/g, '.')
    .replace(/\u066c/g, ',')
}

/** Position of the decimal mark when only one kind of separator appears, or -1. */
function singleDecimalMark(text: string): number {
  const mark = text.includes('.') ? '.' : text.includes(',') ? ',' : ''
  if (!mark) return -1
  const at = text.lastIndexOf(mark)
  const occurrences = text.split(mark).length - 1
  const after = text.length - at - 1
  if (occurrences === 1 && after === 3 && /^[1-9]\d{0,2}$/.test(text.slice(0, at))) return -1
  return occurrences === 1 ? at : -1
}

/** Cents shown back in a form field without grouping, with the language's decimal mark: 150050 → "1500,50". */
export function centsToInput(cents: number, lang: Lang): string {
  const whole = Math.floor(cents / 100)
  const rest = cents % 100
  if (rest === 0) return String(whole)
  return `${whole}${language(lang).decimal}${String(rest).padStart(2, '0')}`
}
