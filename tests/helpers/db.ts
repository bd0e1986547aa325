import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { openEmbedded, openServer, type Database } from '../../db/client.js'

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default,
 * or a new database on the server named by DATABASE_URL (dropped afterwards).
 */
export async function freshDatabase(): Promise<Database & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const database = await openEmbedded()
    await database.migrate()
    return database
  }
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
