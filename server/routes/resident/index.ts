import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findRoundBySlug } from '../../data/rounds.js'
import { can } from '../../domain/access/permissions.js'
import voteRoutes from './vote.js'

/** The folder's one guard: the round the path names, if residents may see it; whether voting is open is the handler's page to show. */
async function guard(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const { slug } = request.params as { slug?: string }
  if (slug === undefined) return
  const round = await findRoundBySlug(this.db, slug)
  if (!round || !can('resident', 'round.view', round.phase)) return reply.callNotFound()
  request.round = round
}

export default async function residentRoutes(app: FastifyInstance, opts: { codeKey: string }) {
  app.addHook('preHandler', guard)
  await app.register(voteRoutes, opts)
}
