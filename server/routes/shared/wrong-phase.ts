import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Translate } from '../../i18n.js'

/**
 * What a route refuses with when the round is not in the phase its action needs: a 409 page whose
 * message (`messageKey`) and help (`messageKey` + "Help") say which phase that is.
 */
export const wrongPhase =
  (app: { translate: Translate }, messageKey: string) => (request: FastifyRequest, reply: FastifyReply) =>
    reply.code(409).render('errors/error.hbs', {
      title: app.translate(request.lang, messageKey),
      status: 409,
      messageKey,
      helpKey: `${messageKey}Help`,
    })
