import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { retryingReads } from './retry.js'
import * as schema from './schema.js'
import { fromRoot } from '../server/paths.js'

/** One typed database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  db: Db
  kind: 'embedded' | 'server'
  migrate(): Promise<void>
  close(): Promise<void>
}

const migrationsFolder = fileURLToPath(fromRoot('db/migrations'))

/**
 * dataDir undefined means in memory (tests); a path keeps data across restarts. PGlite and its
 * drizzle driver are loaded only here, so a server on PostgreSQL never holds them in memory.
 * A snapshot (a tarball from PGlite's dumpDataDir) starts the database from that data instead of
 * running initdb, which takes seconds: the tests start each file's database from one.
 */
export async function openEmbedded(dataDir?: string, snapshot?: Blob): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ])
  const client = await PGlite.create({ ...(dataDir && { dataDir }), ...(snapshot && { loadDataDir: snapshot }) })
  const db = drizzlePglite(client, { schema })
  return {
    db: db as unknown as Db,
    kind: 'embedded',
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  }
}

/** The advisory lock instances take to migrate one at a time: any fixed number, the same everywhere. */
export const MIGRATION_LOCK = 7_461_236_221

/**
 * Instances that start together on a new database would each create the same types and tables;
 * under the lock the first migrates and the others find the work done. The lock is held on a
 * connection of its own, so a pool of any size can migrate while it waits.
 */
async function migrateLocked(url: string, db: Parameters<typeof migratePostgres>[0]): Promise<void> {
  const lock = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migratePostgres(db, { migrationsFolder })
  } finally {
    // Ending the session releases the lock, also when the unlock is never reached.
    await lock.end({ timeout: 5 })
  }
}

export async function openServer(url: string, max = 10): Promise<Database> {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: 10,
    // An idle connection is closed after half a minute, and every connection is renewed after a
    // quarter to half an hour (spread, so the pool is not renewed all at once): a connection that
    // a restart or a network device ended quietly does not wait in the pool for the next request.
    idle_timeout: 30,
    // postgres.js asks a function for each new connection; its types know only a number.
    max_lifetime: (() => 60 * (15 + Math.random() * 15)) as unknown as number,
    // While the server is away each failed connect waits longer before the next, as postgres.js does,
    // but at most two seconds (its own cap is twenty): residents are back within seconds of the database.
    backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 2),
  })
  const db = drizzlePostgres(retryingReads(client), { schema })
  return {
    db: db as unknown as Db,
    kind: 'server',
    migrate: () => migrateLocked(url, db),
    close: () => client.end({ timeout: 5 }),
  }
}

/**
 * A query on a hot path, built and prepared once per database handle: drizzle builds no SQL
 * per request and PostgreSQL parses and plans it once per connection.
 */
/**
 * Ids as one PostgreSQL array literal for `= any(…::integer[])`: a prepared statement keeps one
 * parameter however many ids there are. Only for integers the database gave.
 */
export function integerArray(ids: readonly number[]): string {
  return `{${ids.filter(Number.isSafeInteger).join(',')}}`
}

export function preparedPer<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>()
  return (db) => {
    let query = cache.get(db)
    if (!query) {
      query = build(db)
      cache.set(db, query)
    }
    return query
  }
}
