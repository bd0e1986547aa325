import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { sql } from 'drizzle-orm'
import { RETRY_AFTER_SECONDS } from '../../../db/unavailable.js'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  findProposalByToken,
  findPublicProposal,
  listPublicProposals,
  type ProposalFilter,
} from '../../data/proposals.js'
import { findRoundBySlug, listPublicRounds } from '../../data/rounds.js'
import { RESIDENT } from '../../domain/access/permissions.js'
import { isStatusToken } from '../../domain/proposals/rules.js'
import { takesPaperBallots } from '../../domain/voting/ballot.js'
import { rememberLanguage, wantsFragment } from '../../plugins/views.js'
import { safeRedirect } from '../../domain/security/redirect.js'
import { allowed, decide, theRound } from '../../plugins/auth.js'
import { contentVersion, roundView } from '../shared/round-view.js'
import accessibilityRoutes from './accessibility.js'
import { filterView, listView, readFilter } from './proposal-views.js'
import { mapListView, readRoundView, ROUND_VIEWS, type RoundView } from '../shared/map-view.js'
import type { Lang } from '../../languages.js'
import paperBallotRoutes from './paper-ballot.js'
import followsRoutes from './follows.js'
import { followLink } from './follow-view.js'
import { fundedIds } from '../../data/results.js'
import { newsToFollow } from '../../domain/conversation/follows.js'
import photoRoutes from './photos.js'
import proposalsRoutes from './proposals.js'
import publicResultsRoutes from './results.js'
import { FilterQuery, LanguagePath, NextQuery, SlugPath } from './schemas.js'
import { localised } from '../shared/localise.js'
import { localisedRoundTexts, officialTexts } from '../shared/official-texts.js'

/**
 * The folder's one guard: loads the round (or the proposal) the path names and asks the route's
 * action once. These pages are the public's: an official reading them asks as a resident and sees
 * what every resident sees. A status link's token is the submitter's secret: holding it makes the
 * proposal theirs, and a wrong one says no more than that it names nothing.
 */
async function guard(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  request.actor = RESIDENT
  const { slug, reference, token } = request.params as { slug?: string; reference?: string; token?: string }
  if (token !== undefined) {
    const found = isStatusToken(token) ? await findProposalByToken(this.db, token) : undefined
    if (!found) return reply.callNotFound()
    request.actor = { kind: 'resident', holds: { statusLinkOf: found.proposal.id } }
    request.round = found.round
    request.proposal = found.proposal
  } else if (slug !== undefined) {
    const round = await findRoundBySlug(this.db, slug)
    if (!round) return reply.callNotFound()
    request.round = round
  } else if (reference !== undefined) {
    const found = reference.length <= 40 ? await findPublicProposal(this.db, reference.toUpperCase()) : undefined
    if (!found) return reply.callNotFound()
    request.round = found.round
    request.publicProposal = found.proposal
  } else return
  // A round the public may not see does not exist, whatever the route would do in it.
  if (!allowed(request, 'round.view')) return reply.callNotFound()
  return decide(request, reply)
}

export default async function publicRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.addHook('preHandler', guard)

  app.get('/', async (request, reply) => {
    const rounds = await listPublicRounds(app.db)
    return reply.renderKept('home', rounds.map(contentVersion), 'pages/public/home.hbs', () => ({
      title: app.translate(request.lang, 'home.title'),
      rounds: rounds.map(roundView),
    }))
  })

  /** The list of the round's ideas, or the map of its approved projects with the same projects as a list. */
  async function proposalsView(roundId: number, filter: ProposalFilter, view: RoundView, lang: Lang) {
    const switchTo = ROUND_VIEWS.map((name) => ({ name, key: `map.view.${name}`, current: name === view }))
    if (view === 'map') {
      const all = await localised(app.db, await listPublicProposals(app.db, roundId), lang)
      return { views: switchTo, mapView: mapListView(all) }
    }
    const list = listView(await localised(app.db, await listPublicProposals(app.db, roundId, filter), lang), filter)
    return { views: switchTo, list }
  }

  app.get(
    '/rounds/:slug',
    {
      schema: { params: SlugPath, querystring: FilterQuery },
      config: { action: 'round.view' },
    },
    async (request, reply) => {
      const round = theRound(request)
      const filter = readFilter(request.query)
      const view = readRoundView(request.query.view)
      return reply.renderKept(
        `round:${round.id}`,
        [contentVersion(round)],
        'pages/public/round.hbs',
        // Read only when the kept page is out of date.
        async () => ({
          title: round.title,
          round: {
            ...roundView(round),
            ...localisedRoundTexts(round, await officialTexts(app.db, round.id, request.lang)),
          },
          canPropose: allowed(request, 'proposal.submit'),
          canVote: allowed(request, 'ballot.cast'),
          canPrintBallot: allowed(request, 'ballot.print') && takesPaperBallots(round.ballotFormat),
          canSeeResults: allowed(request, 'results.view'),
          follow:
            allowed(request, 'follow.start') &&
            newsToFollow(round.phase, round.phase === 'published' && (await fundedIds(app.db, round.id)).size > 0)
              ? followLink(round, null)
              : null,
          filter: filterView(filter),
          ...(await proposalsView(round.id, filter, view, request.lang)),
          // The map view has nothing for htmx to do (the filters belong to the list), and Leaflet needs the room:
          // without it the page stays under the 50 KB a resident page may weigh.
          withoutHtmx: view === 'map',
          // The count sits outside the swapped list as a status region, so screen readers hear a filter's effect.
          oob: wantsFragment(request),
        }),
        { fragment: 'partials/proposal-list.hbs' },
      )
    },
  )

  app.get(
    '/language/:lang',
    {
      schema: { params: LanguagePath, querystring: NextQuery },
    },
    async (request, reply) => {
      rememberLanguage(reply, request.params.lang)
      return reply.redirect(safeRedirect(request.query.next, '/'), 303)
    },
  )

  app.get('/healthz', async (request, reply) => {
    try {
      await app.db.execute(sql`select 1`)
      return { status: 'ok', database: 'ok' }
    } catch (error) {
      // Not ready: a load balancer sends the visitor elsewhere, and a client is told when to ask again.
      request.log.warn({ err: error }, 'health check: database unreachable')
      return reply
        .code(503)
        .header('Retry-After', String(RETRY_AFTER_SECONDS))
        .send({ status: 'error', database: 'unreachable' })
    }
  })

  await app.register(proposalsRoutes)
  await app.register(publicResultsRoutes)
  await app.register(accessibilityRoutes)
  await app.register(paperBallotRoutes)
  await app.register(followsRoutes)
  await app.register(photoRoutes)
}
