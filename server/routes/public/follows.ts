import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hitRateLimit } from '../../data/rate-limits.js'
import type { FollowSubject } from '../../data/follows.js'
import { isolate } from '../../domain/common/bidi.js'
import { sha256 } from '../../domain/common/digest.js'
import { FOLLOW_THROTTLE, newsToFollow, validateFollow, type FollowField } from '../../domain/conversation/follows.js'
import { fundedIds } from '../../data/results.js'
import { FORM_TYPE } from '../../plugins/input.js'
import { hostCookie } from '../../plugins/security.js'
import { theRound } from '../../plugins/auth.js'
import { confirmFollowing, findFollowing, followByForm, stopFollowing } from '../../usecases/follows.js'
import { FormInput, readForm } from '../forms.js'
import { form, textField } from '../schemas.js'
import { followView, type FollowForm } from './follow-view.js'
import { ReferencePath, SlugPath } from './schemas.js'

/** Types only: what is wrong with the address is for validateFollow to say. */
const FollowBody = form({ email: Type.Optional(Type.String()), lang: textField(100) })
/** Not named `token`: the folder's guard reads that as a status link. */
const FollowPath = Type.Object({ secret: Type.String() })

const EMPTY: FollowForm = { email: '', lang: '' }

/**
 * Following a round or a proposal by e-mail: the form, the confirmation link, and the way out
 * (a page with one button, and the same address for a mail client's one-click request).
 */
export default async function followsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const csrfCookie = hostCookie('csrf', app.secureCookies)

  // RFC 8058's one-click request may come as multipart/form-data; its body says nothing the path does not,
  // so here it is not read at all (the photo forms' multipart reader stays outside this plugin).
  app.removeContentTypeParser('multipart/form-data')
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) =>
    done(null, {}),
  )

  /** What the path names: the round, or one of its proposals. */
  const subjectOf = (request: FastifyRequest) => {
    const round = theRound(request)
    const proposal = request.publicProposal ?? null
    const base = proposal ? `/proposals/${proposal.reference}` : `/rounds/${round.slug}`
    return { round, proposal, base }
  }

  function page(
    request: FastifyRequest,
    reply: FastifyReply,
    values: FollowForm,
    errors: Partial<Record<FollowField, string>>,
    status: number,
  ) {
    const { round, proposal, base } = subjectOf(request)
    const view = followView({ round, proposal, action: `${base}/follow`, values, errors, status, lang: request.lang })
    const title = app.translate(request.lang, view.titleKey)
    return reply.code(status).render(
      'pages/public/follow.hbs',
      {
        title: status >= 400 ? app.translate(request.lang, 'form.errorTitle', { title }) : title,
        round,
        proposal,
        follow: view,
      },
      { fragment: 'partials/follow-form.hbs' },
    )
  }

  const refuse = (request: FastifyRequest, reply: FastifyReply) => {
    const round = theRound(request)
    return reply.code(409).render('pages/public/follow-closed.hbs', {
      title: app.translate(request.lang, 'follows.closed.title'),
      round,
    })
  }
  const following = { action: 'follow.start' as const, refuse }

  /** After the results only the round and its funded projects have news; the others' follow pages say it is over. */
  async function newsOnly(request: FastifyRequest, reply: FastifyReply) {
    const { round, proposal } = subjectOf(request)
    if (round.phase !== 'published') return
    const funded = await fundedIds(app.db, round.id)
    if (!newsToFollow(round.phase, proposal ? funded.has(proposal.id) : funded.size > 0)) return refuse(request, reply)
  }

  async function throttled(request: FastifyRequest): Promise<boolean> {
    const { windowMs, perAddress, perBrowser } = FOLLOW_THROTTLE
    // The CSRF secret is the browser's own random cookie (a post without it never gets here); only its hash is kept.
    const browser = sha256(request.cookies[csrfCookie] ?? request.ip).slice(0, 32)
    const [address, own] = await Promise.all([
      hitRateLimit(app.db, `follow:${request.ip}`, windowMs),
      hitRateLimit(app.db, `follow:browser:${browser}`, windowMs),
    ])
    return address.count > perAddress || own.count > perBrowser
  }

  async function subscribe(request: FastifyRequest, reply: FastifyReply, body: unknown) {
    const read = readForm(FollowBody, body)
    const values = { email: read.typed.email, lang: read.typed.lang }
    const checked = validateFollow(values, request.lang)
    if ('errors' in checked || !read.ok) {
      const errors = 'errors' in checked ? checked.errors : {}
      const schemaErrors = read.ok ? {} : read.errors
      const keys = Object.fromEntries(
        (['email', 'lang'] as const)
          .filter((f) => errors[f] || schemaErrors[f])
          // A value of the wrong type (a list for one address) is invalid, whatever is left of it.
          .map((f) => [f, `follows.error.${f}.${schemaErrors[f] ? 'invalid' : errors[f]!}`]),
      )
      return page(request, reply, values, keys, 422)
    }
    // Only a complete request counts, so a typo uses up nothing.
    if (await throttled(request)) return page(request, reply, values, {}, 429)
    const { round, proposal, base } = subjectOf(request)
    await followByForm(app.db, app, {
      roundId: round.id,
      proposalId: proposal?.id ?? null,
      commentId: null,
      ...checked.fields,
    })
    return reply.redirect(`${base}/follow/sent`, 303)
  }

  function sent(request: FastifyRequest, reply: FastifyReply) {
    const { round, proposal } = subjectOf(request)
    return reply.render('pages/public/follow-sent.hbs', {
      title: app.translate(request.lang, 'follows.sent.title'),
      round,
      proposal,
    })
  }

  for (const [path, params] of [
    ['/rounds/:slug/follow', SlugPath],
    ['/proposals/:reference/follow', ReferencePath],
  ] as const) {
    const config = { schema: { params }, config: following, preHandler: newsOnly }
    app.get(path, config, (request, reply) => page(request, reply, EMPTY, {}, 200))
    app.post(path, { ...config, schema: { params, body: FormInput } }, (request, reply) =>
      subscribe(request, reply, request.body),
    )
    app.get(`${path}/sent`, config, sent)
  }

  /** What a follow is about, as the pages say it. */
  const what = (request: FastifyRequest, subject: FollowSubject) => {
    const round = isolate(subject.round.title)
    if (!subject.proposal) return app.translate(request.lang, 'follows.what.round', { round })
    const key = subject.follow.commentId === null ? 'follows.what.proposal' : 'follows.what.comment'
    return app.translate(request.lang, key, {
      title: isolate(subject.proposal.title),
      reference: subject.proposal.reference,
    })
  }
  const unknown = (request: FastifyRequest, reply: FastifyReply) =>
    reply.code(404).render('pages/public/follow-unknown.hbs', {
      title: app.translate(request.lang, 'follows.unknown.title'),
    })

  app.get('/follow/:secret/confirm', { schema: { params: FollowPath } }, async (request, reply) => {
    const found = await confirmFollowing(app.db, request.params.secret, new Date())
    if (!found) return unknown(request, reply)
    return reply.render('pages/public/follow-confirmed.hbs', {
      title: app.translate(request.lang, 'follows.confirmed.title'),
      what: what(request, found),
      round: found.round,
      proposal: found.proposal,
      leave: `/follow/${found.follow.token}/unsubscribe`,
    })
  })

  app.get('/follow/:secret/unsubscribe', { schema: { params: FollowPath } }, async (request, reply) => {
    const found = await findFollowing(app.db, request.params.secret)
    if (!found) return unknown(request, reply)
    return reply.render('pages/public/follow-unsubscribe.hbs', {
      title: app.translate(request.lang, 'follows.unsubscribe.title'),
      what: what(request, found),
      action: `/follow/${found.follow.token}/unsubscribe`,
    })
  })

  // The token in the path is the proof: a mail client's one-click request has no form token and no cookie.
  app.post(
    '/follow/:secret/unsubscribe',
    { schema: { params: FollowPath }, config: { csrf: false, bodyTypes: [FORM_TYPE, 'multipart/form-data'] } },
    async (request, reply) => {
      const found = await findFollowing(app.db, request.params.secret)
      if (!found || !(await stopFollowing(app.db, request.params.secret))) return unknown(request, reply)
      return reply.render('pages/public/follow-left.hbs', {
        title: app.translate(request.lang, 'follows.left.title'),
        what: what(request, found),
        round: found.round,
      })
    },
  )
}
