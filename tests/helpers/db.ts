import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { sql } from 'drizzle-orm'
import { openEmbedded, openServer, type Database, type Db } from '../../db/client.js'
import { fromRoot } from '../../server/paths.js'

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default,
 * or a new database on the server named by DATABASE_URL (dropped afterwards).
 */
export async function freshDatabase(): Promise<Database & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) return openEmbedded(undefined, await migratedSnapshot())
  const name = `wijkbudget_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await openServer(url.toString(), 5)
  await database.migrate()
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close()
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

const migrationsFolder = fileURLToPath(fromRoot('db/migrations'))

/**
 * PGlite's initdb takes seconds, so a test run migrates one database, keeps its data directory as a
 * tarball in the temp folder and starts every file's database from it. The file is named after the
 * migrations and the PGlite version, so a changed migration makes a new one; it is written under a
 * name of its own and renamed, so test files that make it at the same time never read half of one.
 */
async function migratedSnapshot(): Promise<Blob> {
  const path = join(tmpdir(), `wijkbudget-test-db-${snapshotKey()}.tgz`)
  try {
    return new Blob([readFileSync(path)])
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ])
  const client = await PGlite.create()
  await migrate(drizzle(client), { migrationsFolder })
  const snapshot = await client.dumpDataDir('gzip')
  await client.close()
  const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(partial, Buffer.from(await snapshot.arrayBuffer()))
  renameSync(partial, path)
  return snapshot
}

function snapshotKey(): string {
  const hash = createHash('sha256')
  hash.update(readFileSync(fromRoot('node_modules/@electric-sql/pglite/package.json')))
  for (const name of readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' }).sort()) {
    const file = join(migrationsFolder, name)
    if (statSync(file).isFile()) hash.update(name).update(readFileSync(file))
  }
  return hash.digest('hex').slice(0, 16)
}

/** The URL of the database `db` is connected to on the server DATABASE_URL names. */
export async function databaseUrlOf(db: Db): Promise<string> {
  const url = new URL(process.env.DATABASE_URL!)
  const rows: unknown = await db.execute(sql`select current_database() as name`)
  const [current] = rows as { name: string }[]
  url.pathname = `/${current!.name}`
  return url.toString()
}
