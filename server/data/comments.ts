import { randomBytes } from 'node:crypto'
import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, notInArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { comments, proposals, rounds } from '../../db/schema.js'
import type { CommentAuthor, CommentKind, CommentStatus, RejectReason } from '../domain/conversation/comments.js'

export type Comment = typeof comments.$inferSelect

export interface NewComment {
  roundId: number
  proposalId: number
  parentId: number | null
  kind: CommentKind
  author: CommentAuthor
  officialId: number | null
  displayName: string
  text: string
  lang: string
  /** Officials' answers are public at once; residents' words wait. */
  status: 'waiting' | 'published'
  now: Date
}

export async function insertComment(tx: Db, input: NewComment): Promise<Comment> {
  const waiting = input.status === 'waiting'
  const [row] = await tx
    .insert(comments)
    .values({
      roundId: input.roundId,
      proposalId: input.proposalId,
      parentId: input.parentId,
      kind: input.kind,
      author: input.author,
      officialId: input.officialId,
      displayName: input.displayName,
      text: input.text,
      lang: input.lang,
      token: randomBytes(24).toString('base64url'),
      status: input.status,
      waitingSince: waiting ? input.now : null,
      decidedAt: waiting ? null : input.now,
      decidedBy: waiting ? null : input.officialId,
      createdAt: input.now,
    })
    .returning()
  return row!
}

export async function findComment(db: Db, id: number): Promise<Comment | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id))
  return row
}

export async function findCommentByToken(db: Db, token: string): Promise<Comment | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.token, token))
  return row
}

/** What a thread's first line shows: the proposal it belongs to and its round, for the writer's and the moderator's page. */
export async function findCommentContext(db: Db, comment: Comment) {
  const [row] = await db
    .select({
      reference: proposals.reference,
      proposalTitle: proposals.title,
      proposalLang: proposals.lang,
      roundId: rounds.id,
      roundSlug: rounds.slug,
      roundTitle: rounds.title,
      phase: rounds.phase,
    })
    .from(proposals)
    .innerJoin(rounds, eq(rounds.id, proposals.roundId))
    .where(eq(proposals.id, comment.proposalId))
  return row!
}

/**
 * A moderator's decision on a waiting comment; null when it no longer waits (another moderator
 * decided first, or a replayed form).
 */
export async function decideComment(
  tx: Db,
  input: {
    id: number
    status: Exclude<CommentStatus, 'waiting'>
    reason: RejectReason | null
    note: string | null
    officialId: number
    now: Date
  },
): Promise<Comment | null> {
  const [row] = await tx
    .update(comments)
    .set({
      status: input.status,
      rejectReason: input.reason,
      rejectNote: input.note,
      waitingSince: null,
      decidedAt: input.now,
      decidedBy: input.officialId,
    })
    .where(and(eq(comments.id, input.id), eq(comments.status, 'waiting')))
    .returning()
  return row ?? null
}

/** A report puts a published resident's comment back in the queue, out of sight until a moderator looks again. */
export async function reportComment(tx: Db, id: number, now: Date): Promise<Comment | null> {
  const [row] = await tx
    .update(comments)
    .set({ status: 'waiting', waitingSince: now, reports: sql`${comments.reports} + 1` })
    .where(and(eq(comments.id, id), eq(comments.status, 'published'), ne(comments.author, 'official')))
    .returning()
  return row ?? null
}

/** The first official answer to a question starts its clock's end; later answers do not move it. */
export async function markAnswered(tx: Db, questionId: number, at: Date): Promise<void> {
  await tx
    .update(comments)
    .set({ firstOfficialAnswerAt: at })
    .where(and(eq(comments.id, questionId), eq(comments.kind, 'question'), isNull(comments.firstOfficialAnswerAt)))
}

const shownColumns = {
  id: comments.id,
  parentId: comments.parentId,
  kind: comments.kind,
  author: comments.author,
  displayName: comments.displayName,
  text: comments.text,
  lang: comments.lang,
  createdAt: comments.createdAt,
  firstOfficialAnswerAt: comments.firstOfficialAnswerAt,
}
export type ShownComment = { [K in keyof typeof shownColumns]: Comment[K] }

export type ConversationOrder = 'newest' | 'oldest'

/**
 * One page of a proposal's public conversation: the questions the municipality answered last
 * pinned first (shown on the first page), then the other threads in the chosen order, each with
 * its published answers, oldest first. `total` counts the other threads.
 */
export async function listConversation(
  db: Db,
  proposalId: number,
  page: { order: ConversationOrder; number: number; size: number; pinned: number },
): Promise<{
  pinned: ShownComment[]
  threads: ShownComment[]
  answers: ShownComment[]
  total: number
  pinnedCount: number
}> {
  const top = and(eq(comments.proposalId, proposalId), eq(comments.status, 'published'), isNull(comments.parentId))
  // Pinned threads leave the list on every page, so paging is the same whichever page one starts on.
  const pinned = await db
    .select(shownColumns)
    .from(comments)
    .where(and(top, isNotNull(comments.firstOfficialAnswerAt)))
    .orderBy(desc(comments.firstOfficialAnswerAt), desc(comments.id))
    .limit(page.pinned)
  const pinnedIds = pinned.map((c) => c.id)
  const rest = pinnedIds.length > 0 ? and(top, notInArray(comments.id, pinnedIds)) : top
  const order =
    page.order === 'newest'
      ? [desc(comments.createdAt), desc(comments.id)]
      : [asc(comments.createdAt), asc(comments.id)]
  const [threads, [count]] = await Promise.all([
    db
      .select(shownColumns)
      .from(comments)
      .where(rest)
      .orderBy(...order)
      .limit(page.size)
      .offset((page.number - 1) * page.size),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(comments)
      .where(rest),
  ])
  const shownPinned = page.number === 1 ? pinned : []
  const ids = [...shownPinned.map((c) => c.id), ...threads.map((c) => c.id)]
  const answers =
    ids.length === 0
      ? []
      : await db
          .select(shownColumns)
          .from(comments)
          .where(and(inArray(comments.parentId, ids), eq(comments.status, 'published')))
          .orderBy(asc(comments.createdAt), asc(comments.id))
  return { pinned: shownPinned, threads, answers, total: count!.n, pinnedCount: pinned.length }
}

/** How many comments a proposal's conversation shows, for its card and heading. */
export async function countPublished(db: Db, proposalId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(comments)
    .where(and(eq(comments.proposalId, proposalId), eq(comments.status, 'published')))
  return row!.n
}

const queueColumns = {
  id: comments.id,
  kind: comments.kind,
  author: comments.author,
  displayName: comments.displayName,
  text: comments.text,
  lang: comments.lang,
  reports: comments.reports,
  waitingSince: comments.waitingSince,
  createdAt: comments.createdAt,
  reference: proposals.reference,
  proposalTitle: proposals.title,
  roundTitle: rounds.title,
}

/** Comments waiting for a moderator, the longest waiting first: the same queue as proposals. */
export function listWaitingComments(db: Db) {
  return db
    .select(queueColumns)
    .from(comments)
    .innerJoin(proposals, eq(proposals.id, comments.proposalId))
    .innerJoin(rounds, eq(rounds.id, comments.roundId))
    .where(isNotNull(comments.waitingSince))
    .orderBy(asc(comments.waitingSince), asc(comments.id))
}

/** Published questions to the municipality without an official answer yet, the oldest first. */
export function listUnansweredQuestions(db: Db) {
  return db
    .select(queueColumns)
    .from(comments)
    .innerJoin(proposals, eq(proposals.id, comments.proposalId))
    .innerJoin(rounds, eq(rounds.id, comments.roundId))
    .where(and(eq(comments.kind, 'question'), eq(comments.status, 'published'), isNull(comments.firstOfficialAnswerAt)))
    .orderBy(asc(comments.createdAt), asc(comments.id))
}

/** A thread's answers as its page shows them to officials and the writer: every status. */
export function listAnswersOf(db: Db, parentId: number) {
  return db.select().from(comments).where(eq(comments.parentId, parentId)).orderBy(asc(comments.createdAt))
}

/**
 * A round's conversation in figures for the transparency page: what was published and rejected
 * (by reason), and each question's times (asked, first official answer).
 */
export async function conversationFigures(db: Db, roundId: number) {
  const [byStatus, questions] = await Promise.all([
    db
      .select({ status: comments.status, reason: comments.rejectReason, n: sql<number>`count(*)::int` })
      .from(comments)
      .where(and(eq(comments.roundId, roundId), ne(comments.author, 'official')))
      .groupBy(comments.status, comments.rejectReason),
    db
      .select({ askedAt: comments.createdAt, answeredAt: comments.firstOfficialAnswerAt })
      .from(comments)
      .where(and(eq(comments.roundId, roundId), eq(comments.kind, 'question'), ne(comments.status, 'rejected'))),
  ])
  return { byStatus, questions }
}
