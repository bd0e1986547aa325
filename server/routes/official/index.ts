import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { lastAccessReview } from '../../data/accounts.js'
import { findProposal, findRoundOf } from '../../data/moderation.js'
import { findRound, listRounds } from '../../data/rounds.js'
import { findComment } from '../../data/comments.js'
import commentRoutes from './comments.js'
import { accessReviewDue } from '../../domain/access/accounts.js'
import { admitOfficial, allowedAtAll, decide, residentsMay, theOfficial } from '../../plugins/auth.js'
import { homeKey } from '../../domain/access/menu.js'
import { parseId } from '../schemas.js'
import { roundView } from '../shared/round-view.js'
import accountRoutes from './account.js'
import accountsRoutes from './accounts.js'
import codesRoutes from './codes.js'
import helpDeskRoutes from './help-desk.js'
import budgetRoutes from './budgets.js'
import importRoutes from './import.js'
import moderationRoutes from './moderation.js'
import paperRoutes from './paper.js'
import officialPhotoRoutes from './photos.js'
import resultsRoutes from './results.js'
import roundsRoutes from './rounds.js'
import securityRoutes from './security.js'
import translationRoutes from './translations.js'
import turnoutRoutes from './turnout.js'

/**
 * The folder's one guard, in two steps. Before the body is read (so a stranger's upload is refused
 * unread): signed in, past the second-factor gate, and allowed the route's action in some phase
 * (403 otherwise).
 */
async function admit(request: FastifyRequest, reply: FastifyReply) {
  await admitOfficial(request, reply, request.routeOptions.config.action ?? 'dashboard.view')
}

/**
 * Then what the path names, loaded (404 when it names nothing), and the route's action asked once
 * for that round in its phase now: refused, the route's declared page answers, or 403.
 */
async function load(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  // A wrong moderation action in the address is a bad request before this runs; a wrong id names nothing.
  const { id } = request.params as { id?: string }
  if (id === undefined) return
  const number = parseId(id)
  if (request.routeOptions.url?.startsWith('/official/proposals/')) {
    const proposal = number === null ? undefined : await findProposal(this.db, number)
    if (!proposal) return reply.callNotFound()
    request.proposal = proposal
    request.round = await findRoundOf(this.db, proposal)
  } else if (request.routeOptions.url?.startsWith('/official/comments/')) {
    const comment = number === null ? undefined : await findComment(this.db, number)
    if (!comment) return reply.callNotFound()
    request.comment = comment
    request.round = (await findRound(this.db, comment.roundId))!
  } else {
    const round = number === null ? undefined : await findRound(this.db, number)
    if (!round) return reply.callNotFound()
    request.round = round
  }
  return decide(request, reply)
}

export default async function officialRoutes(fastify: FastifyInstance, opts: { codeKey: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.addHook('onRequest', admit)
  app.addHook('preHandler', load)

  app.get('/', async (request, reply) => {
    const rounds = await listRounds(app.db)
    const canReview = allowedAtAll(request, 'officials.review')
    return reply.render('pages/official/dashboard.hbs', {
      title: app.translate(request.lang, homeKey(theOfficial(request).role)),
      titleKey: homeKey(theOfficial(request).role),
      // Drafts have no public page yet; every other round shows the address residents use.
      rounds: rounds.map((round) => ({
        ...roundView(round),
        publicAddress: residentsMay(round, 'round.view') ? `${app.publicUrl}/rounds/${round.slug}` : null,
      })),
      canCreateRound: allowedAtAll(request, 'round.create'),
      reviewDue: canReview && accessReviewDue(await lastAccessReview(app.db), new Date()),
      canViewSecurity: allowedAtAll(request, 'security.view'),
    })
  })

  await app.register(accountRoutes)
  await app.register(commentRoutes)
  await app.register(accountsRoutes)
  await app.register(importRoutes)
  await app.register(roundsRoutes)
  await app.register(moderationRoutes)
  await app.register(officialPhotoRoutes)
  await app.register(codesRoutes, { codeKey: opts.codeKey })
  await app.register(paperRoutes, { codeKey: opts.codeKey })
  await app.register(helpDeskRoutes)
  await app.register(budgetRoutes)
  await app.register(translationRoutes)
  await app.register(turnoutRoutes)
  await app.register(resultsRoutes)
  await app.register(securityRoutes)
}
