import { DEFAULT_LANG, isLang, language, type Lang } from '../../languages.js'
import { TEXT_LIMITS } from './rules.js'
import { isCurrent, readTargetLanguage, readTranslatedText, type TextError } from '../translations/texts.js'

/** A proposal's title, summary and description in another supported language, written by a language coach or moderator. */
export interface TranslatedText {
  title: string
  summary: string
  description: string
}

/** A stored translation as pages read it: the description may be missing (older rows), and the original it was made from. */
export interface StoredTranslation {
  title: string
  summary: string
  description: string | null
  sourceHash: string | null
  /** The proposal's own title, summary and description now, to tell whether the translation is still of them. */
  original: readonly [string, string, string]
}

export type TranslationField = 'lang' | 'title' | 'summary' | 'description'
export type TranslationError = TextError
export type TranslationErrors = Partial<Record<TranslationField, TranslationError>>

/** Reads the translation form; a translation into the language the proposal was written in is refused. */
export function readTranslationForm(
  form: Partial<Record<TranslationField, unknown>>,
  originalLang: string,
): { lang: Lang; text: TranslatedText } | { errors: TranslationErrors } {
  const errors: TranslationErrors = {}
  const lang = readTargetLanguage(form.lang, writtenIn(originalLang))
  if ('error' in lang) errors.lang = lang.error
  const fields = (['title', 'summary', 'description'] as const).map((field) => {
    const read = readTranslatedText(form[field], TEXT_LIMITS[field])
    if ('error' in read) errors[field] = read.error
    return 'text' in read ? read.text : ''
  })
  if ('error' in lang || Object.keys(errors).length > 0) return { errors }
  const [title = '', summary = '', description = ''] = fields
  return { lang: lang.lang, text: { title, summary, description } }
}

/** The language a proposal was written in; older rows and unknown values count as Dutch. */
export function writtenIn(lang: string | null | undefined): Lang {
  return isLang(lang) ? lang : DEFAULT_LANG
}

/**
 * A proposal as a reader of `pageLang` sees it: the translation into their language where one
 * exists, marked as a language coach's, out of date when the submitter changed their text since,
 * with the original one tap away; otherwise the original, which carries its own language so a
 * screen reader pronounces it right (WCAG 3.1.2). The description is translated only on the rows
 * that carry one (a proposal's own page), and only where the translation has one.
 */
export function localise<T extends { id: number; title: string; summary: string; lang: string; description?: string }>(
  proposal: T,
  translations: ReadonlyMap<number, StoredTranslation>,
  pageLang: Lang,
) {
  const original = writtenIn(proposal.lang)
  const translated = original === pageLang ? undefined : translations.get(proposal.id)
  const descriptionLang: Lang = translated?.description ? pageLang : original
  if (!translated) return { ...proposal, textLang: original, descriptionLang, original: null }
  return {
    ...proposal,
    title: translated.title,
    summary: translated.summary,
    ...(proposal.description !== undefined && translated.description ? { description: translated.description } : {}),
    textLang: pageLang,
    descriptionLang,
    original: {
      title: proposal.title,
      summary: proposal.summary,
      description: proposal.description !== undefined && translated.description ? proposal.description : null,
      lang: original,
      name: language(original).name,
      outdated: !isCurrent(translated.sourceHash, translated.original),
    },
  }
}
