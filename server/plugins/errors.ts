import type { FastifyError } from 'fastify'
import fp from 'fastify-plugin'
import { databaseUnavailable } from '../../db/unavailable.js'
import { redact } from '../domain/security/redact.js'
import { renderUnavailable } from './unavailable.js'

/** The message key a status gets; what went wrong inside a 5xx is never shown. */
function messageKey(error: FastifyError, status: number): string {
  if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') return 'errors.csrf'
  if (error.code === 'WB_CONTROL_CHARACTER') return 'errors.controlCharacter'
  if (status === 413) return 'errors.tooLarge'
  if (status === 415) return 'errors.unsupportedMediaType'
  if (status === 429) return 'errors.tooMany'
  if (status === 403) return 'errors.forbidden'
  if (status === 404) return 'errors.notFound'
  if (status >= 500) return 'errors.server'
  return 'errors.badRequest'
}

export default fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      // Not a defect here: the database is restarting or away, and the visitor is told when to come back.
      if (databaseUnavailable(error)) {
        request.log.warn({ err: error }, 'database unavailable: asked to come back later')
        return renderUnavailable(request, reply)
      }
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
      // The err serializer redacts (domain/redact.ts): no parameters of a failed query, no contact details.
      if (status >= 500) request.log.error({ err: error }, 'request failed')
      else request.log.info({ code: error.code, status }, redact(error.message))
      reply.code(status)
      const key = messageKey(error, status)
      return reply.render('errors/error.hbs', {
        title: app.translate(request.lang, key),
        status,
        messageKey: key,
        helpKey: `${key}Help`,
      })
    })

    app.setNotFoundHandler(async (request, reply) => {
      reply.code(404)
      return reply.render('errors/error.hbs', {
        title: app.translate(request.lang, 'errors.notFound'),
        status: 404,
        messageKey: 'errors.notFound',
        helpKey: 'errors.notFoundHelp',
      })
    })
  },
  { name: 'errors', dependencies: ['views'] },
)
