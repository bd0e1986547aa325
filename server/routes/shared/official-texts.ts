import type { Db } from '../../../db/client.js'
import type { Round } from '../../data/rounds.js'
import { textKey, textTranslationsIn, type StoredText } from '../../data/text-translations.js'
import { OFFICIAL_LANG, showText, type ShownText, type TextRef } from '../../domain/translations/texts.js'
import type { Lang } from '../../languages.js'
import { helpDeskView } from './round-view.js'

/** How a page shows one official text: its original, or the translation into the page's language. */
export type ShowText = (ref: TextRef, original: string) => ShownText

/** The officials' words of a round as a reader of `lang` sees them: every translation they need in one query. */
export async function officialTexts(db: Db, roundId: number, lang: Lang): Promise<ShowText> {
  const translations =
    lang === OFFICIAL_LANG ? new Map<string, StoredText>() : await textTranslationsIn(db, roundId, lang)
  return (ref, original) => showText(original, translations.get(textKey(ref)), lang)
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
