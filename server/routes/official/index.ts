import type { FastifyInstance } from 'fastify'
import { listRounds } from '../../data/rounds.js'
import { roundView } from '../public/view-models.js'
import moderationRoutes from './moderation.js'
import roundsRoutes from './rounds.js'

export default async function officialRoutes(app: FastifyInstance) {
  app.addHook('preHandler', app.requireAction('dashboard.view'))

  app.get('/', async (request, reply) => {
    const rounds = await listRounds(app.db)
    return reply.render('pages/official/dashboard.hbs', {
      title: app.translate(request.lang, 'dashboard.title'),
      rounds: rounds.map(roundView),
    })
  })

  await app.register(roundsRoutes)
  await app.register(moderationRoutes)
}
