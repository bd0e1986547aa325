import { strToU8, zipSync, type Zippable } from 'fflate'
import { toCsv } from '../../csv.js'

export function votingUrl(publicUrl: string, slug: string, code: string): string {
  return `${publicUrl}/rounds/${encodeURIComponent(slug)}/vote?code=${encodeURIComponent(code)}`
}

/** The mail-merge file. The byte order mark makes spreadsheet programs read it as UTF-8. */
export function codesCsv(codes: readonly string[], group: string | null, urlOf: (code: string) => string): string {
  return toCsv(
    ['code', 'group', 'voting_url'],
    codes.map((code) => [code, group ?? '', urlOf(code)]),
    { bom: true },
  )
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/** The one-time download: codes.csv, the letter's text, and with `withQr` one SVG per code that points to its voting page. */
export async function codesZip(
  codes: readonly string[],
  group: string | null,
  urlOf: (code: string) => string,
  withQr: boolean,
  letter: string,
): Promise<Uint8Array> {
  const files: Zippable = {
    'codes.csv': strToU8(codesCsv(codes, group, urlOf)),
    'letter.txt': strToU8(`\uFEFF${letter}`),
  }
  if (withQr) {
    const { default: QRCode } = await import('qrcode')
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
