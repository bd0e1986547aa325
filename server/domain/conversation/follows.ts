import { isLang, type Lang } from '../../languages.js'
import type { ModerationAction } from '../proposals/moderation.js'
import type { ProgressStatus } from '../results/progress.js'
import type { Phase } from '../rounds/phases.js'

/**
 * Following a proposal or a round by e-mail. An address is confirmed by a link before anything is
 * sent to it; every mail carries a link (and a List-Unsubscribe header) that ends the follow.
 */

/** Follow requests per address and per browser in an hour, as for proposals: a community centre signs up a room of neighbours. */
export const FOLLOW_THROTTLE = { perAddress: 20, perBrowser: 10, windowMs: 60 * 60 * 1000 } as const

/** Confirmation mails for one follow in an hour: enough to ask again, too few to flood someone else's inbox. */
export const CONFIRMATIONS_PER_HOUR = 3

/** A follow nobody confirmed is deleted after this many days: the address was never shown to be its owner's. */
export const UNCONFIRMED_DAYS = 7

export const FOLLOW_EMAIL_MAX = 254

// Enough to catch a slip (no @, a space); the confirmation link is the real check.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/

/** Whether a typed address can be mailed a confirmation: given with a comment or in the follow form. */
export function isFollowAddress(email: string): boolean {
  return email.length <= FOLLOW_EMAIL_MAX && EMAIL.test(email)
}

/** Follow tokens are 24 random bytes in base64url; anything else cannot be one, so it is not looked up. */
export function isFollowToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{32}$/.test(value)
}

export type FollowField = 'email' | 'lang'
export type FollowError = 'required' | 'invalid' | 'tooLong'

/** Checks the follow form; the page's language is taken when none was chosen. */
export function validateFollow(
  form: { email: string; lang: string },
  pageLang: Lang,
): { fields: { email: string; lang: Lang } } | { errors: Partial<Record<FollowField, FollowError>> } {
  const errors: Partial<Record<FollowField, FollowError>> = {}
  const email = form.email.trim()
  if (email === '') errors.email = 'required'
  else if (email.length > FOLLOW_EMAIL_MAX) errors.email = 'tooLong'
  else if (!isFollowAddress(email)) errors.email = 'invalid'
  if (form.lang !== '' && !isLang(form.lang)) errors.lang = 'invalid'
  if (Object.keys(errors).length > 0) return { errors }
  return { fields: { email, lang: isLang(form.lang) ? form.lang : pageLang } }
}

/** What happened that followers may hear of. */
export type FollowEvent =
  | { kind: 'answer'; roundId: number; proposalId: number; commentId: number; answerId: number }
  | { kind: 'comment-decision'; commentId: number; status: 'published' | 'rejected' }
  | { kind: 'proposal-decision'; proposalId: number; action: ModerationAction }
  | { kind: 'voting-opened'; roundId: number }
  | { kind: 'results'; roundId: number }
  | { kind: 'project-status'; roundId: number; proposalId: number; status: ProgressStatus; text: string }

/**
 * Who hears an event, by what they follow. A follow of the whole round hears its milestones (voting
 * opens, results, a funded project's new status), not every answer on every proposal; a proposal's followers hear those and its
 * moderation decision, and answers from the municipality; a comment's own follow (the address its
 * writer gave) hears every answer to it and its own moderation decision.
 */
export interface Audience {
  /** Followers of the whole round. */
  round?: number
  /** Followers of this proposal (not those who follow one comment on it). */
  proposal?: number
  /** Followers of the proposals of this round. */
  proposalsOf?: number
  /** The follow that came with this comment. */
  comment?: number
}

export function audience(event: FollowEvent, answeredBy?: 'resident' | 'submitter' | 'official'): Audience {
  switch (event.kind) {
    case 'answer':
      return answeredBy === 'official'
        ? { proposal: event.proposalId, comment: event.commentId }
        : { comment: event.commentId }
    case 'comment-decision':
      return { comment: event.commentId }
    case 'proposal-decision':
      return { proposal: event.proposalId }
    // What happened to the money is the round's news too.
    case 'project-status':
      return { round: event.roundId, proposal: event.proposalId }
    case 'voting-opened':
    case 'results':
      return { round: event.roundId, proposalsOf: event.roundId }
  }
}

/**
 * One mail per address: someone who follows the round and two of its proposals hears of the vote
 * once, through the follow that names the most (the round before a proposal, a proposal before a comment).
 */
export function onePerAddress<
  F extends { follow: { email: string; proposalId: number | null; commentId: number | null } },
>(follows: readonly F[]): F[] {
  const rank = ({ follow }: F) => (follow.proposalId === null ? 0 : follow.commentId === null ? 1 : 2)
  const chosen = new Map<string, F>()
  for (const follow of follows) {
    const key = follow.follow.email.toLowerCase()
    const had = chosen.get(key)
    if (!had || rank(follow) < rank(had)) chosen.set(key, follow)
  }
  return [...chosen.values()]
}

/**
 * Whether there is news to follow: up to the results anything may be followed; after them, what
 * happens to the money: a round that funded something, and each funded project.
 */
export function newsToFollow(phase: Phase, funded: boolean): boolean {
  return phase !== 'published' || funded
}
