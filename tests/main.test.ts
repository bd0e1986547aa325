import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { freePort, startServer as start } from './helpers/processes.js'

t.test('an unreachable DATABASE_URL names the host and exits with code 1, without a stack trace', async (t) => {
  const port = await freePort()
  const server = start({
    DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/wb`,
    SESSION_SECRET: 'x'.repeat(40),
    CODE_KEY: 'k'.repeat(40),
  })
  t.equal(await server.exited, 1)
  t.match(server.output(), `cannot use the database at 127.0.0.1:${port}`)
  t.notMatch(server.output(), /\n\s+at /, 'no stack trace')
})

t.test('a wrong setting is reported by name', async (t) => {
  const server = start({ PORT: 'eighty' })
  t.equal(await server.exited, 1)
  t.match(server.output(), 'configuration error: PORT must be a number')
})

t.test('npm start runs embedded with demo data, answers, and shuts down cleanly on SIGTERM', async (t) => {
  const port = await freePort()
  const server = start({ PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'wb-main-')) })
  const deadline = Date.now() + 60_000
  // The last line printed at start-up is the last demo account: wait for it, not for the first line.
  while (!server.output().includes('raad@wijkbudget.test') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  t.match(server.output(), 'Wijkbudget runs at', 'the address is printed')
  t.match(server.output(), 'admin@wijkbudget.test', 'demo accounts are printed')
  t.match(server.output(), 'embedded PostgreSQL (PGlite)', 'it says it runs embedded')
  const health = await fetch(`http://127.0.0.1:${port}/healthz`)
  t.equal(health.status, 200)
  const home = await (await fetch(`http://127.0.0.1:${port}/`)).text()
  t.match(home, 'Bospolder-Tussendijken')
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})
