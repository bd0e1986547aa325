import type { FastifyInstance } from 'fastify'

export default async function roundsRoutes(app: FastifyInstance) {}
