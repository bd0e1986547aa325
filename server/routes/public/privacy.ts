import type { FastifyInstance } from 'fastify'
import type { PrivacyConfig } from '../../config.js'

/** The privacy statement (privacyverklaring): its names and periods come from the configuration. */
export default async function privacyRoutes(
  app: FastifyInstance,
  opts: { privacy: PrivacyConfig; contactRetentionDays: number },
) {
  app.get('/privacyverklaring', async (request, reply) =>
    reply.render('pages/public/privacy.hbs', {
      title: app.translate(request.lang, 'privacy.title'),
      privacy: opts.privacy,
      days: opts.contactRetentionDays,
    }),
  )
}
