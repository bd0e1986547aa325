import { and, asc, eq, sql } from 'drizzle-orm'
import { integerArray, preparedPer, type Db } from '../../db/client.js'
import { officials, proposals, proposalTranslations } from '../../db/schema.js'
import type { StoredTranslation, TranslatedText } from '../domain/proposals/translation.js'
import type { Lang } from '../languages.js'
import { appendAudit } from './audit.js'

/**
 * The translations into one language of the given proposals, by proposal id, each with its
 * proposal's own text now (to tell whether it is out of date): one query for a whole page.
 */
const translationsOf = preparedPer((db) =>
  db
    .select({
      proposalId: proposalTranslations.proposalId,
      title: proposalTranslations.title,
      summary: proposalTranslations.summary,
      description: proposalTranslations.description,
      sourceHash: proposalTranslations.sourceHash,
      originalTitle: proposals.title,
      originalSummary: proposals.summary,
      originalDescription: proposals.description,
    })
    .from(proposalTranslations)
    .innerJoin(proposals, eq(proposals.id, proposalTranslations.proposalId))
    .where(
      and(
        sql`${proposalTranslations.proposalId} = any(${sql.placeholder('ids')}::integer[])`,
        eq(proposalTranslations.lang, sql.placeholder('lang')),
      ),
    )
    .prepare('translations_of'),
)

export async function translationsIn(
  db: Db,
  proposalIds: readonly number[],
  lang: Lang,
): Promise<Map<number, StoredTranslation>> {
  if (proposalIds.length === 0) return new Map()
  const rows = await translationsOf(db).execute({ ids: integerArray(proposalIds), lang })
  return new Map(
    rows.map((r) => [
      r.proposalId,
      {
        title: r.title,
        summary: r.summary,
        description: r.description,
        sourceHash: r.sourceHash,
        original: [r.originalTitle, r.originalSummary, r.originalDescription],
      },
    ]),
  )
}

/** Every translation of one proposal, with who wrote it, for the translation page. */
export function listTranslations(db: Db, proposalId: number) {
  return db
    .select({
      lang: proposalTranslations.lang,
      title: proposalTranslations.title,
      summary: proposalTranslations.summary,
      description: proposalTranslations.description,
      sourceHash: proposalTranslations.sourceHash,
      updatedAt: proposalTranslations.updatedAt,
      by: officials.name,
    })
    .from(proposalTranslations)
    .leftJoin(officials, eq(officials.id, proposalTranslations.officialId))
    .where(eq(proposalTranslations.proposalId, proposalId))
    .orderBy(asc(proposalTranslations.lang))
}

/** Every proposal translation in a round, with what the needs-translation list asks of it. */
export function roundProposalTranslations(db: Db, roundId: number) {
  return db
    .select({
      proposalId: proposalTranslations.proposalId,
      lang: proposalTranslations.lang,
      sourceHash: proposalTranslations.sourceHash,
      description: proposalTranslations.description,
    })
    .from(proposalTranslations)
    .innerJoin(proposals, eq(proposals.id, proposalTranslations.proposalId))
    .where(eq(proposals.roundId, roundId))
}

/**
 * Adds or replaces the translation of a proposal into one language, audited with the text before
 * and after. Call inside the translation's transaction.
 */
export async function upsertTranslation(
  tx: Db,
  input: {
    proposalId: number
    lang: Lang
    text: TranslatedText
    sourceHash: string
    official: { id: number; email: string }
    now: Date
  },
): Promise<void> {
  const { proposalId, lang, text, sourceHash, official, now } = input
  const [before] = await tx
    .select({
      title: proposalTranslations.title,
      summary: proposalTranslations.summary,
      description: proposalTranslations.description,
    })
    .from(proposalTranslations)
    .where(and(eq(proposalTranslations.proposalId, proposalId), eq(proposalTranslations.lang, lang)))
  await tx
    .insert(proposalTranslations)
    .values({ proposalId, lang, ...text, sourceHash, officialId: official.id, updatedAt: now })
    .onConflictDoUpdate({
      target: [proposalTranslations.proposalId, proposalTranslations.lang],
      set: { ...text, sourceHash, officialId: official.id, updatedAt: now },
    })
  await appendAudit(tx, {
    officialId: official.id,
    actor: official.email,
    action: 'proposal.translate',
    object: `proposal:${proposalId}`,
    details: { lang, old: before ?? null, new: text },
  })
}
