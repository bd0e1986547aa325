import { language, LANGUAGES, type Lang } from './languages.js'

/**
 * Money, numbers and dates for a language. An Intl formatter costs far more
 * to build than to use (building one per date was a third of a page's CPU),
 * so each is made once per language and options, then kept.
 */
const TIME_ZONE = 'Europe/Amsterdam'
const locales = Object.fromEntries(LANGUAGES.map((lang) => [lang, language(lang).intl])) as Record<Lang, string>

const made = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
function once<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let format = made.get(key) as T | undefined
  if (!format) {
    format = make()
    made.set(key, format)
  }
  return format
}

export function formatEuro(cents: number, lang: Lang): string {
  const whole = cents % 100 === 0
  const format = once(
    `euro:${lang}:${whole}`,
    () =>
      new Intl.NumberFormat(locales[lang], {
        style: 'currency',
        currency: 'EUR',
        minimumFractionDigits: whole ? 0 : 2,
        maximumFractionDigits: 2,
      }),
  )
  return format.format(cents / 100)
}

export function formatNumber(value: number, lang: Lang): string {
  return once(`number:${lang}`, () => new Intl.NumberFormat(locales[lang])).format(value)
}

/**
 * A number with cents and without a currency sign, as a money field's example ("2.500,50", "2500,50"):
 * the same grouping and decimal mark as the language's pages, which the amount parser reads back.
 */
export function formatAmount(cents: number, lang: Lang): string {
  return once(
    `amount:${lang}`,
    () => new Intl.NumberFormat(locales[lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  ).format(cents / 100)
}

export function formatDateTime(value: Date, lang: Lang): string {
  // The texts write deadlines on the 24-hour clock ("17:00"); Intl gives Arabic a 12-hour one.
  return once(
    `datetime:${lang}`,
    () =>
      new Intl.DateTimeFormat(locales[lang], {
        dateStyle: 'medium',
        timeStyle: 'short',
        hourCycle: 'h23',
        timeZone: TIME_ZONE,
      }),
  ).format(value)
}

/** Dates without a time (phase plans) are calendar days, shown as written. */
export function formatDate(value: string | Date, lang: Lang): string {
  const date = typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value
  return once(
    `date:${lang}`,
    () => new Intl.DateTimeFormat(locales[lang], { dateStyle: 'long', timeZone: TIME_ZONE }),
  ).format(date)
}
