import { DEFAULT_LANG, isLang, language, type Lang } from '../../languages.js'
import { TEXT_LIMITS } from './rules.js'
import { hasFormControl } from '../common/text.js'

/** A proposal's title and summary in another supported language, written by a language coach or moderator. */
export interface TranslatedText {
  title: string
  summary: string
}

export type TranslationField = 'lang' | 'title' | 'summary'
export type TranslationError = 'required' | 'tooLong' | 'invalid' | 'sameLanguage'
export type TranslationErrors = Partial<Record<TranslationField, TranslationError>>

/** A field's text, trimmed, or what is wrong with it. */
function readText(value: unknown, limit: number): { text: string } | { error: TranslationError } {
  if (value !== undefined && typeof value !== 'string') return { error: 'invalid' }
  const text = (value ?? '').trim()
  if (text === '') return { error: 'required' }
  if (hasFormControl(text)) return { error: 'invalid' }
  return [...text].length > limit ? { error: 'tooLong' } : { text }
}

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
  if ('error' in title) errors.title = title.error
  const summary = readText(form.summary, TEXT_LIMITS.summary)
  if ('error' in summary) errors.summary = summary.error
  if (!isLang(lang) || 'error' in title || 'error' in summary || Object.keys(errors).length > 0) return { errors }
  return { lang, text: { title: title.text, summary: summary.text } }
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
