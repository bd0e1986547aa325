import { timingSafeEqual } from 'node:crypto'
import { sql } from 'drizzle-orm'
import fp from 'fastify-plugin'

const BALLOT_ROUTE = '/rounds/:slug/vote/ballot'

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Prometheus metrics for the municipality's monitoring at /metrics, only with the bearer token
 * from METRICS_TOKEN (without it there is no such page): request rates and latencies per route,
 * ballots acknowledged, the database's connections, and Node's own process figures. Each instance
 * counts its own requests; Prometheus adds the instances up.
 */
export default fp<{ token: string | undefined }>(
  async (app, opts) => {
    const { token } = opts
    if (!token) return
    // Loaded only with a token: an instance nobody monitors does not hold the library.
    const { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } = await import('prom-client')
    const registry = new Registry()
    collectDefaultMetrics({ register: registry, prefix: 'wijkbudget_' })
    const requests = new Histogram({
      name: 'wijkbudget_http_request_duration_seconds',
      help: 'Time to answer a request, per route (the path pattern, never the path itself)',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    })
    const ballots = new Counter({
      name: 'wijkbudget_ballots_acknowledged_total',
      help: 'Ballots stored and acknowledged with a receipt by this instance',
      registers: [registry],
    })
    new Gauge({
      name: 'wijkbudget_db_connections',
      help: 'Connections to this database on the PostgreSQL server, by state (all instances together)',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        this.reset()
        const answer: unknown = await app.db.execute(
          sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity where datname = current_database() group by 1`,
        )
        // postgres.js answers with the rows, PGlite with an object holding them.
        const rows = (Array.isArray(answer) ? answer : (answer as { rows: unknown[] }).rows) as {
          state: string
          n: number
        }[]
        for (const row of rows) this.set({ state: row.state }, row.n)
      },
    })

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched'
      requests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000)
      if (
        route === BALLOT_ROUTE &&
        reply.statusCode === 303 &&
        String(reply.getHeader('location') ?? '').startsWith('/receipts/')
      )
        ballots.inc()
    })

    app.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? ''
      if (!sameSecret(given, token)) return reply.code(401).header('WWW-Authenticate', 'Bearer').send()
      return reply
        .header('Cache-Control', 'no-store')
        .type(registry.contentType)
        .send(await registry.metrics())
    })
  },
  { name: 'metrics', dependencies: ['db'] },
)
