import type { FollowSubject } from '../data/follows.js'
import type { OutgoingMail } from '../data/outbox.js'
import { isolate, isolateLtr } from '../domain/common/bidi.js'
import { DEFAULT_LANG, isLang, type Lang } from '../languages.js'

/** What a use case needs to write a mail: the words in every language, and where the links lead. */
export interface MailWords {
  translate(lang: Lang, key: string, vars?: Record<string, unknown>): string
  publicUrl: string
}

/** The words of one event's mail: its subject and lines, in a follower's language, and the link to read more. */
export type EventWords = (t: Words) => { subject: string; lines: string[]; url: string }
type Words = (key: string, vars?: Record<string, unknown>) => string

export const followLang = (follow: { lang: string }): Lang => (isLang(follow.lang) ? follow.lang : DEFAULT_LANG)

export const confirmUrl = (mailer: MailWords, token: string) => `${mailer.publicUrl}/follow/${token}/confirm`
export const unsubscribeUrl = (mailer: MailWords, token: string) => `${mailer.publicUrl}/follow/${token}/unsubscribe`

/** What a follow is about, as a sentence's object: the round, the proposal, or the answers to one's own comment. */
function followed(t: Words, subject: FollowSubject): string {
  const round = isolate(subject.round.title)
  if (!subject.proposal) return t('follows.what.round', { round })
  const vars = { title: isolate(subject.proposal.title), reference: isolateLtr(subject.proposal.reference) }
  return t(subject.follow.commentId === null ? 'follows.what.proposal' : 'follows.what.comment', vars)
}

/** The mail that asks the owner of an address to confirm it: nothing else is sent before. */
export function confirmationMail(mailer: MailWords, subject: FollowSubject): OutgoingMail {
  const lang = followLang(subject.follow)
  const t: Words = (key, vars) => mailer.translate(lang, key, vars)
  return {
    to: subject.follow.email,
    subject: t('follows.mail.confirm.subject'),
    text: [
      t('follows.mail.greeting'),
      '',
      t('follows.mail.confirm.text', { what: followed(t, subject) }),
      '',
      confirmUrl(mailer, subject.follow.token),
      '',
      t('follows.mail.confirm.notYou'),
      '',
      t('mail.signature'),
    ].join('\n'),
    purpose: 'follow-confirm',
  }
}

/**
 * A mail about an event to one follower: in the language they chose, with the link to read more,
 * and the way out both as a link in the text and as List-Unsubscribe headers (RFC 8058 one-click).
 * Plain text, addressed to this follower only: no images, no tracking.
 */
export function eventMail(mailer: MailWords, subject: FollowSubject, kind: string, words: EventWords): OutgoingMail {
  const lang = followLang(subject.follow)
  const t: Words = (key, vars) => mailer.translate(lang, key, vars)
  const made = words(t)
  const leave = unsubscribeUrl(mailer, subject.follow.token)
  return {
    to: subject.follow.email,
    subject: made.subject,
    text: [
      t('follows.mail.greeting'),
      '',
      ...made.lines,
      '',
      made.url,
      '',
      t('mail.signature'),
      '',
      '-- ',
      t('follows.mail.why', { what: followed(t, subject) }),
      t('follows.mail.leave'),
      leave,
    ].join('\n'),
    purpose: `follow-${kind}`,
    headers: { 'List-Unsubscribe': `<${leave}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  }
}
