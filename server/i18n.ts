import { existsSync, readdirSync, readFileSync } from 'node:fs'
import i18next, { type i18n } from 'i18next'
import { formatAmount, formatNumber } from './formatters.js'
import { DEFAULT_LANG, language, LANGUAGES, type Lang } from './languages.js'
import { fromRoot } from './paths.js'

export { DEFAULT_LANG, isLang, LANGUAGES, type Lang } from './languages.js'

export type Messages = Record<string, string>

const LOCALES = fromRoot('views/locales/')

function flatten(tree: Record<string, unknown>, prefix = '', out: Messages = {}): Messages {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out[path] = value
    else flatten(value as Record<string, unknown>, path, out)
  }
  return out
}

/** One language's folder of JSON files (one per area of the product), merged into one flat table. */
export function loadLanguage(lang: string): Messages {
  const folder = new URL(`${lang}/`, LOCALES)
  const messages: Messages = {}
  if (!existsSync(folder)) return messages
  // .sources.json beside the texts records what they were translated from; it holds no texts.
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .sort()) {
    for (const [key, text] of Object.entries(
      flatten(JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Record<string, unknown>),
    )) {
      if (key in messages) throw new Error(`translation key ${key} is defined twice in views/locales/${lang}`)
      messages[key] = text
    }
  }
  return messages
}

/** Enough for every text of every page in every language, and the figures of a few rounds. */
const MAX_KEPT = 20_000

export type Translate = (lang: Lang, key: string, vars?: Record<string, unknown>) => string

/**
 * Values every text may use, written the way the language's pages write them: money examples in
 * hints and errors ("for example 2500 or {amountExample}") follow the page's own notation.
 */
const standing = Object.fromEntries(
  LANGUAGES.map((lang) => [
    lang,
    { amountExample: formatAmount(250_050, lang), budgetExample: formatNumber(100_000, lang) },
  ]),
) as Record<string, Record<string, string>>

/**
 * i18next over every configured language, with plural rules from Intl ("{count}" keys carry
 * `_one`, `_other`, … suffixes) and Dutch for any key a language lacks. Placeholders keep the
 * single-brace `{name}` form the translators know; values are escaped by Handlebars, not here.
 */
export function createTranslator(onMissing: (lang: Lang, key: string) => void = () => {}): Translate {
  const instance: i18n = i18next.createInstance()
  // i18next takes its plural rules from the language's code: it knows each language by its Intl locale,
  // so Portuguese counts as in Portugal (pt-PT: "0 dias"), not as in Brazil (pt: "0 dia").
  const locale = (lang: Lang) => language(lang).intl
  const resources = Object.fromEntries(LANGUAGES.map((lang) => [locale(lang), { translation: loadLanguage(lang) }]))
  // Synchronous with initAsync: false and resources given; the promise it also returns has nothing to wait for.
  void instance.init({
    resources,
    lng: locale(DEFAULT_LANG),
    fallbackLng: locale(DEFAULT_LANG),
    supportedLngs: LANGUAGES.map(locale),
    keySeparator: false,
    nsSeparator: false,
    interpolation: { prefix: '{', suffix: '}', escapeValue: false },
    returnNull: false,
    initAsync: false,
  })
  const fixed = new Map(LANGUAGES.map((lang) => [lang, instance.getFixedT(locale(lang))]))
  const made = new Map<string, string>()
  return (lang, key, vars = {}) => {
    // i18next copies its whole options object on every call (a seventh of a busy page's CPU in bench:pages),
    // while a page asks for the same few hundred texts again and again: each is made once, then kept.
    const id = `${lang}\u0000${key}\u0000${JSON.stringify(vars)}`
    let text = made.get(id)
    if (text !== undefined) return text
    if (!instance.exists(key, { lng: locale(DEFAULT_LANG), ...vars })) onMissing(lang, key)
    // The plural form is chosen from the number; the text shows it formatted for the language.
    const values = { ...standing[lang], ...vars }
    const count =
      typeof vars.count === 'number'
        ? { count: vars.count, replace: { ...values, count: formatNumber(vars.count, lang) } }
        : values
    text = fixed.get(lang)!(key, count)
    // Texts that quote user input or figures are many: the store starts afresh rather than grow without end.
    if (made.size >= MAX_KEPT) made.clear()
    made.set(id, text)
    return text
  }
}
