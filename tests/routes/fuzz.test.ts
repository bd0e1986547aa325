import Fastify from 'fastify'
import t from 'tap'
import { corpusPlan, fuzz, logSink } from '../helpers/fuzz.js'
import { ACTORS, fuzzWorld } from '../helpers/fuzz-world.js'
import { PROBES } from '../helpers/fuzz-inputs.js'
import { pathOf, routesOf } from '../helpers/fuzz-routes.js'

const sink = logSink()
const world = await fuzzWorld(t, { level: 'warn', to: sink.to })

t.test(
  'every route, as every actor, answers any input without a 5xx, an error, a change or a way off the site',
  async (t) => {
    const started = Date.now()
    const report = await fuzz(world, sink.lines, corpusPlan())
    t.same(report.unknown, [], 'every route with parameters is in ROUTE_PARAMS (add a new one there)')
    t.same(report.unreached, [], 'every route is reached as it is meant to be used')
    t.same(report.problems, [], 'no request went wrong')
    t.ok(report.perRoute.size > 50, `${report.perRoute.size} routes were sent something`)
    const slowest = [...report.msPerRoute].sort((a, b) => b[1] - a[1]).slice(0, 15)
    t.comment(slowest.map(([route, ms]) => `${route} ${Math.round(ms)} ms`).join('\n'))
    t.comment(
      `${report.perRoute.size} routes × ${ACTORS.length} actors, ${PROBES.length} kinds of input: ${report.requests} requests in ${Date.now() - started} ms`,
    )
  },
)

t.test('the routes are read from Fastify, and a route nobody said how to fill is reported', async (t) => {
  const bare = Fastify()
  for (const url of ['/official/account', '/official/accounts', '/new/:thing', '/new/:thing/part'])
    bare.route({ method: ['GET', 'POST'], url, handler: () => '' })
  await bare.ready()
  t.teardown(() => bare.close())
  const routes = routesOf(bare).map((r) => `${r.method} ${r.url}`)
  t.same(routes.sort(), [
    'GET /new/:thing',
    'GET /new/:thing/part',
    'GET /official/account',
    'GET /official/accounts',
    'POST /new/:thing',
    'POST /new/:thing/part',
    'POST /official/account',
    'POST /official/accounts',
  ])
  t.equal(pathOf('/new/:thing', world.here), undefined, 'the fuzz test lists it as unknown and fails')
  t.equal(pathOf('/official/accounts', world.here), '/official/accounts')
})
