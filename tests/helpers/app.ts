import type { FastifyInstance } from 'fastify'
import { buildApp, type AppConfig } from '../../server/app.js'
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

export interface TestAppOptions {
  /** Settings over TEST_CONFIG, e.g. `{ officialMfa: 'required' }`. */
  config?: Partial<AppConfig>
  /**
   * A database that is already there: the app is another instance on it (as a second process
   * behind the same load balancer would be), and the database is left open at teardown.
   */
  db?: Db
  /** Log level and destination, for a test that reads the log. */
  log?: { level: string; to: NodeJS.WritableStream }
}

/** The app, closed at teardown; on its own fresh database unless `db` names one. */
export async function testApp(t: Teardown, options: TestAppOptions = {}): Promise<{ app: FastifyInstance; db: Db }> {
  const database = options.db ? undefined : await freshDatabase()
  const db = options.db ?? database!.db
  const app = await buildApp({ ...TEST_CONFIG, ...options.config }, db, options.log?.level, options.log?.to)
  t.teardown(async () => {
    await app.close()
    await database?.close()
  })
  return { app, db }
}
