import type { Db } from '../../db/client.js'
import { upsertTranslation } from '../data/proposal-translations.js'
import { bumpContentVersion } from '../data/rounds.js'
import type { TranslatedText } from '../domain/proposals/translation.js'
import type { Lang } from '../languages.js'

/** A language coach or moderator adds (or corrects) a proposal's title and summary in one language. */
export async function translateProposal(
  db: Db,
  input: {
    proposal: { id: number; roundId: number }
    lang: Lang
    text: TranslatedText
    official: { id: number; email: string }
    now: Date
  },
): Promise<void> {
  const { proposal, lang, text, official, now } = input
  await db.transaction(async (tx) => {
    await bumpContentVersion(tx, proposal.roundId)
    await upsertTranslation(tx, { proposalId: proposal.id, lang, text, official, now })
  })
}
