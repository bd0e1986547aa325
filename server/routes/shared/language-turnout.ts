import { languageShares } from '../../domain/voting/turnout.js'
import { isLang, language } from '../../languages.js'

/** Online ballots per language of the voting page, each named in its own language, for the officials' and the public turnout. */
export function languageTurnoutRows(rows: readonly { lang: string; ballots: number }[]) {
  return languageShares(rows).map((row) => ({
    ...row,
    code: row.lang,
    name: isLang(row.lang) ? language(row.lang).name : row.lang,
  }))
}
