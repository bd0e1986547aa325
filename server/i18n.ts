import { readdirSync, readFileSync } from 'node:fs'

export const LANGUAGES = ['nl', 'en'] as const
export type Lang = (typeof LANGUAGES)[number]
export const DEFAULT_LANG: Lang = 'nl'

export type Messages = Record<string, string>

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

function flatten(tree: Record<string, unknown>, prefix = '', out: Messages = {}): Messages {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out[path] = value
    else flatten(value as Record<string, unknown>, path, out)
  }
  return out
}

/** Each language is a folder of JSON files (one per area of the product), merged into one table. */
export function loadMessages(): Record<Lang, Messages> {
  const load = (lang: Lang) => {
    const folder = new URL(`../views/locales/${lang}/`, import.meta.url)
    const messages: Messages = {}
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
      for (const [key, text] of Object.entries(flatten(JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Record<string, unknown>))) {
        if (key in messages) throw new Error(`translation key ${key} is defined twice in views/locales/${lang}`)
        messages[key] = text
      }
    }
    return messages
  }
  return { nl: load('nl'), en: load('en') }
}

/** A missing key shows itself rather than failing a page; a test keeps the files complete. */
export function translate(messages: Messages, key: string, vars: Record<string, unknown> = {}): string {
  const template = messages[key]
  if (template === undefined) return key
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match))
}
