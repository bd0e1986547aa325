import type { Db } from '../../db/client.js'
import { upsertTranslation } from '../data/proposal-translations.js'
import { upsertTextTranslation } from '../data/text-translations.js'
import { bumpContentVersion } from '../data/rounds.js'
import type { TranslatedText } from '../domain/proposals/translation.js'
import { sourceHash, type TextRef } from '../domain/translations/texts.js'
import type { Lang } from '../languages.js'

type Translator = { id: number; email: string }

/**
 * A language coach or moderator adds (or corrects) a proposal's title, summary and description in
 * one language, stamped with the fingerprint of the original it was made from.
 */
export async function translateProposal(
  db: Db,
  input: {
    proposal: { id: number; roundId: number; title: string; summary: string; description: string }
    lang: Lang
    text: TranslatedText
    official: Translator
    now: Date
  },
): Promise<void> {
  const { proposal, lang, text, official, now } = input
  const hash = sourceHash(proposal.title, proposal.summary, proposal.description)
  await db.transaction(async (tx) => {
    await bumpContentVersion(tx, proposal.roundId)
    await upsertTranslation(tx, { proposalId: proposal.id, lang, text, sourceHash: hash, official, now })
  })
}

/** The same for an official's words: a decision's message, the round's description or help desk hours, a progress update. */
export async function translateText(
  db: Db,
  input: { roundId: number; ref: TextRef; original: string; lang: Lang; text: string; official: Translator; now: Date },
): Promise<void> {
  const { roundId, ref, original, lang, text, official, now } = input
  await db.transaction(async (tx) => {
    await bumpContentVersion(tx, roundId)
    await upsertTextTranslation(tx, { roundId, ref, lang, text, sourceHash: sourceHash(original), official, now })
  })
}
