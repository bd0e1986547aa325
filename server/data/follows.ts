import { randomBytes } from 'node:crypto'
import { and, eq, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { comments, follows, proposals, rounds } from '../../db/schema.js'
import type { Audience } from '../domain/conversation/follows.js'

export type Follow = typeof follows.$inferSelect

/** What a follow is about, as its mails and pages name it. */
export interface FollowSubject {
  follow: Follow
  round: { slug: string; title: string }
  proposal: { reference: string; title: string } | null
}

export interface FollowKey {
  roundId: number
  proposalId: number | null
  commentId: number | null
  email: string
}

const sameOrNull = (column: typeof follows.proposalId | typeof follows.commentId, value: number | null) =>
  value === null ? isNull(column) : eq(column, value)

/**
 * The follow of this address (in any capitals) for this subject, if there is one. Call under
 * lockAddress, so two requests at once cannot both find none.
 */
export async function findFollow(tx: Db, key: FollowKey): Promise<Follow | undefined> {
  const [row] = await tx
    .select()
    .from(follows)
    .where(
      and(
        eq(follows.roundId, key.roundId),
        sameOrNull(follows.proposalId, key.proposalId),
        sameOrNull(follows.commentId, key.commentId),
        sql`lower(${follows.email}) = lower(${key.email})`,
      ),
    )
  return row
}

/** Serialises requests for one address until the transaction ends (there is no unique index over a lower-cased address). */
export async function lockAddress(tx: Db, email: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`follow:${email.toLowerCase()}`}))`)
}

export async function insertFollow(tx: Db, key: FollowKey & { lang: string }): Promise<Follow> {
  const [row] = await tx
    .insert(follows)
    .values({ ...key, token: randomBytes(24).toString('base64url') })
    .returning()
  return row!
}

/** An unconfirmed follow asked for again takes the language chosen this time. */
export async function setFollowLang(tx: Db, id: number, lang: string): Promise<void> {
  await tx.update(follows).set({ lang }).where(eq(follows.id, id))
}

/** Whether the proposal is the round's, and the comment (when named) is on that proposal. */
export async function subjectExists(
  tx: Db,
  subject: { roundId: number; proposalId: number | null; commentId: number | null },
): Promise<boolean> {
  if (subject.proposalId === null) {
    if (subject.commentId !== null) return false
    const [round] = await tx.select({ id: rounds.id }).from(rounds).where(eq(rounds.id, subject.roundId))
    return round !== undefined
  }
  const [proposal] = await tx
    .select({ id: proposals.id })
    .from(proposals)
    .where(and(eq(proposals.id, subject.proposalId), eq(proposals.roundId, subject.roundId)))
  if (!proposal || subject.commentId === null) return proposal !== undefined
  const [comment] = await tx
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.id, subject.commentId), eq(comments.proposalId, subject.proposalId)))
  return comment !== undefined
}

const subjectColumns = {
  follow: follows,
  round: { slug: rounds.slug, title: rounds.title },
  proposal: { reference: proposals.reference, title: proposals.title },
}

/** A follow by the secret in its links, with the names of what it follows. */
export async function findFollowByToken(db: Db, token: string): Promise<FollowSubject | undefined> {
  const [row] = await db
    .select(subjectColumns)
    .from(follows)
    .innerJoin(rounds, eq(rounds.id, follows.roundId))
    .leftJoin(proposals, eq(proposals.id, follows.proposalId))
    .where(eq(follows.token, token))
  return row
}

/** Confirms once: a second visit of the link keeps the first moment. */
export async function confirmFollow(db: Db, id: number, now: Date): Promise<void> {
  await db
    .update(follows)
    .set({ confirmedAt: sql`coalesce(${follows.confirmedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(follows.id, id))
}

/** Unsubscribing deletes the row, address and all; false when the token named nothing (any more). */
export async function deleteFollow(db: Db, token: string): Promise<boolean> {
  const deleted = await db.delete(follows).where(eq(follows.token, token)).returning({ id: follows.id })
  return deleted.length > 0
}

/** The confirmed follows an audience names, with the names of what each follows. */
export function listAudience(tx: Db, audience: Audience): Promise<FollowSubject[]> {
  const who: SQL[] = []
  if (audience.round !== undefined)
    who.push(and(eq(follows.roundId, audience.round), isNull(follows.proposalId), isNull(follows.commentId))!)
  if (audience.proposal !== undefined)
    who.push(and(eq(follows.proposalId, audience.proposal), isNull(follows.commentId))!)
  if (audience.proposalsOf !== undefined)
    who.push(and(eq(follows.roundId, audience.proposalsOf), isNotNull(follows.proposalId), isNull(follows.commentId))!)
  if (audience.comment !== undefined) who.push(eq(follows.commentId, audience.comment))
  if (who.length === 0) return Promise.resolve([])
  return tx
    .select(subjectColumns)
    .from(follows)
    .innerJoin(rounds, eq(rounds.id, follows.roundId))
    .leftJoin(proposals, eq(proposals.id, follows.proposalId))
    .where(and(isNotNull(follows.confirmedAt), or(...who)))
    .orderBy(follows.id)
}

/** A comment as the mails about it need it. */
export async function findCommentFacts(tx: Db, id: number) {
  const [row] = await tx
    .select({
      id: comments.id,
      roundId: comments.roundId,
      proposalId: comments.proposalId,
      author: comments.author,
      status: comments.status,
      rejectReason: comments.rejectReason,
      rejectNote: comments.rejectNote,
    })
    .from(comments)
    .where(eq(comments.id, id))
  return row
}

/** The names a mail about a proposal or a round gives. */
export async function findProposalFacts(tx: Db, id: number) {
  const [row] = await tx
    .select({
      id: proposals.id,
      roundId: proposals.roundId,
      reference: proposals.reference,
      title: proposals.title,
      costCents: proposals.costCents,
      correctedCostCents: proposals.correctedCostCents,
      roundSlug: rounds.slug,
    })
    .from(proposals)
    .innerJoin(rounds, eq(rounds.id, proposals.roundId))
    .where(eq(proposals.id, id))
  return row
}

export async function findRoundFacts(tx: Db, id: number) {
  const [row] = await tx.select({ slug: rounds.slug, title: rounds.title }).from(rounds).where(eq(rounds.id, id))
  return row
}
