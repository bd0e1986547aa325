import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findComment, findCommentByToken, findCommentContext, type Comment } from '../../data/comments.js'
import { hitRateLimit } from '../../data/rate-limits.js'
import { findRound } from '../../data/rounds.js'
import { sha256 } from '../../domain/common/digest.js'
import {
  COMMENT_THROTTLE,
  REPORT_THROTTLE,
  takesAnswers,
  validateComment,
  type CommentErrors,
} from '../../domain/conversation/comments.js'
import { residentsMay, theRound } from '../../plugins/auth.js'
import { wantsFragment } from '../../plugins/views.js'
import { hostCookie } from '../../plugins/security.js'
import { writeComment, reportPublishedComment } from '../../usecases/comments.js'
import { FormInput, readForm, readQuery } from '../forms.js'
import { form, parseId, textField } from '../schemas.js'
import { commentFormView, EMPTY_COMMENT, type CommentFormValues } from './conversation-views.js'
import { ReferencePath, TokenPath } from './schemas.js'

const CommentBody = form({
  kind: textField(20),
  text: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  lang: textField(10),
  email: Type.Optional(Type.String()),
  answer: textField(12),
})
const NewQuery = Type.Object({ kind: textField(20), answer: textField(12) })
const KeyPath = Type.Object({ key: Type.String() })
const IdPath = Type.Object({ id: Type.String() })

/** Where a writer comes from: the public proposal page, or the submitter's status link (marked "indiener"). */
interface Place {
  author: 'resident' | 'submitter'
  proposal: { id: number; reference: string; title: string; lang: string }
  action: string
  back: string
}

/**
 * The conversation's resident side: the form to ask, comment or answer (its own page, so the
 * proposal's page stays one kept page for every visitor; htmx loads it in place), the writer's own
 * page behind the comment's secret link, and the report.
 */
export default async function conversationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  function placeOf(request: FastifyRequest): Place {
    if (request.proposal) {
      const p = request.proposal
      return {
        author: 'submitter',
        proposal: { id: p.id, reference: p.reference, title: p.title, lang: p.lang },
        action: `/status/${p.statusToken}/conversation`,
        back: `/status/${p.statusToken}`,
      }
    }
    const p = request.publicProposal!
    return {
      author: 'resident',
      proposal: { id: p.id, reference: p.reference, title: p.title, lang: p.lang },
      action: `/proposals/${p.reference}/conversation`,
      back: `/proposals/${p.reference}#conversation`,
    }
  }

  function closed(request: FastifyRequest, reply: FastifyReply) {
    return reply.code(409).render('pages/public/conversation-closed.hbs', {
      title: app.translate(request.lang, 'conversation.closed.title'),
      back: placeOf(request).back,
    })
  }
  const write = { action: 'comment.write' as const, refuse: closed }

  /** The question or comment an answer goes under: published, of this proposal, and not itself an answer. */
  async function parentOf(place: Place, answer: string | undefined): Promise<Comment | null | undefined> {
    if (answer === undefined || answer === '') return null
    const id = parseId(answer)
    const parent = id === null ? undefined : await findComment(app.db, id)
    if (!parent || parent.proposalId !== place.proposal.id || parent.status !== 'published') return undefined
    return takesAnswers(parent.kind) ? parent : undefined
  }

  function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    parent: Comment | null,
    values: CommentFormValues,
    errors: CommentErrors,
    status = 200,
    tooMany = false,
  ) {
    const place = placeOf(request)
    const title = app.translate(request.lang, parent ? 'conversation.new.answerTitle' : 'conversation.new.title')
    return reply.code(status).render(
      'pages/public/conversation-new.hbs',
      {
        title: status === 422 ? app.translate(request.lang, 'form.errorTitle', { title }) : title,
        heading: title,
        proposal: place.proposal,
        back: place.back,
        asSubmitter: place.author === 'submitter',
        parent: parent && {
          id: parent.id,
          text: parent.text,
          lang: parent.lang,
          kindKey: `conversation.kind.${parent.kind}`,
        },
        tooMany,
        // At the top level: htmx asks for the form partial alone, which is rendered with the page's model.
        ...commentFormView(values, errors, request.lang, { action: place.action, answering: parent !== null }),
        answer: parent?.id ?? '',
      },
      { fragment: 'partials/comment-form.hbs' },
    )
  }

  async function showForm(request: FastifyRequest<{ Querystring: unknown }>, reply: FastifyReply) {
    const query = readQuery(NewQuery, request.query)
    const parent = await parentOf(placeOf(request), query.answer)
    if (parent === undefined) return reply.callNotFound()
    return renderForm(request, reply, parent, { ...EMPTY_COMMENT, kind: query.kind ?? '' }, {})
  }

  async function send(request: FastifyRequest<{ Body: Record<string, string | string[]> }>, reply: FastifyReply) {
    const place = placeOf(request)
    const read = readForm(CommentBody, request.body)
    const typed = read.typed
    const values: CommentFormValues = {
      kind: typed.kind,
      text: typed.text,
      name: typed.name,
      lang: typed.lang,
      email: typed.email,
    }
    const parent = await parentOf(place, typed.answer)
    // The question was taken down (reported, or never of this proposal): nothing to answer.
    if (parent === undefined) return reply.callNotFound()
    const checked = validateComment(values, request.lang, parent !== null)
    if ('errors' in checked) return renderForm(request, reply, parent, values, checked.errors, 422)
    if (await throttled(request)) return renderForm(request, reply, parent, values, {}, 429, true)
    const comment = await writeComment(app.db, app, {
      actor: request.actor,
      roundId: theRound(request).id,
      proposalId: place.proposal.id,
      parent,
      author: place.author,
      fields: checked.fields,
      now: new Date(),
    })
    if (!comment) return closed(request, reply)
    if (wantsFragment(request)) {
      return reply.render(
        'partials/comment-sent.hbs',
        { sent: sentView(comment) },
        { fragment: 'partials/comment-sent.hbs' },
      )
    }
    return reply.redirect(`/conversation/${comment.token}?sent=1`, 303)
  }

  /** Only what is complete counts: per address (a community centre shares one) and per browser. */
  async function throttled(request: FastifyRequest): Promise<boolean> {
    const browser = request.cookies[hostCookie('csrf', app.secureCookies)]
    const [byAddress, byBrowser] = await Promise.all([
      hitRateLimit(app.db, `comment:${request.ip}`, COMMENT_THROTTLE.windowMs),
      browser ? hitRateLimit(app.db, `comment-browser:${sha256(browser)}`, COMMENT_THROTTLE.windowMs) : { count: 0 },
    ])
    return byAddress.count > COMMENT_THROTTLE.perAddress || byBrowser.count > COMMENT_THROTTLE.perBrowser
  }

  function sentView(comment: Comment) {
    return {
      link: `${app.publicUrl}/conversation/${comment.token}`,
      path: `/conversation/${comment.token}`,
      text: comment.text,
      lang: comment.lang,
    }
  }

  const newRoute = { schema: { params: ReferencePath }, config: write }
  app.get('/proposals/:reference/conversation/new', newRoute, showForm)
  app.post(
    '/proposals/:reference/conversation',
    { schema: { params: ReferencePath, body: FormInput }, config: write },
    send,
  )
  app.get('/status/:token/conversation/new', { schema: { params: TokenPath }, config: write }, showForm)
  app.post('/status/:token/conversation', { schema: { params: TokenPath, body: FormInput }, config: write }, send)

  /** A comment's secret link: its writer sees whether it was published, and if not, why. */
  app.get('/conversation/:key', { schema: { params: KeyPath } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex')
    const key = request.params.key
    const comment = /^[A-Za-z0-9_-]{32}$/.test(key) ? await findCommentByToken(app.db, key) : undefined
    if (!comment) return reply.callNotFound()
    const context = await findCommentContext(app.db, comment)
    return reply.render('pages/public/conversation-mine.hbs', {
      title: app.translate(request.lang, 'conversation.mine.title'),
      sent: (request.query as { sent?: unknown }).sent === '1',
      comment: {
        ...comment,
        statusKey: `conversation.status.${comment.status}`,
        explainKey: `conversation.mine.explain.${comment.status}`,
        reasonKey: comment.rejectReason && `conversation.reason.${comment.rejectReason}`,
      },
      proposal: { reference: context.reference, title: context.proposalTitle, lang: context.proposalLang },
      link: sentView(comment).link,
    })
  })

  /** A resident's published comment in a round the public can read; officials' answers are not theirs to take down. */
  async function reportable(idText: string) {
    const id = parseId(idText)
    const comment = id === null ? undefined : await findComment(app.db, id)
    if (!comment || comment.author === 'official') return undefined
    const round = await findRound(app.db, comment.roundId)
    if (!round || !residentsMay(round, 'comment.report')) return undefined
    return comment
  }

  async function reportPage(
    request: FastifyRequest,
    reply: FastifyReply,
    comment: Comment,
    state: 'ask' | 'done' | 'gone' | 'tooMany',
  ) {
    const context = await findCommentContext(app.db, comment)
    return reply
      .code(state === 'tooMany' ? 429 : state === 'gone' ? 409 : 200)
      .render('pages/public/conversation-report.hbs', {
        title: app.translate(request.lang, 'conversation.report.title'),
        comment: state === 'ask' ? comment : null,
        stateKey: state === 'ask' ? null : `conversation.report.${state}`,
        action: `/conversation/report/${comment.id}`,
        back: `/proposals/${context.reference}#conversation`,
      })
  }

  app.get('/conversation/report/:id', { schema: { params: IdPath } }, async (request, reply) => {
    const comment = await reportable(request.params.id)
    if (!comment) return reply.callNotFound()
    return reportPage(request, reply, comment, comment.status === 'published' ? 'ask' : 'gone')
  })

  app.post('/conversation/report/:id', { schema: { params: IdPath, body: FormInput } }, async (request, reply) => {
    const comment = await reportable(request.params.id)
    if (!comment) return reply.callNotFound()
    const { count } = await hitRateLimit(app.db, `report:${request.ip}`, REPORT_THROTTLE.windowMs)
    if (count > REPORT_THROTTLE.perAddress) return reportPage(request, reply, comment, 'tooMany')
    const reported = await reportPublishedComment(app.db, comment, new Date())
    return reportPage(request, reply, comment, reported ? 'done' : 'gone')
  })
}
