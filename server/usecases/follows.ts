import type { Db } from '../../db/client.js'
import {
  confirmFollow,
  deleteFollow,
  findCommentFacts,
  findFollow,
  findFollowByToken,
  findProposalFacts,
  findRoundFacts,
  insertFollow,
  listAudience,
  lockAddress,
  setFollowLang,
  subjectExists,
  type FollowSubject,
} from '../data/follows.js'
import { enqueueMail } from '../data/outbox.js'
import { hitRateLimit } from '../data/rate-limits.js'
import { isolate, isolateLtr } from '../domain/common/bidi.js'
import {
  audience,
  CONFIRMATIONS_PER_HOUR,
  isFollowToken,
  onePerAddress,
  type FollowEvent,
} from '../domain/conversation/follows.js'
import { formatEuro } from '../formatters.js'
import type { Lang } from '../languages.js'
import { confirmationMail, eventMail, followLang, type EventWords, type MailWords } from './follow-mails.js'

export type { MailWords } from './follow-mails.js'
export type { FollowEvent } from '../domain/conversation/follows.js'

export interface FollowRequest {
  roundId: number
  /** Null follows the whole round. */
  proposalId: number | null
  /** Set when the address came with the writer's own comment: it hears that comment's answers and decision. */
  commentId: number | null
  email: string
  lang: Lang
}

/**
 * Stores an unconfirmed follow and puts the confirmation mail in the outbox, in the caller's
 * transaction. Asked again for the same address and subject, it makes no second follow: an
 * unconfirmed one gets the confirmation again (a few times an hour at most) in the language chosen
 * now; a confirmed one stays as it is and nothing is sent. A subject that does not exist (a
 * proposal of another round, a comment on another proposal) is a caller's mistake: it throws.
 */
export async function startFollowing(tx: Db, mailer: MailWords, request: FollowRequest): Promise<void> {
  if (!(await subjectExists(tx, request)))
    throw new Error('startFollowing: the proposal or comment is not in the round')
  await lockAddress(tx, request.email)
  let follow = await findFollow(tx, request)
  if (follow?.confirmedAt) return
  if (follow) {
    if (follow.lang !== request.lang) await setFollowLang(tx, follow.id, request.lang)
  } else follow = await insertFollow(tx, request)
  const { count } = await hitRateLimit(tx, `follow-confirm:${follow.id}`, 60 * 60 * 1000)
  if (count > CONFIRMATIONS_PER_HOUR) return
  const subject = (await findFollowByToken(tx, follow.token))!
  await enqueueMail(tx, confirmationMail(mailer, subject))
}

/** A resident asks to follow through the form: the follow and its confirmation mail in one transaction. */
export function followByForm(db: Db, mailer: MailWords, request: FollowRequest): Promise<void> {
  return db.transaction((tx) => startFollowing(tx, mailer, request))
}

/** The confirmation link: the follow (and what it names) once confirmed, undefined for a token that names nothing. */
export async function confirmFollowing(db: Db, token: string, now: Date): Promise<FollowSubject | undefined> {
  const found = isFollowToken(token) ? await findFollowByToken(db, token) : undefined
  if (!found) return undefined
  await confirmFollow(db, found.follow.id, now)
  return found
}

/** The unsubscribe link or a mail client's one-click request: the follow is deleted, address and all. */
export async function stopFollowing(db: Db, token: string): Promise<boolean> {
  return isFollowToken(token) && (await deleteFollow(db, token))
}

/** The unsubscribe page's question: what the token follows, if anything. */
export async function findFollowing(db: Db, token: string): Promise<FollowSubject | undefined> {
  return isFollowToken(token) ? findFollowByToken(db, token) : undefined
}

/**
 * Puts one mail per confirmed follower concerned in the outbox, in the caller's transaction (see
 * `audience` for who hears what). An answer is told once it is published; an event about
 * something that is not there tells nobody.
 */
export async function tellFollowers(tx: Db, mailer: MailWords, event: FollowEvent): Promise<void> {
  const told = await eventWords(tx, mailer, event)
  if (!told) return
  const followers = onePerAddress(await listAudience(tx, audience(event, told.answeredBy)))
  await enqueueMail(tx, ...followers.map((f) => eventMail(mailer, f, event.kind, told.words(followLang(f.follow)))))
}

type Told = { words: (lang: Lang) => EventWords; answeredBy?: 'resident' | 'submitter' | 'official' }

async function eventWords(tx: Db, mailer: MailWords, event: FollowEvent): Promise<Told | undefined> {
  const url = mailer.publicUrl
  if (event.kind === 'voting-opened' || event.kind === 'results') {
    const round = await findRoundFacts(tx, event.roundId)
    if (!round) return undefined
    const vars = { round: isolate(round.title) }
    const path = event.kind === 'results' ? 'results' : 'vote'
    return {
      words: () => (t) => ({
        subject: t(`follows.mail.${event.kind}.subject`, vars),
        lines: [t(`follows.mail.${event.kind}.text`, vars)],
        url: `${url}/rounds/${round.slug}/${path}`,
      }),
    }
  }
  if (event.kind === 'project-status') {
    const proposal = await findProposalFacts(tx, event.proposalId)
    if (!proposal) return undefined
    const vars = { title: isolate(proposal.title), reference: isolateLtr(proposal.reference) }
    return {
      words: () => (t) => ({
        subject: t('follows.mail.project.subject', vars),
        lines: [
          t(`follows.mail.project.${event.status}`, vars),
          ...(event.status === 'cancelled' ? ['', event.text] : []),
        ],
        url: `${url}/rounds/${proposal.roundSlug}/progress#project-${proposal.id}`,
      }),
    }
  }
  const comment = event.kind === 'proposal-decision' ? undefined : await findCommentFacts(tx, event.commentId)
  const proposalId = event.kind === 'proposal-decision' ? event.proposalId : comment?.proposalId
  const proposal = proposalId === undefined ? undefined : await findProposalFacts(tx, proposalId)
  if (!proposal) return undefined
  const vars = { title: isolate(proposal.title), reference: isolateLtr(proposal.reference) }
  const page = `${url}/proposals/${proposal.reference}`
  if (event.kind === 'proposal-decision') {
    return {
      words: (lang) => (t) => ({
        subject: t('follows.mail.decision.subject', vars),
        lines: [
          t(`follows.mail.decision.${event.action}`, {
            ...vars,
            cost: formatEuro(proposal.correctedCostCents ?? proposal.costCents, lang),
          }),
        ],
        url: page,
      }),
    }
  }
  if (event.kind === 'answer') {
    const answer = await findCommentFacts(tx, event.answerId)
    if (!answer || answer.status !== 'published' || answer.proposalId !== proposal.id) return undefined
    return {
      answeredBy: answer.author,
      words: () => (t) => ({
        subject: t('follows.mail.answer.subject', vars),
        lines: [t(`follows.mail.answer.${answer.author}`, vars)],
        url: `${page}#comment-${event.commentId}`,
      }),
    }
  }
  const reason = comment?.rejectReason
  return {
    words: () => (t) => ({
      subject: t('follows.mail.comment.subject', vars),
      lines:
        event.status === 'published'
          ? [t('follows.mail.comment.published', vars)]
          : [
              t('follows.mail.comment.rejected', vars),
              ...(reason ? [t(`follows.mail.reason.${reason}`)] : []),
              ...(comment?.rejectNote ? ['', t('follows.mail.comment.note'), comment.rejectNote] : []),
            ],
      url: event.status === 'published' ? `${page}#comment-${event.commentId}` : page,
    }),
  }
}
