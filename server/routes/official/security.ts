import type { FastifyInstance } from 'fastify'
import { outboxHealth } from '../../data/outbox.js'
import { listSecurityEvents } from '../../data/security.js'

export default async function securityRoutes(app: FastifyInstance) {
  app.get('/security', { config: { action: 'security.view' } }, async (request, reply) => {
    const [events, outbox] = await Promise.all([listSecurityEvents(app.db), outboxHealth(app.db)])
    return reply.render('pages/official/security.hbs', {
      title: app.translate(request.lang, 'security.title'),
      events: events.map((e) => ({
        id: e.id,
        at: e.at,
        actionKey: `security.action.${e.action}`,
        actor: e.actor,
        object: e.object,
        origin: typeof e.details['origin'] === 'string' ? e.details['origin'] : '—',
      })),
      outbox: { ...outbox, mailConfigured: app.mailConfigured },
    })
  })
}
