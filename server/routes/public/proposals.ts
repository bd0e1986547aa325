import type { FastifyInstance } from 'fastify'

export default async function proposalsRoutes(app: FastifyInstance) {}
