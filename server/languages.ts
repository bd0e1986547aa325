/**
 * The supported languages: adding one is a folder views/locales/<code>/ and one line here.
 * `name` is the language's own name (what its readers look for in the switch); `intl` is the
 * locale handed to Intl for numbers, money and dates; `decimal` is the mark shown in money fields.
 */
export const LANGUAGE_LIST = [
  { code: 'nl', name: 'Nederlands', dir: 'ltr', intl: 'nl-NL', decimal: ',' },
  { code: 'en', name: 'English', dir: 'ltr', intl: 'en-GB', decimal: '.' },
  { code: 'tr', name: 'Türkçe', dir: 'ltr', intl: 'tr-TR', decimal: ',' },
  { code: 'ar', name: 'العربية', dir: 'rtl', intl: 'ar', decimal: '.' },
  { code: 'pl', name: 'Polski', dir: 'ltr', intl: 'pl-PL', decimal: ',' },
  { code: 'pt', name: 'Português', dir: 'ltr', intl: 'pt-PT', decimal: ',' },
] as const

export type Lang = (typeof LANGUAGE_LIST)[number]['code']
export type Language = (typeof LANGUAGE_LIST)[number]
export const LANGUAGES: readonly Lang[] = LANGUAGE_LIST.map((l) => l.code)
export const DEFAULT_LANG: Lang = 'nl'

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

export function language(lang: Lang): Language {
  return LANGUAGE_LIST.find((l) => l.code === lang)!
}

/**
 * The page's language: a `lang` in the link followed (the letter's, or any `?lang=` link: it
 * switches the interface, everywhere, whatever was chosen before), then the choice remembered in
 * the cookie, the browser's Accept-Language, Dutch.
 */
export function chooseLanguage(chosen: unknown, linked: unknown, acceptLanguage: string | undefined): Lang {
  if (isLang(linked)) return linked
  if (isLang(chosen)) return chosen
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LANG
}

/** The supported language the browser ranks highest ("tr-TR,tr;q=0.9,en;q=0.8" → tr). */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined
  const ranked = header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      const weight = q === undefined ? 1 : Number(q.slice(2))
      return { primary: tag.split('-')[0]!.toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index }
    })
  ranked.sort((a, b) => b.weight - a.weight || a.index - b.index)
  return ranked.find((r) => r.weight > 0 && isLang(r.primary))?.primary as Lang | undefined
}
