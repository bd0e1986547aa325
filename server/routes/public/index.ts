import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { listPublicProposals } from '../../data/proposals.js'
import { findRoundBySlug, listPublicRounds } from '../../data/rounds.js'
import { can } from '../../domain/permissions.js'
import { isLang, LANGUAGES } from '../../i18n.js'
import { wantsFragment } from '../../plugins/views.js'
import { safeRedirect } from '../../domain/redirect.js'
import accessibilityRoutes from './accessibility.js'
import { filterQuerySchema, filterView, listView, readFilter } from './proposal-views.js'
import proposalsRoutes from './proposals.js'
import publicResultsRoutes from './results.js'
import { roundView } from './view-models.js'

const YEAR_SECONDS = 365 * 24 * 60 * 60

export default async function publicRoutes(app: FastifyInstance) {
  app.get('/', async (request, reply) => {
    const rounds = await listPublicRounds(app.db)
    return reply.render('pages/public/home.hbs', { title: app.translate(request.lang, 'home.title'), rounds: rounds.map(roundView) })
  })

  app.get<{ Params: { slug: string }; Querystring: { theme?: string; track?: string } }>('/rounds/:slug', {
    schema: {
      params: { type: 'object', properties: { slug: { type: 'string', maxLength: 100 } }, required: ['slug'] },
      querystring: filterQuerySchema,
    },
  }, async (request, reply) => {
    const round = await findRoundBySlug(app.db, request.params.slug)
    if (!round || round.phase === 'draft') return reply.callNotFound()
    const filter = readFilter(request.query)
    const proposals = await listPublicProposals(app.db, round.id, filter)
    return reply.render('pages/public/round.hbs', {
      title: round.title,
      round: roundView(round),
      canPropose: can('resident', 'proposal.submit', round.phase),
      canVote: can('resident', 'ballot.cast', round.phase),
      filter: filterView(filter),
      list: listView(proposals, filter),
      // The count sits outside the swapped list as a status region, so screen readers hear a filter's effect.
      oob: wantsFragment(request),
    }, { fragment: 'partials/proposal-list.hbs' })
  })

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/language/:lang', {
    schema: {
      params: { type: 'object', properties: { lang: { type: 'string', enum: [...LANGUAGES] } }, required: ['lang'] },
      querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 2000 } } },
    },
  }, async (request, reply) => {
    const { lang } = request.params
    if (isLang(lang)) {
      reply.setCookie('lang', lang, { path: '/', maxAge: YEAR_SECONDS, sameSite: 'lax', httpOnly: true, secure: app.secureCookies })
    }
    return reply.redirect(safeRedirect(request.query.next, '/'), 303)
  })

  app.get('/healthz', async (request, reply) => {
    try {
      await app.db.execute(sql`select 1`)
      return { status: 'ok', database: 'ok' }
    } catch (error) {
      request.log.error({ err: error }, 'health check: database unreachable')
      return reply.code(503).send({ status: 'error', database: 'unreachable' })
    }
  })

  await app.register(proposalsRoutes)
  await app.register(publicResultsRoutes)
  await app.register(accessibilityRoutes)
}
