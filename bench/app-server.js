/**
 * The app under load for bench:pages and bench:vote, as production runs it: compiled to build/
 * (the bench scripts run `npm run build` first) and started by plain node, without the
 * TypeScript loader the benches themselves run under (about 40 MB of memory the app would not
 * have in production). Written in JavaScript for that reason. Tells its port over IPC as
 * serveChild in http.ts does; SIGTERM closes it cleanly, so a --cpu-prof profile gets written.
 * Usage: app-server.js DATABASE_URL (secrets from the environment, set by forkServer's caller).
 */
import process from 'node:process'
import { URL } from 'node:url'

const { openServer } = await import(new URL('../build/db/client.js', import.meta.url).href)
const { buildApp } = await import(new URL('../build/server/app.js', import.meta.url).href)

const [url] = process.argv.slice(2)
if (!url) throw new Error('usage: app-server.js DATABASE_URL')
const POOL = 10 // openServer's default, as production runs

const database = await openServer(url, POOL)
const server = await buildApp(
  {
    sessionSecret: process.env.SESSION_SECRET,
    codeKey: process.env.CODE_KEY,
    publicUrl: 'http://127.0.0.1',
    trustProxy: false,
  },
  database.db,
)
await server.listen({ host: '127.0.0.1', port: 0 })
process.send({ port: server.server.address().port })
process.on('SIGTERM', () => {
  void server
    .close()
    .then(() => database.close())
    .then(() => process.exit(0))
})
