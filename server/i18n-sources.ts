import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { Messages } from './i18n.js'
import type { Lang } from './languages.js'
import { fromRoot } from './paths.js'

/**
 * Which Dutch wording each translation was made from. Every language but Dutch keeps, per text, a
 * short hash of the Dutch source in views/locales/<lang>/.sources.json; when the Dutch changes, the
 * hash no longer matches and the translation is stale until a translator retranslates or confirms it
 * (`npm run i18n:confirm`). A plural text's forms count as one text: changing one form changes them all.
 */
export type Recorded = Record<string, string>

const PLURAL = /_(zero|one|two|few|many|other)$/
const baseKey = (key: string) => key.replace(PLURAL, '')

export function sourceHashes(dutch: Messages): Recorded {
  const forms = new Map<string, string[]>()
  for (const key of Object.keys(dutch).sort()) {
    const base = baseKey(key)
    forms.set(base, [...(forms.get(base) ?? []), `${key}=${dutch[key]}`])
  }
  return Object.fromEntries(
    [...forms].map(([base, texts]) => [base, createHash('sha256').update(texts.join('\n')).digest('hex').slice(0, 12)]),
  )
}

/** The texts of a translation whose Dutch source changed, or was never recorded, since it was translated. */
export function staleKeys(translation: Messages, recorded: Recorded, sources: Recorded): string[] {
  const texts = new Set(Object.keys(translation).map(baseKey))
  return [...texts].filter((text) => text in sources && recorded[text] !== sources[text]).sort()
}

/** The record after a translator confirmed `texts` (all of the translation's texts when none are named). */
export function confirm(translation: Messages, recorded: Recorded, sources: Recorded, texts: string[]): Recorded {
  const unknown = texts.filter((text) => !(text in sources))
  if (unknown.length > 0) throw new Error(`no Dutch text ${unknown.join(', ')}`)
  const chosen = texts.length > 0 ? texts : Object.keys(translation).map(baseKey)
  const next: Recorded = { ...recorded }
  for (const text of chosen) if (text in sources) next[text] = sources[text]!
  // Texts Dutch no longer has leave the record with them; sorted, so a change shows as a small diff.
  return Object.fromEntries(
    Object.entries(next)
      .filter(([text]) => text in sources)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  )
}

export const recordFile = (lang: Lang): URL => fromRoot(`views/locales/${lang}/.sources.json`)

export function readRecorded(lang: Lang): Recorded {
  const file = recordFile(lang)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Recorded) : {}
}
