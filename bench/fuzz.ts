/**
 * The long, randomised pass of the route fuzzer (tests/routes/fuzz.test.ts runs the short corpus):
 * every route, every probe, from random actors, with random variants and generated texts, several
 * times over. Prints what it sent per route, the statuses seen, every problem, and the seed.
 * `npm run fuzz` (a new seed), `npm run fuzz -- <seed> [passes]` to replay one. Exits 1 on a problem.
 * On PGlite unless DATABASE_URL names a PostgreSQL server.
 */
import fc from 'fast-check'
import { fuzz, logSink, type Plan } from '../tests/helpers/fuzz.js'
import { ACTORS, fuzzWorld } from '../tests/helpers/fuzz-world.js'
import { random } from './fixture.js'

const seed = Number(process.argv[2] ?? Math.floor(Math.random() * 2 ** 31))
const passes = Number(process.argv[3] ?? 3)

const next = random(seed)
const pick = <T>(choices: readonly T[]): T => choices[Math.floor(next() * choices.length)]!
const texts = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('1e309', '-1', '99999999999999999999', '0x1F', '٣٤', ' 12 ', '1,5', '€ 1.000,00'),
)
const plan: Plan = {
  // One to three actors per probe, chosen at random; all of them for what the route means to receive.
  actors: (_route, probe, _index) =>
    probe.name === 'as meant' ? ACTORS : Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(ACTORS)),
  pick,
  text: () => fc.sample(texts, { seed: Math.floor(next() * 2 ** 31), numRuns: 1 })[0]!,
  passes,
}

const cleanups: (() => unknown)[] = []
const sink = logSink()
const world = await fuzzWorld({ teardown: (fn) => cleanups.push(fn) }, { level: 'warn', to: sink.to })
const started = Date.now()
const report = await fuzz(world, sink.lines, plan)
const seconds = ((Date.now() - started) / 1000).toFixed(0)

console.log(`\nRequests per route (${report.perRoute.size} routes, ${passes} passes):`)
for (const [route, n] of [...report.perRoute].sort()) console.log(`  ${String(n).padStart(5)}  ${route}`)
console.log('\nStatuses seen:')
for (const [status, n] of [...report.statuses].sort((a, b) => a[0] - b[0]))
  console.log(`  ${status}  ${String(n).padStart(6)}`)
for (const route of report.unknown) console.log(`UNKNOWN route (add it to ROUTE_PARAMS): ${route}`)
for (const route of report.unreached) console.log(`UNREACHED route: ${route}`)
for (const problem of report.problems) console.log(`PROBLEM ${problem}`)
const failed = report.problems.length + report.unknown.length + report.unreached.length
console.log(
  `\n${report.requests} requests in ${seconds} s, ${report.problems.length} problems. Seed ${seed}: replay with \`npm run fuzz -- ${seed} ${passes}\``,
)
for (const cleanup of cleanups.reverse()) await cleanup()
process.exit(failed ? 1 : 0)
