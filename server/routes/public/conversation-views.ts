import type { ConversationOrder, ShownComment } from '../../data/comments.js'
import type { Phase } from '../../domain/rounds/phases.js'
import type { CommentErrors } from '../../domain/conversation/comments.js'
import { COMMENT_LIMITS } from '../../domain/conversation/comments.js'
import { writtenIn } from '../../domain/proposals/translation.js'
import { language, LANGUAGE_LIST, type Lang } from '../../languages.js'
import type { ShowText } from '../shared/official-texts.js'

/** How a comment's writer is named: the municipality, the submitter, or the resident's chosen name ("buurtbewoner" when none). */
function byline(comment: Pick<ShownComment, 'author' | 'displayName'>) {
  return {
    authorKey: `conversation.author.${comment.author}`,
    name: comment.displayName === '' ? null : comment.displayName,
    isOfficial: comment.author === 'official',
    isSubmitter: comment.author === 'submitter',
  }
}

/** A comment in the reader's language where a coach translated it: its lang, "translated from", the original one tap away. */
function shownIn(comment: ShownComment, show?: ShowText) {
  const from = writtenIn(comment.lang)
  const shown = show
    ? show({ kind: 'comment', subjectId: comment.id }, comment.text, from)
    : { text: comment.text, lang: from, translated: null }
  return {
    shown: {
      ...shown,
      translated: shown.translated && { ...shown.translated, languageName: language(from).name },
    },
  }
}

export interface ThreadView extends ShownComment {
  shown: ReturnType<typeof shownIn>['shown']
  authorKey: string
  name: string | null
  isOfficial: boolean
  isSubmitter: boolean
  kindKey: string
  answers: (ShownComment & ReturnType<typeof byline> & ReturnType<typeof shownIn>)[]
}

/** Threads with their answers under them, each answer once under its own question or comment. */
export function threadsView(
  top: readonly ShownComment[],
  answers: readonly ShownComment[],
  show?: ShowText,
): ThreadView[] {
  return top.map((comment) => ({
    ...comment,
    ...byline(comment),
    ...shownIn(comment, show),
    kindKey: `conversation.kind.${comment.kind}`,
    answers: answers.filter((a) => a.parentId === comment.id).map((a) => ({ ...a, ...byline(a), ...shownIn(a, show) })),
  }))
}

export interface CommentFormValues {
  kind: string
  text: string
  name: string
  lang: string
  email: string
}

export const EMPTY_COMMENT: CommentFormValues = { kind: '', text: '', name: '', lang: '', email: '' }

/** The fields in the order the form shows them: the error summary follows it. */
const ORDER = ['kind', 'text', 'name', 'lang', 'email'] as const

/** The comment form's view-model: what was typed, each wrong field's message, the languages with the writer's chosen. */
export function commentFormView(
  values: CommentFormValues,
  errors: CommentErrors,
  pageLang: Lang,
  options: { action: string; answering: boolean },
) {
  const writtenIn = values.lang || pageLang
  return {
    action: options.action,
    answering: options.answering,
    values,
    limits: COMMENT_LIMITS,
    errors: Object.fromEntries(Object.entries(errors).map(([f, code]) => [f, `conversation.error.${f}.${code}`])),
    kinds: (['question', 'comment'] as const).map((kind) => ({
      value: kind,
      key: `conversation.kind.${kind}`,
      hintKey: `conversation.kindHint.${kind}`,
      checked: values.kind === kind,
    })),
    languages: LANGUAGE_LIST.map(({ code, name }) => ({ code, name, selected: code === writtenIn })),
    errorList: ORDER.filter((f) => errors[f]).map((f) => ({
      href: f === 'kind' ? 'kind-question' : `comment-${f}`,
      label: `conversation.field.${f}`,
      message: `conversation.error.${f}.${errors[f]}`,
      max: f === 'name' ? COMMENT_LIMITS.name : COMMENT_LIMITS.text,
    })),
  }
}

/** Threads a page shows; the answered questions pinned above them on the first page. */
export const CONVERSATION_PAGE = { size: 20, pinned: 3 } as const

export interface ConversationPage {
  order: ConversationOrder
  number: number
  size: number
  pinned: number
}

/** The page asked for; anything unreadable is the first page, newest first. */
export function readConversationQuery(query: { order?: string; page?: string }): ConversationPage {
  const number = /^[1-9][0-9]{0,4}$/.test(query.page ?? '') ? Number(query.page) : 1
  return { order: query.order === 'oldest' ? 'oldest' : 'newest', number, ...CONVERSATION_PAGE }
}

/** The conversation section of a proposal's page. */
export function conversationView(
  listed: {
    pinned: ShownComment[]
    threads: ShownComment[]
    answers: ShownComment[]
    total: number
    pinnedCount: number
  },
  page: ConversationPage,
  options: { base: string; canWrite: boolean; canReport: boolean; phase: Phase; show?: ShowText },
) {
  const count = Math.max(1, Math.ceil(listed.total / page.size))
  const href = (order: ConversationOrder, number: number) =>
    `${options.base}?${new URLSearchParams({ ...(order === 'oldest' && { order }), ...(number > 1 && { page: String(number) }) })}`.replace(
      /\?$/,
      '',
    )
  return {
    total: listed.total + listed.pinnedCount,
    canWrite: options.canWrite,
    canReport: options.canReport,
    closedKey: options.phase === 'published' ? 'conversation.closedPublished' : 'conversation.closedVoting',
    newPath: `${options.base}/conversation/new`,
    pinned: threadsView(listed.pinned, listed.answers, options.show),
    threads: threadsView(listed.threads, listed.answers, options.show),
    orders: (['newest', 'oldest'] as const).map((order) => ({
      key: `conversation.order.${order}`,
      current: order === page.order,
      href: href(order, 1),
    })),
    pages:
      count > 1
        ? {
            number: page.number,
            count,
            previous: page.number > 1 ? href(page.order, page.number - 1) : null,
            next: page.number < count ? href(page.order, page.number + 1) : null,
          }
        : null,
  }
}
