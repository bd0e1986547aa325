import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { integerArray, preparedPer, type Db } from '../../db/client.js'
import { officials, proposalTranslations } from '../../db/schema.js'
import type { TranslatedText } from '../domain/proposals/translation.js'
import type { Lang } from '../languages.js'
import { appendAudit } from './audit.js'

/** The translations into one language of the given proposals, by proposal id: one query for a whole page. */
const translationsOf = preparedPer((db) =>
  db
    .select({
      proposalId: proposalTranslations.proposalId,
      title: proposalTranslations.title,
      summary: proposalTranslations.summary,
    })
    .from(proposalTranslations)
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
): Promise<Map<number, TranslatedText>> {
  if (proposalIds.length === 0) return new Map()
  const rows = await translationsOf(db).execute({ ids: integerArray(proposalIds), lang })
  return new Map(rows.map((r) => [r.proposalId, { title: r.title, summary: r.summary }]))
}

/** Every translation of one proposal, with who wrote it, for the translation page. */
export function listTranslations(db: Db, proposalId: number) {
  return db
    .select({
      lang: proposalTranslations.lang,
      title: proposalTranslations.title,
      summary: proposalTranslations.summary,
      updatedAt: proposalTranslations.updatedAt,
      by: officials.name,
    })
    .from(proposalTranslations)
    .leftJoin(officials, eq(officials.id, proposalTranslations.officialId))
    .where(eq(proposalTranslations.proposalId, proposalId))
    .orderBy(asc(proposalTranslations.lang))
}

/** Which languages each proposal of a list has a translation in. */
export async function translatedLanguages(db: Db, proposalIds: readonly number[]): Promise<Map<number, Set<string>>> {
  const found = new Map<number, Set<string>>()
  if (proposalIds.length === 0) return found
  const rows = await db
    .select({ proposalId: proposalTranslations.proposalId, lang: proposalTranslations.lang })
    .from(proposalTranslations)
    .where(inArray(proposalTranslations.proposalId, [...proposalIds]))
  for (const row of rows) found.set(row.proposalId, (found.get(row.proposalId) ?? new Set()).add(row.lang))
  return found
}

/**
 * Adds or replaces the translation of a proposal into one language, audited with the text before
 * and after. Call inside the translation's transaction.
 */
export async function upsertTranslation(
  tx: Db,
  input: { proposalId: number; lang: Lang; text: TranslatedText; official: { id: number; email: string }; now: Date },
): Promise<void> {
  const { proposalId, lang, text, official, now } = input
  const [before] = await tx
    .select({ title: proposalTranslations.title, summary: proposalTranslations.summary })
    .from(proposalTranslations)
    .where(and(eq(proposalTranslations.proposalId, proposalId), eq(proposalTranslations.lang, lang)))
  await tx
    .insert(proposalTranslations)
    .values({ proposalId, lang, ...text, officialId: official.id, updatedAt: now })
    .onConflictDoUpdate({
      target: [proposalTranslations.proposalId, proposalTranslations.lang],
      set: { ...text, officialId: official.id, updatedAt: now },
    })
  await appendAudit(tx, {
    officialId: official.id,
    actor: official.email,
    action: 'proposal.translate',
    object: `proposal:${proposalId}`,
    details: { lang, old: before ?? null, new: text },
  })
}
