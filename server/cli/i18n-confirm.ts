/**
 * Records that a translation matches today's Dutch: run it after retranslating (or checking) texts
 * whose Dutch changed. `npm run i18n:confirm -- tr vote.knapsackIntro proposals.new.intro` confirms
 * those texts; `npm run i18n:confirm -- tr --all` confirms every Turkish text (after a full review).
 */
import { writeFileSync } from 'node:fs'
import { loadLanguage } from '../i18n.js'
import { confirm, readRecorded, recordFile, sourceHashes, staleKeys } from '../i18n-sources.js'
import { DEFAULT_LANG, isLang } from '../languages.js'

const [lang, ...texts] = process.argv.slice(2)
const all = texts.includes('--all')
if (!isLang(lang) || lang === DEFAULT_LANG || (!all && texts.length === 0)) {
  console.error('usage: npm run i18n:confirm -- <language> <text key>… | --all   (not nl: Dutch is the source)')
  process.exit(2)
}
const translation = loadLanguage(lang)
const sources = sourceHashes(loadLanguage(DEFAULT_LANG))
const recorded = confirm(translation, readRecorded(lang), sources, all ? [] : texts)
writeFileSync(recordFile(lang), `${JSON.stringify(recorded, null, 2)}\n`)
const stale = staleKeys(translation, recorded, sources)
console.log(`${lang}: ${all ? 'every text' : texts.join(', ')} confirmed; still stale: ${stale.join(', ') || 'none'}`)
