import closeWithGrace from 'close-with-grace'
import { openEmbedded, openServer, type Database } from '../db/client.js'
import { DEMO_OFFICIALS, DEMO_PASSWORD, seedDemo } from './data/demo.js'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'

function fail(message: string): never {
  console.error(`wijkbudget: ${message}`)
  process.exit(1)
}

/** Names the host that failed, not a stack trace. */
function describeDbError(config: Config, error: unknown): string {
  const url = config.databaseUrl ? new URL(config.databaseUrl) : undefined
  const where = url ? `${url.hostname}:${url.port || 5432}` : config.dataDir
  const reason = error instanceof Error ? error.message : String(error)
  return `cannot use the database at ${where}: ${reason}`
}

async function openDatabase(config: Config): Promise<Database> {
  const database = config.databaseUrl
    ? await openServer(config.databaseUrl)
    : await openEmbedded(`${config.dataDir}/pglite`)
  try {
    await database.migrate()
  } catch (error) {
    await database.close().catch(() => {})
    throw error
  }
  return database
}

async function main() {
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`)
    throw error
  }

  const database = await openDatabase(config).catch((error: unknown) => fail(describeDbError(config, error)))
  const app = await buildApp(config, database.db, config.logLevel, process.stdout.isTTY ? 'pretty' : undefined)
  if (database.kind === 'embedded') {
    app.log.warn(
      `embedded PostgreSQL (PGlite) in ${config.dataDir}: fine for trying and testing; production runs on a PostgreSQL server via DATABASE_URL`,
    )
  }
  if (config.demo && (await seedDemo(database.db))) app.log.info('demo data loaded')

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info(`${signal} received, shutting down`)
    await app.close()
    await database.close()
  })

  await app
    .listen({ host: config.host, port: config.port })
    .catch((error: Error) => fail(`cannot listen on ${config.host}:${config.port}: ${error.message}`))
  // From the process's own start, module loading included: what a restart costs in a deployment.
  const startupMs = Math.round(process.uptime() * 1000)
  app.log.info({ startupMs }, 'ready')
  // The banner goes out after the start-up logs, as plain lines, so it is the last thing on the screen.
  console.log(`\nWijkbudget runs at ${config.publicUrl} (started in ${(startupMs / 1000).toFixed(1)} s)`)
  if (config.demo) {
    console.log(`Demo accounts (password "${DEMO_PASSWORD}"):`)
    for (const official of DEMO_OFFICIALS) console.log(`  ${official.role.padEnd(9)} ${official.email}`)
  }
}

await main()
