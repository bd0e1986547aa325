import { randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import postgres from 'postgres'
import t from 'tap'
import { freePort, startServer } from './helpers/processes.js'

// Instances racing to migrate one new database happen only on the PostgreSQL server.
if (!process.env.DATABASE_URL) {
  t.comment('starting several instances needs the PostgreSQL server: set DATABASE_URL to run this file')
  t.pass('skipped without DATABASE_URL')
  t.end()
} else {
  const serverUrl = process.env.DATABASE_URL
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  const name = `wijkbudget_race_${randomBytes(6).toString('hex')}`
  await admin.unsafe(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  t.teardown(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  })

  t.test('three instances started at once on an empty database all come up and migrate it once', async (t) => {
    const ports = await Promise.all([freePort(), freePort(), freePort()])
    const servers = ports.map((port) =>
      startServer({
        DATABASE_URL: url.toString(),
        PORT: String(port),
        SESSION_SECRET: 'x'.repeat(40),
        CODE_KEY: 'k'.repeat(40),
      }),
    )
    t.teardown(async () => {
      for (const server of servers) server.child.kill('SIGTERM')
      await Promise.all(servers.map((server) => server.exited))
    })
    const deadline = Date.now() + 90_000
    const up = async (port: number, server: (typeof servers)[number]) => {
      while (Date.now() < deadline && server.child.exitCode === null) {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined)
        if (res?.status === 200) return true
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      return false
    }
    const results = await Promise.all(ports.map((port, i) => up(port, servers[i]!)))
    results.forEach((ok, i) => t.ok(ok, `instance ${i + 1} answers its health check`, { output: servers[i]!.output() }))

    const db = postgres(url.toString(), { max: 1, onnotice: () => {} })
    t.teardown(() => db.end())
    const rows = await db`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`
    const migrations = readdirSync(new URL('../db/migrations', import.meta.url)).filter((f) => f.endsWith('.sql'))
    t.equal(rows.length, migrations.length, 'every migration is recorded')
    t.ok(
      rows.every((row) => row.n === 1),
      'each of them once',
    )
    const home = await fetch(`http://127.0.0.1:${ports[2]}/`)
    t.equal(home.status, 200, 'and a page answers')
  })
}
