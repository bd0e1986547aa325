import t from 'tap'
import { testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { demoRound } from '../helpers/fixtures.js'

const TOKEN = 'metrics-token-of-at-least-32-characters'
const {
  app: withoutToken,
  db,
  round,
  byTitle,
  nextCode,
} = await demoRound(t, { phase: 'voting', codes: 3, officials: [] })
const { app } = await testApp(t, { db, config: { metricsToken: TOKEN } })
const scrape = (authorization?: string) =>
  app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} })

t.test('without METRICS_TOKEN there is no metrics page', async (t) => {
  t.equal(
    (await withoutToken.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode,
    404,
  )
})

t.test('the metrics are not public: no token or a wrong one gets 401', async (t) => {
  t.equal((await scrape()).statusCode, 401)
  t.equal((await scrape(`Bearer ${TOKEN.slice(1)}x`)).statusCode, 401)
  t.equal((await scrape(TOKEN)).statusCode, 401, 'the token only as a bearer token')
})

t.test(
  'Prometheus reads request latencies per route pattern, ballots acknowledged, database connections and process figures',
  async (t) => {
    const resident = new Visitor(app)
    await resident.get(`/rounds/${round.slug}`)
    await resident.get(`/rounds/${round.slug}/vote`)
    t.equal((await resident.post(`/rounds/${round.slug}/vote`, { code: nextCode() })).statusCode, 303)
    await resident.get(`/rounds/${round.slug}/vote/ballot`)
    const cast = await resident.post(`/rounds/${round.slug}/vote/ballot`, {
      projects: [String(byTitle('Energiecoaches').id)],
      intent: 'submit',
    })
    t.equal(cast.statusCode, 303)

    const res = await scrape(`Bearer ${TOKEN}`)
    t.equal(res.statusCode, 200, res.body.slice(0, 300))
    t.match(res.headers['content-type'], /^text\/plain/)
    t.match(
      res.body,
      /wijkbudget_http_request_duration_seconds_count\{method="GET",route="\/rounds\/:slug",status="200"\} 1\n/,
    )
    t.match(
      res.body,
      /wijkbudget_http_request_duration_seconds_count\{method="POST",route="\/rounds\/:slug\/vote\/ballot",status="303"\} 1\n/,
    )
    t.notMatch(res.body, round.slug, 'routes by pattern, never a real path')
    t.match(res.body, /\nwijkbudget_ballots_acknowledged_total 1\n/)
    t.match(res.body, /\nwijkbudget_db_connections\{state="[a-z ]+"\} \d+\n/)
    t.match(res.body, /\nwijkbudget_process_resident_memory_bytes \d+/)
  },
)
