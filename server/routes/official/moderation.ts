import type { FastifyInstance } from 'fastify'

export default async function moderationRoutes(app: FastifyInstance) {}
