import t from 'tap'
import { corpusPlan, fuzz, logSink } from '../helpers/fuzz.js'
import { ACTORS, fuzzWorld } from '../helpers/fuzz-world.js'
import { PROBES } from '../helpers/fuzz-inputs.js'

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
