import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { findOfficial } from '../data/officials.js'
import { canAtAll, type Action, type Role } from '../domain/permissions.js'

export interface SignedInOfficial {
  id: number
  name: string
  email: string
  role: Role
}

declare module 'fastify' {
  interface FastifyRequest {
    official: SignedInOfficial | null
  }
  interface FastifyInstance {
    /** A guard for a folder of routes: signed in, and allowed to do `action` in some phase. */
    requireAction(action: Action): preHandlerAsyncHookHandler
  }
}

export class ForbiddenError extends Error {
  statusCode = 403
  code = 'FORBIDDEN'
}

export default fp(async (app) => {
  app.decorateRequest('official', null)
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const id = request.session.officialId
    if (id === undefined) return
    const row = await findOfficial(app.db, id)
    if (row) request.official = { id: row.id, name: row.name, email: row.email, role: row.role }
  })

  app.decorate('requireAction', (action: Action) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.official) {
      // A page asks the person to log in; an action by someone not logged in is simply forbidden.
      if (request.method !== 'GET' && request.method !== 'HEAD') throw new ForbiddenError()
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303)
    }
    if (!canAtAll(request.official.role, action)) throw new ForbiddenError()
  })
}, { name: 'auth', dependencies: ['session'] })
