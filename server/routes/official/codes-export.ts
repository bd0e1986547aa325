import { strToU8, zipSync, type Zippable } from 'fflate'
import QRCode from 'qrcode'

export const MAX_CODES = 100_000
/** A QR image takes about a millisecond: 5,000 keep the download within seconds (measured: 100,000 took 2 minutes, 1.4 GB of memory, an 81 MB file). */
export const MAX_QR_CODES = 5_000
export const MAX_GROUP_LENGTH = 40

/** A whole number of letters, as an official types it: "2500", "2.500", "2,500" or "2 500". */
export function parseCodeCount(typed: string): number | null {
  const trimmed = typed.trim()
  if (!/^\d{1,3}([.,\s]\d{3})*$/.test(trimmed) && !/^\d{1,6}$/.test(trimmed)) return null
  const n = Number(trimmed.replace(/[.,\s]/g, ''))
  return n >= 1 && n <= MAX_CODES ? n : null
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

/** RFC 4180 quoting: a field with a comma, quote or line break goes between quotes, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export function votingUrl(publicUrl: string, slug: string, code: string): string {
  return `${publicUrl}/rounds/${encodeURIComponent(slug)}/vote?code=${encodeURIComponent(code)}`
}

/** The mail-merge file. The byte order mark makes spreadsheet programs read it as UTF-8. */
export function codesCsv(codes: readonly string[], group: string | null, urlOf: (code: string) => string): string {
  const lines = ['code,group,voting_url']
  for (const code of codes) lines.push([code, group ?? '', urlOf(code)].map(csvField).join(','))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/** The one-time download: codes.csv, and with `withQr` one SVG per code that points to its voting page. */
export async function codesZip(codes: readonly string[], group: string | null, urlOf: (code: string) => string, withQr: boolean): Promise<Uint8Array> {
  const files: Zippable = { 'codes.csv': strToU8(codesCsv(codes, group, urlOf)) }
  if (withQr) {
    const qr: Zippable = {}
    for (const [i, code] of codes.entries()) {
      qr[`${code}.svg`] = strToU8(await QRCode.toString(urlOf(code), { type: 'svg', errorCorrectionLevel: 'M' }))
      // Other requests get their turn while a large batch is drawn.
      if (i % 200 === 199) await nextTurn()
    }
    files.qr = qr
  }
  return zipSync(files, { level: 6 })
}
