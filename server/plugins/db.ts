import fp from 'fastify-plugin'
import type { Db } from '../../db/client.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
  }
}

export default fp<{ db: Db }>(
  async (app, opts) => {
    app.decorate('db', opts.db)
  },
  { name: 'db' },
)
