import type { Db } from '../../../db/client.js'
import { translationsIn } from '../../data/proposal-translations.js'
import { localise, writtenIn } from '../../domain/proposals/translation.js'
import type { Lang } from '../../languages.js'

/** Proposals as a reader of `lang` sees them (see localise): the translations they need come in one query. */
export async function localised<T extends { id: number; title: string; summary: string; lang: string }>(
  db: Db,
  rows: readonly T[],
  lang: Lang,
) {
  const translations = await translationsIn(
    db,
    rows.filter((r) => writtenIn(r.lang) !== lang).map((r) => r.id),
    lang,
  )
  return rows.map((row) => localise(row, translations, lang))
}
