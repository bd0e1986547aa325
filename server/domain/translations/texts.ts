import { sha256 } from '../common/digest.js'
import { hasFormControl } from '../common/text.js'
import { DEFAULT_LANG, isLang, type Lang } from '../../languages.js'

/**
 * The officials' words a language coach translates, besides proposals: a decision's message
 * (rejection reason, change request, cost justification), the round's description, the help
 * desk's hours, a progress update on a funded project; and the conversation on a proposal (a
 * resident's comment or question, an answer), in whatever language it was written.
 */
export const TEXT_KINDS = ['decision', 'description', 'hours', 'progress', 'comment', 'milestone'] as const
export type TextKind = (typeof TEXT_KINDS)[number]

/** Comments a coach translates: those residents read and those a moderator is about to read, never a rejected one. */
export const TRANSLATED_COMMENTS = ['published', 'waiting'] as const

export function commentIsTranslated(status: string): boolean {
  return (TRANSLATED_COMMENTS as readonly string[]).includes(status)
}

/** Proposals a coach translates: those still open and those on the ballot, never a rejected or merged one. */
export const TRANSLATED_PROPOSALS = ['submitted', 'needs_changes', 'approved'] as const

export function proposalIsTranslated(status: string): boolean {
  return (TRANSLATED_PROPOSALS as readonly string[]).includes(status)
}

/** One text: its kind and the row it belongs to (the event, the round, the progress update). */
export interface TextRef {
  kind: TextKind
  subjectId: number
}

/** Officials write in the municipality's language: their words are translated from Dutch. */
export const OFFICIAL_LANG: Lang = DEFAULT_LANG

/** The round's own texts are one each per round, so their address needs no number. */
const ROUND_TEXTS: readonly TextKind[] = ['description', 'hours']

/** The text's name in an address: `decision-12`, `progress-3`, `description`, `hours`. */
export function textSlug(ref: TextRef): string {
  return ROUND_TEXTS.includes(ref.kind) ? ref.kind : `${ref.kind}-${ref.subjectId}`
}

/** Reads a text's name from an address; a round's own text belongs to `roundId`. */
export function readTextSlug(slug: string, roundId: number): TextRef | null {
  if (slug === 'description' || slug === 'hours') return { kind: slug, subjectId: roundId }
  const match = /^(decision|progress|comment|milestone)-([1-9]\d{0,8})$/.exec(slug)
  return match ? { kind: match[1] as TextKind, subjectId: Number(match[2]) } : null
}

/**
 * The fingerprint of an original as a translation was made from it: stored with the translation,
 * compared with the original's now. Several fields (a proposal's title, summary, description) make one.
 */
export function sourceHash(...fields: readonly string[]): string {
  return sha256(JSON.stringify(fields))
}

/** Whether a stored translation still matches its original: unknown (older rows) counts as out of date. */
export function isCurrent(storedHash: string | null, original: readonly string[]): boolean {
  return storedHash !== null && storedHash === sourceHash(...original)
}

export type TextError = 'required' | 'tooLong' | 'invalid' | 'sameLanguage'

/** A translated field, trimmed, or what is wrong with it. */
export function readTranslatedText(value: unknown, limit: number): { text: string } | { error: TextError } {
  if (value !== undefined && typeof value !== 'string') return { error: 'invalid' }
  const text = (value ?? '').trim()
  if (text === '') return { error: 'required' }
  if (hasFormControl(text)) return { error: 'invalid' }
  return [...text].length > limit ? { error: 'tooLong' } : { text }
}

/** The language to translate into: a supported one, not the original's own. */
export function readTargetLanguage(value: unknown, originalLang: Lang): { lang: Lang } | { error: TextError } {
  if (!isLang(value)) return { error: 'invalid' }
  return value === originalLang ? { error: 'sameLanguage' } : { lang: value }
}

/** An official's text as a reader of `pageLang` sees it: the translation where one exists, marked, the original one tap away. */
export interface ShownText {
  text: string
  /** The language the shown text is in (for the element's lang attribute). */
  lang: Lang
  /** Set when a translation is shown: the original, and whether the original changed since. */
  translated: { original: string; originalLang: Lang; outdated: boolean } | null
}

export function showText(
  original: string,
  translation: { text: string; sourceHash: string | null } | undefined,
  pageLang: Lang,
  originalLang: Lang = OFFICIAL_LANG,
): ShownText {
  if (!translation || pageLang === originalLang) return { text: original, lang: originalLang, translated: null }
  return {
    text: translation.text,
    lang: pageLang,
    translated: { original, originalLang, outdated: !isCurrent(translation.sourceHash, [original]) },
  }
}
