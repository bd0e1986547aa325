import type { FastifyInstance } from 'fastify'
import { lastAccessReview } from '../../data/accounts.js'
import { listRounds } from '../../data/rounds.js'
import { accessReviewDue } from '../../domain/accounts.js'
import { canAtAll } from '../../domain/permissions.js'
import { roundView } from '../public/view-models.js'
import accountRoutes from './account.js'
import accountsRoutes from './accounts.js'
import codesRoutes from './codes.js'
import importRoutes from './import.js'
import moderationRoutes from './moderation.js'
import paperRoutes from './paper.js'
import resultsRoutes from './results.js'
import roundsRoutes from './rounds.js'
import securityRoutes from './security.js'
import turnoutRoutes from './turnout.js'

export default async function officialRoutes(app: FastifyInstance, opts: { codeKey: string }) {
  // Before the body is parsed: a stranger's POST is refused unread.
  app.addHook('onRequest', app.requireAction('dashboard.view'))

  app.get('/', async (request, reply) => {
    const rounds = await listRounds(app.db)
    const role = request.official!.role
    const canReview = canAtAll(role, 'officials.review')
    return reply.render('pages/official/dashboard.hbs', {
      title: app.translate(request.lang, 'dashboard.title'),
      // Drafts have no public page yet; every other round shows the address residents use.
      rounds: rounds.map((round) => ({ ...roundView(round), publicAddress: round.phase === 'draft' ? null : `${app.publicUrl}/rounds/${round.slug}` })),
      canCreateRound: canAtAll(role, 'round.create'),
      canManageOfficials: canAtAll(role, 'officials.manage'),
      reviewDue: canReview && accessReviewDue(await lastAccessReview(app.db), new Date()),
      canViewSecurity: canAtAll(role, 'security.view'),
    })
  })

  await app.register(accountRoutes)
  await app.register(accountsRoutes)
  await app.register(importRoutes)
  await app.register(roundsRoutes)
  await app.register(moderationRoutes)
  await app.register(codesRoutes, { codeKey: opts.codeKey })
  await app.register(paperRoutes, { codeKey: opts.codeKey })
  await app.register(turnoutRoutes)
  await app.register(resultsRoutes)
  await app.register(securityRoutes)
}
