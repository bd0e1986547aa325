import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.js'
import type { Db } from '../../db/client.js'
import { freshDatabase } from './db.js'

export const TEST_CONFIG = {
  sessionSecret: 'test-secret-that-is-at-least-32-characters-long',
  codeKey: 'test-code-key-that-is-at-least-32-characters-long',
  publicUrl: 'http://localhost:3000',
  trustProxy: false as const,
}

export interface Teardown {
  teardown(fn: () => unknown): void
}

/** Each test file gets its own app on its own fresh database. */
export async function testApp(t: Teardown): Promise<{ app: FastifyInstance; db: Db }> {
  const database = await freshDatabase()
  const app = await buildApp(TEST_CONFIG, database.db)
  t.teardown(async () => {
    await app.close()
    await database.close()
  })
  return { app, db: database.db }
}
