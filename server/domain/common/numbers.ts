/**
 * A whole number as people write it: "2500", or in groups of three with dots, commas or spaces
 * ("2.500", "2,500", "2 500"). Empty is 'empty'; anything else that is no whole number, 'invalid'.
 * A number too long to hold exactly reads as Infinity, so it is always over a caller's maximum.
 */
export function readWholeNumber(typed: string): number | 'empty' | 'invalid' {
  const text = typed.trim()
  if (text === '') return 'empty'
  if (!/^(\d+|\d{1,3}([.,\s\u00a0]\d{3})+)$/.test(text)) return 'invalid'
  const digits = text.replace(/\D/g, '')
  return digits.length > 15 ? Number.POSITIVE_INFINITY : Number(digits)
}
