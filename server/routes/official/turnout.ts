import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { turnout, turnoutByLanguage } from '../../data/ballots.js'
import { turnoutFigures } from '../../domain/voting/turnout.js'
import { theRound } from '../../plugins/auth.js'
import { languageTurnoutRows } from '../shared/language-turnout.js'
import { IdPath } from './schemas.js'

export default async function turnoutRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/rounds/:id/turnout',
    {
      schema: { params: IdPath },
      config: { action: 'turnout.view' },
    },
    async (request, reply) => {
      const round = theRound(request)
      const [counts, languages] = await Promise.all([turnout(app.db, round.id), turnoutByLanguage(app.db, round.id)])
      return reply.render('pages/official/turnout.hbs', {
        title: app.translate(request.lang, 'turnout.title', { title: round.title }),
        round,
        ...turnoutFigures(counts),
        failedCodeAttempts: round.failedCodeAttempts,
        byLanguage: languageTurnoutRows(languages),
      })
    },
  )
}
