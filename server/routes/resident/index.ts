import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findRoundBySlug } from '../../data/rounds.js'
import { RESIDENT } from '../../domain/access/permissions.js'
import { allowed, decide } from '../../plugins/auth.js'
import voteRoutes from './vote.js'

/**
 * The folder's one guard: the round the path names, if residents may see it, and the route's action
 * asked once (voting open, by phase and planned end); refused, the route's own page says why.
 */
async function guard(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  request.actor = RESIDENT
  const { slug } = request.params as { slug?: string }
  if (slug === undefined) return
  const round = await findRoundBySlug(this.db, slug)
  if (!round) return reply.callNotFound()
  request.round = round
  if (!allowed(request, 'round.view')) return reply.callNotFound()
  return decide(request, reply)
}

export default async function residentRoutes(app: FastifyInstance, opts: { codeKey: string }) {
  app.addHook('preHandler', guard)
  await app.register(voteRoutes, opts)
}
