import type { Db } from '../../../db/client.js'
import type { Round } from '../../data/rounds.js'
import { textKey, textTranslationsIn, type StoredText } from '../../data/text-translations.js'
import { OFFICIAL_LANG, showText, type ShownText, type TextRef } from '../../domain/translations/texts.js'
import type { Lang } from '../../languages.js'
import { helpDeskView } from './round-view.js'

/**
 * How a page shows one text: its original, or the translation into the page's language. Officials'
 * words are Dutch; a comment passes the language its writer wrote in.
 */
export type ShowText = (ref: TextRef, original: string, originalLang?: Lang) => ShownText

/**
 * The translated words of a round as a reader of `lang` sees them: every translation they need in
 * one query. A Dutch reader needs none of the officials' texts, but may need a comment's.
 */
export async function officialTexts(
  db: Db,
  roundId: number,
  lang: Lang,
  options: { comments?: boolean } = {},
): Promise<ShowText> {
  const translations =
    lang === OFFICIAL_LANG && !options.comments
      ? new Map<string, StoredText>()
      : await textTranslationsIn(db, roundId, lang)
  return (ref, original, originalLang = OFFICIAL_LANG) =>
    showText(original, translations.get(textKey(ref)), lang, originalLang)
}

/** The round's description and help desk in the reader's language where a coach translated them. */
export function localisedRoundTexts(round: Round, show: ShowText) {
  const desk = helpDeskView(round.helpDesk)
  return {
    description: round.description ? show({ kind: 'description', subjectId: round.id }, round.description) : null,
    helpDesk: desk && {
      ...desk,
      hoursShown: desk.hours ? show({ kind: 'hours', subjectId: round.id }, desk.hours) : null,
    },
  }
}
