import { hasFormControl, singleLine } from '../common/text.js'
import type { Phase } from '../rounds/phases.js'
import { isLang, type Lang } from '../../languages.js'
import { isFollowAddress } from './follows.js'

/**
 * A question is addressed to the municipality and carries the one-working-day promise; a comment
 * is said to everyone; an answer is one level below either, never below another answer.
 */
export const COMMENT_KINDS = ['question', 'comment', 'answer'] as const
export type CommentKind = (typeof COMMENT_KINDS)[number]

/** Who wrote it, as the page marks it: a resident, the proposal's submitter ("indiener"), the municipality ("gemeente"). */
export const COMMENT_AUTHORS = ['resident', 'submitter', 'official'] as const
export type CommentAuthor = (typeof COMMENT_AUTHORS)[number]

/** Residents' words wait for a moderator; a reported comment waits again. */
export const COMMENT_STATUSES = ['waiting', 'published', 'rejected'] as const
export type CommentStatus = (typeof COMMENT_STATUSES)[number]

/** Why a moderator refused a comment: the writer sees the category (and the note) through their link. */
export const REJECT_REASONS = ['personal_data', 'insult', 'off_topic', 'spam', 'duplicate'] as const
export type RejectReason = (typeof REJECT_REASONS)[number]

/** Residents may write while the proposal can still change minds; after publishing the conversation is read-only. */
export const CONVERSATION_PHASES: readonly Phase[] = ['proposing', 'reviewing', 'voting']

/** Shown for a resident who gave no name. */
export const ANONYMOUS_KEY = 'conversation.anonymous'

export const COMMENT_LIMITS = { text: 2000, name: 60, note: 500 } as const

/** Per address and per browser, as for proposals: enough for a lively evening in a community centre. */
export const COMMENT_THROTTLE = { perAddress: 30, perBrowser: 10, windowMs: 60 * 60 * 1000 } as const

/** Reports of one comment by one address in an hour: one is enough to put it back in the queue. */
export const REPORT_THROTTLE = { perAddress: 10, windowMs: 60 * 60 * 1000 } as const

export function isRejectReason(value: unknown): value is RejectReason {
  return typeof value === 'string' && (REJECT_REASONS as readonly string[]).includes(value)
}

export function isCommentKind(value: unknown): value is CommentKind {
  return typeof value === 'string' && (COMMENT_KINDS as readonly string[]).includes(value)
}

export type CommentField = 'text' | 'name' | 'lang' | 'email' | 'kind'
export type CommentError = 'required' | 'tooLong' | 'invalid'
export type CommentErrors = Partial<Record<CommentField, CommentError>>

export interface CommentForm {
  text: string
  name: string
  lang: string
  email: string
  kind: string
}

export interface CommentFields {
  text: string
  name: string
  lang: Lang
  email: string | null
  kind: 'question' | 'comment'
}

/** Checks what a resident typed; the form is shown again with it when anything is wrong. */
export function validateComment(
  form: CommentForm,
  pageLang: Lang,
  answering = false,
): { fields: CommentFields } | { errors: CommentErrors } {
  const errors: CommentErrors = {}
  const text = form.text.trim()
  if (text === '') errors.text = 'required'
  else if (hasFormControl(text)) errors.text = 'invalid'
  else if ([...text].length > COMMENT_LIMITS.text) errors.text = 'tooLong'
  const name = singleLine(form.name)
  if (hasFormControl(form.name)) errors.name = 'invalid'
  else if ([...name].length > COMMENT_LIMITS.name) errors.name = 'tooLong'
  const email = form.email.trim()
  if (email !== '' && !isFollowAddress(email)) errors.email = 'invalid'
  if (form.lang !== '' && !isLang(form.lang)) errors.lang = 'invalid'
  // An answer has no kind of its own: it answers what it is under.
  if (!answering && form.kind !== 'question' && form.kind !== 'comment') errors.kind = 'required'
  if (Object.keys(errors).length > 0) return { errors }
  return {
    fields: {
      text,
      name,
      lang: isLang(form.lang) ? form.lang : pageLang,
      email: email === '' ? null : email,
      kind: form.kind === 'question' ? 'question' : 'comment',
    },
  }
}

/** Whether a comment of `kind` may be answered: one level only. */
export function takesAnswers(kind: CommentKind): boolean {
  return kind !== 'answer'
}
