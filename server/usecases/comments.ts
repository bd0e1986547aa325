import type { Db } from '../../db/client.js'
import { appendAudit } from '../data/audit.js'
import { decideComment, insertComment, markAnswered, reportComment, type Comment } from '../data/comments.js'
import { bumpContentVersion, lockRound } from '../data/rounds.js'
import { phasesWhere, type Actor } from '../domain/access/permissions.js'
import { phaseAt } from '../domain/rounds/phases.js'
import type { CommentFields, RejectReason } from '../domain/conversation/comments.js'
import { startFollowing, tellFollowers, type MailWords } from './follows.js'

/**
 * A resident asks a question or leaves a comment, or answers one (the submitter through their
 * status link is marked as such). It waits for a moderator. The round is asked again as it is
 * stored: a move out of the conversation's phases since the form was shown refuses it (null).
 */
export async function writeComment(
  db: Db,
  mailer: MailWords,
  input: {
    actor: Actor
    roundId: number
    proposalId: number
    parent: Comment | null
    author: 'resident' | 'submitter'
    fields: CommentFields
    now: Date
  },
): Promise<Comment | null> {
  const { fields, parent } = input
  return db.transaction(async (tx) => {
    const round = await lockRound(tx, input.roundId)
    if (!round || !phasesWhere(input.actor, 'comment.write').includes(phaseAt(round, input.now))) return null
    const comment = await insertComment(tx, {
      roundId: input.roundId,
      proposalId: input.proposalId,
      parentId: parent?.id ?? null,
      kind: parent ? 'answer' : fields.kind,
      author: input.author,
      officialId: null,
      displayName: fields.name,
      text: fields.text,
      lang: fields.lang,
      status: 'waiting',
      now: input.now,
    })
    // The address hears of this comment only once confirmed: its decision and its answers.
    if (fields.email !== null)
      await startFollowing(tx, mailer, {
        roundId: input.roundId,
        proposalId: input.proposalId,
        commentId: comment.id,
        email: fields.email,
        lang: fields.lang,
      })
    return comment
  })
}

/**
 * An official answers a question or comment for the municipality: public at once, marked
 * "gemeente", with their name only when they sign. The first answer to a question stops its clock.
 */
export async function answerAsOfficial(
  db: Db,
  mailer: MailWords,
  input: {
    actor: Actor
    parent: Comment
    official: { id: number; email: string; name: string }
    text: string
    lang: string
    sign: boolean
    now: Date
  },
): Promise<Comment | null> {
  const { parent, official, now } = input
  return db.transaction(async (tx) => {
    const round = await lockRound(tx, parent.roundId)
    if (!round || !phasesWhere(input.actor, 'comment.answer').includes(phaseAt(round, now))) return null
    const answer = await insertComment(tx, {
      roundId: parent.roundId,
      proposalId: parent.proposalId,
      parentId: parent.id,
      kind: 'answer',
      author: 'official',
      officialId: official.id,
      displayName: input.sign ? official.name : '',
      text: input.text,
      lang: input.lang,
      status: 'published',
      now,
    })
    await markAnswered(tx, parent.id, now)
    await bumpContentVersion(tx, parent.roundId)
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'comment.answered',
      object: `comment:${parent.id}`,
      at: now,
      details: { proposalId: parent.proposalId, answerId: answer.id, signed: input.sign },
    })
    await tellFollowers(tx, mailer, {
      kind: 'answer',
      roundId: parent.roundId,
      proposalId: parent.proposalId,
      commentId: parent.id,
      answerId: answer.id,
    })
    return answer
  })
}

/** A moderator publishes a waiting comment or rejects it with a reason; null when it no longer waits. */
export async function moderateComment(
  db: Db,
  mailer: MailWords,
  input: {
    comment: Comment
    decision: 'publish' | 'reject'
    reason: RejectReason | null
    note: string | null
    official: { id: number; email: string }
    now: Date
  },
): Promise<Comment | null> {
  const { comment, official, now } = input
  return db.transaction(async (tx) => {
    const decided = await decideComment(tx, {
      id: comment.id,
      status: input.decision === 'publish' ? 'published' : 'rejected',
      reason: input.decision === 'reject' ? input.reason : null,
      note: input.decision === 'reject' ? input.note : null,
      officialId: official.id,
      now,
    })
    if (!decided) return null
    await bumpContentVersion(tx, comment.roundId)
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: input.decision === 'publish' ? 'comment.published' : 'comment.rejected',
      object: `comment:${comment.id}`,
      at: now,
      details: {
        proposalId: comment.proposalId,
        ...(decided.reports > 0 && { reports: decided.reports }),
        ...(decided.rejectReason && { reason: decided.rejectReason }),
      },
    })
    await tellFollowers(tx, mailer, {
      kind: 'comment-decision',
      commentId: decided.id,
      status: decided.status as 'published' | 'rejected',
    })
    // A resident's answer is news for whoever follows the question once it is public.
    if (decided.status === 'published' && decided.parentId !== null)
      await tellFollowers(tx, mailer, {
        kind: 'answer',
        roundId: decided.roundId,
        proposalId: decided.proposalId,
        commentId: decided.parentId,
        answerId: decided.id,
      })
    return decided
  })
}

/** Anyone reports a published comment: it leaves the page and waits for a moderator again. */
export async function reportPublishedComment(db: Db, comment: Comment, now: Date): Promise<Comment | null> {
  return db.transaction(async (tx) => {
    const reported = await reportComment(tx, comment.id, now)
    if (reported) await bumpContentVersion(tx, comment.roundId)
    return reported
  })
}
