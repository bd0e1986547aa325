import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { listRounds } from '../../data/rounds.js'
import { allowedIn } from '../../plugins/auth.js'
import { needsView, roundNeeds } from './translation-needs.js'

/** The coaches' "needs translation" list: every round they may translate in now, each with what it still lacks. */
export default async function translationListRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/translations', { config: { action: 'proposal.translate' } }, async (request, reply) => {
    const now = new Date()
    const rounds = (await listRounds(app.db)).filter((round) => allowedIn(request, round, 'proposal.translate', now))
    const sections = await Promise.all(rounds.map(async (round) => needsView(round, await roundNeeds(app.db, round))))
    return reply.render('pages/official/translations.hbs', {
      title: app.translate(request.lang, 'translation.needsTitle'),
      rounds: sections,
      oneRound: null,
    })
  })
}
