import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  findComment,
  findCommentContext,
  listAnswersOf,
  listWaitingComments,
  type Comment,
} from '../../data/comments.js'
import { isOverdue, splitWorkingTime, workingMinutesBetween } from '../../domain/common/working-hours.js'
import { hasFormControl } from '../../domain/common/text.js'
import { COMMENT_LIMITS, isRejectReason, REJECT_REASONS, takesAnswers } from '../../domain/conversation/comments.js'
import { commentIsTranslated, isCurrent, OFFICIAL_LANG } from '../../domain/translations/texts.js'
import { writtenIn } from '../../domain/proposals/translation.js'
import { commentTranslationsInto, type StoredText } from '../../data/text-translations.js'
import { isLang, language, LANGUAGE_LIST, type Lang } from '../../languages.js'
import { allowed, theComment, theOfficial, theRound } from '../../plugins/auth.js'
import { answerAsOfficial, moderateComment } from '../../usecases/comments.js'
import { FormInput, readForm } from '../forms.js'
import { form, IdPath, textField } from '../schemas.js'
import { roundView } from '../shared/round-view.js'

/** A coach's translation of a comment into the moderator's language, shown beside the original. */
export function translationView(stored: StoredText | undefined, original: string, lang: Lang) {
  return stored
    ? {
        text: stored.text,
        lang,
        languageName: language(lang).name,
        outdated: !isCurrent(stored.sourceHash, [original]),
      }
    : null
}

const DecisionBody = form({ reason: textField(20), note: Type.Optional(Type.String()) })
const AnswerBody = form({ text: Type.Optional(Type.String()), lang: textField(10), sign: textField(5) })
const DoneQuery = Type.Object({
  done: Type.Optional(Type.Union([Type.Literal('publish'), Type.Literal('reject'), Type.Literal('answer')])),
})

interface Typed {
  reason?: string
  note?: string
  text?: string
  lang?: string
  sign?: boolean
}

function waitedView(since: Date, now: Date) {
  return { ...splitWorkingTime(workingMinutesBetween(since, now)), overdue: isOverdue(since, now) }
}

/** Checks an official's text (a note or an answer): trimmed, no control characters, within its limit. */
function officialText(value: string, limit: number, required: boolean): { text: string } | { error: string } {
  const text = value.trim()
  if (text === '') return required ? { error: 'form.required' } : { text }
  if (hasFormControl(text)) return { error: 'form.invalid' }
  return [...text].length > limit ? { error: 'form.tooLong' } : { text }
}

/**
 * Moderating the conversation: a waiting comment is published or rejected with a reason the
 * writer reads; an official answers a question or comment for the municipality.
 */
export default async function commentRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    comment: Comment,
    state: { done?: string; sent?: 'decide' | 'answer'; errors?: Record<string, string>; values?: Typed } = {},
  ) {
    const now = new Date()
    const translatable = commentIsTranslated(comment.status)
    const [context, parent, answers, waiting, translations] = await Promise.all([
      findCommentContext(app.db, comment),
      comment.parentId === null ? null : findComment(app.db, comment.parentId),
      listAnswersOf(app.db, comment.id),
      state.done ? listWaitingComments(app.db) : [],
      translatable ? commentTranslationsInto(app.db, [comment.id], request.lang) : new Map<number, StoredText>(),
    ])
    const from = writtenIn(comment.lang)
    const errors = state.errors ?? {}
    const values = state.values ?? {}
    const title = app.translate(request.lang, 'commentModeration.title')
    const failed = Object.keys(errors).length > 0
    return reply.render('pages/official/moderation-comment.hbs', {
      title: failed ? app.translate(request.lang, 'form.errorTitle', { title }) : title,
      comment: {
        ...comment,
        kindKey: `conversation.kind.${comment.kind}`,
        authorKey: `conversation.author.${comment.author}`,
        statusKey: `conversation.status.${comment.status}`,
        reasonKey: comment.rejectReason && `conversation.reason.${comment.rejectReason}`,
        languageName: isLang(comment.lang) ? language(comment.lang).name : comment.lang,
      },
      translation:
        from === request.lang ? null : translationView(translations.get(comment.id), comment.text, request.lang),
      translateHref:
        translatable && allowed(request, 'proposal.translate')
          ? `/official/rounds/${comment.roundId}/texts/comment-${comment.id}/translate${from === request.lang ? '' : `?into=${request.lang}`}`
          : null,
      context,
      round: roundView(theRound(request)),
      parent,
      answers: answers.map((a) => ({
        ...a,
        authorKey: `conversation.author.${a.author}`,
        statusKey: `conversation.status.${a.status}`,
      })),
      waited: comment.waitingSince ? waitedView(comment.waitingSince, now) : null,
      canDecide: comment.status === 'waiting' && allowed(request, 'comment.moderate'),
      canAnswer: comment.status === 'published' && takesAnswers(comment.kind) && allowed(request, 'comment.answer'),
      reasons: REJECT_REASONS.map((value) => ({
        value,
        key: `conversation.reason.${value}`,
        checked: values.reason === value,
      })),
      languages: LANGUAGE_LIST.map(({ code, name }) => ({
        code,
        name,
        selected: code === (values.lang || OFFICIAL_LANG),
      })),
      limits: COMMENT_LIMITS,
      errors,
      values,
      sent: state.sent,
      doneKey: state.done && `commentModeration.done.${state.done}`,
      next: waiting.find((c) => c.id !== comment.id),
    })
  }

  app.get(
    '/comments/:id',
    { schema: { params: IdPath, querystring: DoneQuery }, config: { action: 'moderation.view' } },
    async (request, reply) => render(request, reply, theComment(request), { done: request.query.done }),
  )

  const closedPhase = (request: FastifyRequest, reply: FastifyReply) =>
    render(request, reply.code(409), theComment(request), { errors: { form: 'commentModeration.closedPhase' } })

  for (const decision of ['publish', 'reject'] as const) {
    app.post(
      `/comments/:id/${decision}`,
      { schema: { params: IdPath, body: FormInput }, config: { action: 'comment.moderate', refuse: closedPhase } },
      async (request, reply) => {
        const comment = theComment(request)
        const read = readForm(DecisionBody, request.body)
        const values: Typed = { reason: read.typed.reason, note: read.typed.note }
        const refuse = (status: number, errors: Record<string, string>) =>
          render(request, reply.code(status), comment, { sent: 'decide', errors, values })
        if (comment.status !== 'waiting') return refuse(409, { form: 'commentModeration.alreadyDecided' })
        const reason = decision === 'reject' ? read.typed.reason : null
        const note = officialText(read.typed.note, COMMENT_LIMITS.note, false)
        const errors: Record<string, string> = {}
        if (decision === 'reject' && !isRejectReason(reason)) errors.reason = 'commentModeration.reasonRequired'
        if ('error' in note) errors.note = note.error
        if (Object.keys(errors).length > 0) return refuse(422, errors)
        const decided = await moderateComment(app.db, app, {
          comment,
          decision,
          reason: isRejectReason(reason) ? reason : null,
          note: 'text' in note && note.text !== '' ? note.text : null,
          official: theOfficial(request),
          now: new Date(),
        })
        if (!decided) return refuse(409, { form: 'commentModeration.alreadyDecided' })
        return reply.redirect(`/official/comments/${comment.id}?done=${decision}`, 303)
      },
    )
  }

  app.post(
    '/comments/:id/answer',
    { schema: { params: IdPath, body: FormInput }, config: { action: 'comment.answer', refuse: closedPhase } },
    async (request, reply) => {
      const comment = theComment(request)
      const read = readForm(AnswerBody, request.body)
      const values: Typed = { text: read.typed.text, lang: read.typed.lang, sign: read.typed.sign !== '' }
      const refuse = (status: number, errors: Record<string, string>) =>
        render(request, reply.code(status), comment, { sent: 'answer', errors, values })
      if (comment.status !== 'published' || !takesAnswers(comment.kind))
        return refuse(409, { form: 'commentModeration.notAnswerable' })
      const text = officialText(read.typed.text, COMMENT_LIMITS.text, true)
      const errors: Record<string, string> = {}
      if ('error' in text) errors.text = text.error
      if (read.typed.lang !== '' && !isLang(read.typed.lang)) errors.lang = 'form.invalid'
      if (Object.keys(errors).length > 0 || !('text' in text)) return refuse(422, errors)
      const answer = await answerAsOfficial(app.db, app, {
        actor: request.actor,
        parent: comment,
        official: theOfficial(request),
        text: text.text,
        lang: isLang(read.typed.lang) ? read.typed.lang : OFFICIAL_LANG,
        sign: values.sign === true,
        now: new Date(),
      })
      if (!answer) return closedPhase(request, reply)
      return reply.redirect(`/official/comments/${comment.id}?done=answer`, 303)
    },
  )
}
