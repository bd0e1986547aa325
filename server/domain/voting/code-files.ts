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
