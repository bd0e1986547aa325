import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { turnout } from '../../data/ballots.js'
import { turnoutFigures } from '../../domain/turnout.js'
import { theRound } from '../../plugins/auth.js'
import { IdPath } from './schemas.js'

export default async function turnoutRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get('/rounds/:id/turnout', {
    schema: { params: IdPath },
    config: { action: 'turnout.view' },
  }, async (request, reply) => {
    const round = theRound(request)
    return reply.render('pages/official/turnout.hbs', {
      title: app.translate(request.lang, 'turnout.title', { title: round.title }),
      round,
      ...turnoutFigures(await turnout(app.db, round.id)),
      failedCodeAttempts: round.failedCodeAttempts,
    })
  })
}
