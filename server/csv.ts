import { stringify } from 'csv-stringify/sync'

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) gets a leading
 * apostrophe: a proposal title or a group label must never become a formula on an official's computer.
 */
export function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

/**
 * Every CSV the platform writes: RFC 4180 quoting, CRLF line ends, formulas defused; with a byte order
 * mark where spreadsheet programs must read it as UTF-8 (the mail-merge file).
 */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null)[])[],
  options: { bom?: boolean } = {},
): string {
  return stringify([[...header], ...rows.map((row) => [...row])], {
    bom: options.bom ?? false,
    record_delimiter: '\r\n',
    // A line break inside a field is quoted too, not only the record delimiter itself.
    quoted_match: /[\r\n]/,
    cast: { string: defuse, boolean: String },
  })
}
