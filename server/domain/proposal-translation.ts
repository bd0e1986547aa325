import { DEFAULT_LANG, isLang, language, type Lang } from '../languages.js'
import { TEXT_LIMITS } from './proposal-rules.js'

/** A proposal's title and summary in another supported language, written by a language coach or moderator. */
export interface TranslatedText {
  title: string
  summary: string
}

export type TranslationField = 'lang' | 'title' | 'summary'
export type TranslationError = 'required' | 'tooLong' | 'invalid' | 'sameLanguage'
export type TranslationErrors = Partial<Record<TranslationField, TranslationError>>

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

function readText(value: unknown, limit: number): string | TranslationError {
  if (value !== undefined && typeof value !== 'string') return 'invalid'
  const text = (value ?? '').trim()
  if (text === '') return 'required'
  if (CONTROL.test(text)) return 'invalid'
  return [...text].length > limit ? 'tooLong' : text
}

const ERRORS = new Set<string>(['required', 'tooLong', 'invalid'])

/** Reads the translation form; a translation into the language the proposal was written in is refused. */
export function readTranslationForm(
  form: Partial<Record<TranslationField, unknown>>,
  originalLang: string,
): { lang: Lang; text: TranslatedText } | { errors: TranslationErrors } {
  const errors: TranslationErrors = {}
  const lang = form.lang
  if (!isLang(lang)) errors.lang = 'invalid'
  else if (lang === originalLang) errors.lang = 'sameLanguage'
  const title = readText(form.title, TEXT_LIMITS.title)
  if (ERRORS.has(title)) errors.title = title as TranslationError
  const summary = readText(form.summary, TEXT_LIMITS.summary)
  if (ERRORS.has(summary)) errors.summary = summary as TranslationError
  if (Object.keys(errors).length > 0) return { errors }
  return { lang: lang as Lang, text: { title, summary } }
}

/** The language a proposal was written in; older rows and unknown values count as Dutch. */
export function writtenIn(lang: string | null | undefined): Lang {
  return isLang(lang) ? lang : DEFAULT_LANG
}

/**
 * A proposal as a reader of `pageLang` sees it: the translation into their language where one
 * exists, marked with its language and the original one tap away; otherwise the original, which
 * carries its own language so a screen reader pronounces it right (WCAG 3.1.2).
 */
export function localise<T extends { id: number; title: string; summary: string; lang: string }>(
  proposal: T,
  translations: ReadonlyMap<number, TranslatedText>,
  pageLang: Lang,
) {
  const original = writtenIn(proposal.lang)
  const translated = original === pageLang ? undefined : translations.get(proposal.id)
  if (!translated) return { ...proposal, textLang: original, original: null }
  return {
    ...proposal,
    title: translated.title,
    summary: translated.summary,
    textLang: pageLang,
    original: { title: proposal.title, summary: proposal.summary, lang: original, name: language(original).name },
  }
}
