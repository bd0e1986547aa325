import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import { preparedPer, type Db } from '../../db/client.js'
import {
  comments,
  milestones,
  officials,
  progressUpdates,
  proposalEvents,
  proposals,
  textTranslations,
} from '../../db/schema.js'
import { TRANSLATED_COMMENTS, type TextRef } from '../domain/translations/texts.js'
import type { Lang } from '../languages.js'
import { appendAudit } from './audit.js'

/** A text's translation as pages read it. */
export interface StoredText {
  text: string
  sourceHash: string
}

/** The key a page looks a text's translation up by. */
export function textKey(ref: TextRef): string {
  return `${ref.kind}:${ref.subjectId}`
}

const roundTranslationsInto = preparedPer((db) =>
  db
    .select({
      kind: textTranslations.kind,
      subjectId: textTranslations.subjectId,
      text: textTranslations.text,
      sourceHash: textTranslations.sourceHash,
    })
    .from(textTranslations)
    .where(
      and(eq(textTranslations.roundId, sql.placeholder('roundId')), eq(textTranslations.lang, sql.placeholder('lang'))),
    )
    .prepare('text_translations_into'),
)

/** Every official text of a round translated into `lang`, by textKey: one query for a whole page. */
export async function textTranslationsIn(db: Db, roundId: number, lang: Lang): Promise<Map<string, StoredText>> {
  const rows = await roundTranslationsInto(db).execute({ roundId, lang })
  return new Map(rows.map((r) => [textKey(r), { text: r.text, sourceHash: r.sourceHash }]))
}

/** Which official texts of a round are translated into which language, for the needs-translation list. */
export function roundTextTranslations(db: Db, roundId: number) {
  return db
    .select({
      kind: textTranslations.kind,
      subjectId: textTranslations.subjectId,
      lang: textTranslations.lang,
      sourceHash: textTranslations.sourceHash,
    })
    .from(textTranslations)
    .where(eq(textTranslations.roundId, roundId))
}

/** Every translation of one text, with who wrote it, for its translation page. */
export function listTextTranslations(db: Db, ref: TextRef) {
  return db
    .select({
      lang: textTranslations.lang,
      text: textTranslations.text,
      sourceHash: textTranslations.sourceHash,
      updatedAt: textTranslations.updatedAt,
      by: officials.name,
    })
    .from(textTranslations)
    .leftJoin(officials, eq(officials.id, textTranslations.officialId))
    .where(and(eq(textTranslations.kind, ref.kind), eq(textTranslations.subjectId, ref.subjectId)))
    .orderBy(asc(textTranslations.lang))
}

/** The decisions of a round's proposals that carry an official's message. */
export function roundDecisions(db: Db, roundId: number) {
  return db
    .select({
      id: proposalEvents.id,
      proposalId: proposalEvents.proposalId,
      kind: proposalEvents.kind,
      message: sql<string>`${proposalEvents.message}`,
    })
    .from(proposalEvents)
    .innerJoin(proposals, eq(proposals.id, proposalEvents.proposalId))
    .where(and(eq(proposals.roundId, roundId), isNotNull(proposalEvents.message), isNotNull(proposalEvents.officialId)))
    .orderBy(asc(proposalEvents.at), asc(proposalEvents.id))
}

/** The progress updates of a round's projects. */
export function roundProgress(db: Db, roundId: number) {
  return db
    .select({ id: progressUpdates.id, proposalId: progressUpdates.proposalId, text: progressUpdates.text })
    .from(progressUpdates)
    .innerJoin(proposals, eq(proposals.id, progressUpdates.proposalId))
    .where(eq(proposals.roundId, roundId))
    .orderBy(asc(progressUpdates.on), asc(progressUpdates.id))
}

/** The milestones of a round's funded projects. */
export function roundMilestones(db: Db, roundId: number) {
  return db
    .select({ id: milestones.id, proposalId: milestones.proposalId, title: milestones.title })
    .from(milestones)
    .innerJoin(proposals, eq(proposals.id, milestones.proposalId))
    .where(eq(proposals.roundId, roundId))
    .orderBy(asc(milestones.plannedOn), asc(milestones.id))
}

/** The comments and answers of a round that residents read or a moderator is about to read. */
export function roundComments(db: Db, roundId: number) {
  return db
    .select({ id: comments.id, proposalId: comments.proposalId, lang: comments.lang, text: comments.text })
    .from(comments)
    .where(and(eq(comments.roundId, roundId), inArray(comments.status, [...TRANSLATED_COMMENTS])))
    .orderBy(asc(comments.createdAt), asc(comments.id))
}

/** The proposals of a round with the text a translation is made from. */
export function roundProposalTexts(db: Db, roundId: number) {
  return db
    .select({
      id: proposals.id,
      reference: proposals.reference,
      lang: proposals.lang,
      status: proposals.status,
      title: proposals.title,
      summary: proposals.summary,
      description: proposals.description,
    })
    .from(proposals)
    .where(eq(proposals.roundId, roundId))
    .orderBy(asc(proposals.submittedAt), asc(proposals.id))
}

/**
 * The original words of a decision's message or a progress update, when it belongs to `roundId`
 * (another round's number names nothing here), with the proposal it is about.
 */
export async function findTextSubject(db: Db, roundId: number, ref: TextRef) {
  const about = { id: proposals.id, reference: proposals.reference, title: proposals.title, lang: proposals.lang }
  if (ref.kind === 'decision') {
    const [row] = await db
      .select({ text: proposalEvents.message, kind: proposalEvents.kind, proposal: about })
      .from(proposalEvents)
      .innerJoin(proposals, eq(proposals.id, proposalEvents.proposalId))
      .where(
        and(eq(proposalEvents.id, ref.subjectId), eq(proposals.roundId, roundId), isNotNull(proposalEvents.officialId)),
      )
    return row?.text ? { text: row.text, kind: row.kind, proposal: row.proposal } : undefined
  }
  if (ref.kind === 'progress') {
    const [row] = await db
      .select({ text: progressUpdates.text, proposal: about })
      .from(progressUpdates)
      .innerJoin(proposals, eq(proposals.id, progressUpdates.proposalId))
      .where(and(eq(progressUpdates.id, ref.subjectId), eq(proposals.roundId, roundId)))
    return row ? { ...row, kind: 'progress' as const } : undefined
  }
  if (ref.kind === 'milestone') {
    const [row] = await db
      .select({ text: milestones.title, proposal: about })
      .from(milestones)
      .innerJoin(proposals, eq(proposals.id, milestones.proposalId))
      .where(and(eq(milestones.id, ref.subjectId), eq(proposals.roundId, roundId)))
    return row ? { ...row, kind: 'milestone' as const } : undefined
  }
  if (ref.kind === 'comment') {
    const [row] = await db
      .select({ text: comments.text, lang: comments.lang, status: comments.status, proposal: about })
      .from(comments)
      .innerJoin(proposals, eq(proposals.id, comments.proposalId))
      .where(and(eq(comments.id, ref.subjectId), eq(comments.roundId, roundId)))
    return row ? { ...row, kind: 'comment' as const } : undefined
  }
  return undefined
}

/** The translations of some comments into one language, by comment id: one query for a whole queue. */
export async function commentTranslationsInto(
  db: Db,
  ids: readonly number[],
  lang: Lang,
): Promise<Map<number, StoredText>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({
      subjectId: textTranslations.subjectId,
      text: textTranslations.text,
      sourceHash: textTranslations.sourceHash,
    })
    .from(textTranslations)
    .where(
      and(
        eq(textTranslations.kind, 'comment'),
        inArray(textTranslations.subjectId, [...ids]),
        eq(textTranslations.lang, lang),
      ),
    )
  return new Map(rows.map((r) => [r.subjectId, { text: r.text, sourceHash: r.sourceHash }]))
}

/**
 * Adds or replaces the translation of an official's text into one language, audited with the text
 * before and after. Call inside the translation's transaction.
 */
export async function upsertTextTranslation(
  tx: Db,
  input: {
    roundId: number
    ref: TextRef
    lang: Lang
    text: string
    sourceHash: string
    official: { id: number; email: string }
    now: Date
  },
): Promise<void> {
  const { roundId, ref, lang, text, sourceHash, official, now } = input
  const where = and(
    eq(textTranslations.kind, ref.kind),
    eq(textTranslations.subjectId, ref.subjectId),
    eq(textTranslations.lang, lang),
  )
  const [before] = await tx.select({ text: textTranslations.text }).from(textTranslations).where(where)
  await tx
    .insert(textTranslations)
    .values({ roundId, ...ref, lang, text, sourceHash, officialId: official.id, updatedAt: now })
    .onConflictDoUpdate({
      target: [textTranslations.kind, textTranslations.subjectId, textTranslations.lang],
      set: { text, sourceHash, officialId: official.id, updatedAt: now },
    })
  await appendAudit(tx, {
    officialId: official.id,
    actor: official.email,
    action: 'text.translate',
    object: `round:${roundId}`,
    details: { text: ref, lang, old: before?.text ?? null, new: text },
  })
}
