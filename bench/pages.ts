/**
 * Requests per second of each public page through the real app, next to a bare Fastify +
 * postgres.js endpoint rendering the same template (bench/pages-server.ts), in the same run, with
 * 50 connections asking for brotli as a phone does. Results and transparency are those of a
 * published round of a city's size (bench/city.ts). Prints the app's peak resident memory.
 * `npm run bench:pages` (add `-- --profile` for a CPU profile of the app, `-- --page results` for the
 * pages whose name holds that word only).
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { eq, sql } from 'drizzle-orm'
import { openServer } from '../db/client.js'
import { officials, proposals } from '../db/schema.js'
import { SOFTWARE_VERSION } from '../server/assets.js'
import { publishResult } from '../server/usecases/results.js'
import { advanceRound } from '../server/usecases/phases.js'
import { createTranslator } from '../server/i18n.js'
import { CITY_SLUG, seedCityRound } from './city.js'
import { createBenchDatabase, seedVotingRound, SLUG } from './fixture.js'
import { forkServer, productionFlags, send } from './http.js'
import { seedConversation } from './conversation.js'
import { summariseProfile } from './profile.js'

const CONNECTIONS = 50
const WARMUP_S = 2
const DURATION_S = 8
const TURNS = 2
const PROFILE = process.argv.includes('--profile')
const ONLY = process.argv.includes('--page') ? process.argv[process.argv.indexOf('--page') + 1] : undefined
const ALL_PAGES: [name: string, path: string][] = [
  ['home', '/'],
  ['round with 30 proposals', `/rounds/${SLUG}`],
  ['proposal', '/proposals/BEN-0001'],
  ['proposal with 300 comments', '/proposals/BEN-0002'],
  ['code entry', `/rounds/${SLUG}/vote`],
  ['results (200,000 ballots)', `/rounds/${CITY_SLUG}/results`],
  ['transparency (200,000 ballots)', `/rounds/${CITY_SLUG}/transparency`],
]
const PAGES = ALL_PAGES.filter(([name]) => ONLY === undefined || name.includes(ONLY))
const HEADERS = { 'accept-encoding': 'br', 'accept-language': 'nl' }

/** CPU time a process has used, in ms (user and system; /proc counts in ticks of 10 ms). */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const kb = (pid: number, field: 'VmHWM' | 'VmRSS') =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1])

const loadBefore = loadavg()[0]!.toFixed(1)
const database = await createBenchDatabase()
// Nobody follows the bench's rounds; the use cases still want the words their mails would take.
const mailer = { translate: createTranslator(), publicUrl: 'http://localhost' }
try {
  const setup = await openServer(database.url, 10)
  await setup.migrate()
  const voting = await seedVotingRound(setup.db, 1_000)
  const [official] = await setup.db.select({ id: officials.id }).from(officials)
  const conversation = await seedConversation(setup.db, {
    roundId: voting.roundId,
    proposalId: (
      await setup.db.select({ id: proposals.id }).from(proposals).where(eq(proposals.reference, 'BEN-0002'))
    )[0]!.id,
    officialId: official!.id,
  })
  await setup.db.execute(sql`analyze comments`)
  const city = await seedCityRound(setup.db)
  await advanceRound(setup.db, {
    id: city.roundId,
    from: 'voting',
    actor: { kind: 'official', id: city.official.id, role: 'admin' },
    official: city.official,
    confirmedUnreviewed: [],
    now: new Date(),
    mailer,
  })
  await publishResult(setup.db, {
    roundId: city.roundId,
    actor: { kind: 'official', id: city.official.id, role: 'admin' },
    official: city.official,
    softwareVersion: SOFTWARE_VERSION,
    mailer,
  })
  await setup.close()
  console.log(
    `setup: a voting round with 30 projects (one with ${conversation.published} published comments), a published round with 150 projects and 200,000 ballots (${(city.seedMs / 1000).toFixed(0)} s)`,
  )

  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'wijkbudget-prof-')) : undefined
  const servers = {
    app: await forkServer(
      new URL('./app-server.js', import.meta.url),
      [database.url],
      [...productionFlags(), ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    ),
    bare: await forkServer(new URL('./pages-server.ts', import.meta.url), [database.url, CITY_SLUG]),
  }
  const rows: string[][] = [
    [
      'page',
      'app req/s',
      'bare req/s',
      'app/bare',
      'app p50 ms',
      'app p99 ms',
      'bare p50 ms',
      'bare p99 ms',
      'app KB br',
      'bare KB br',
      'app CPU ms/req',
      'bare CPU ms/req',
    ],
  ]
  let rssPeakDuringLoad = 0
  let allMet = true
  for (const [name, path] of PAGES) {
    const figures: Record<string, { rps: number; p50: number; p99: number; bytes: number }> = {}
    // The processor time each request took, which waiting for a busy machine does not change as it changes req/s.
    const cpu: Record<string, number> = {}
    // App and bare take turns twice and the better run of each counts: other work on a shared machine
    // slows one run, rarely both.
    for (let turn = 0; turn < TURNS; turn++) {
      for (const side of ['app', 'bare'] as const) {
        const base = `http://127.0.0.1:${servers[side].port}`
        const probe = await send(`${base}${path}`, { headers: HEADERS })
        if (probe.status !== 200) throw new Error(`${side} ${path} answered ${probe.status}`)
        await autocannon({ url: `${base}${path}`, connections: CONNECTIONS, duration: WARMUP_S, headers: HEADERS })
        const sampler =
          side === 'app'
            ? setInterval(() => {
                rssPeakDuringLoad = Math.max(rssPeakDuringLoad, kb(servers.app.child.pid!, 'VmRSS'))
              }, 200)
            : undefined
        const cpuBefore = cpuMs(servers[side].child.pid!)
        const result = await autocannon({
          url: `${base}${path}`,
          connections: CONNECTIONS,
          duration: DURATION_S,
          headers: HEADERS,
        })
        clearInterval(sampler)
        const perRequest = (cpuMs(servers[side].child.pid!) - cpuBefore) / result.requests.total
        cpu[side] = Math.min(cpu[side] ?? Infinity, perRequest)
        if (result.non2xx || result.errors)
          throw new Error(`${side} ${path}: ${result.non2xx} answers not 2xx, ${result.errors} errors`)
        if (!figures[side] || result.requests.average > figures[side].rps)
          figures[side] = {
            rps: result.requests.average,
            p50: result.latency.p50,
            p99: result.latency.p99,
            bytes: probe.body.length,
          }
      }
    }
    const { app, bare } = figures as Record<'app' | 'bare', { rps: number; p50: number; p99: number; bytes: number }>
    const ratio = app.rps / bare.rps
    allMet &&= ratio >= 0.7 && app.p99 < 100
    rows.push([
      name,
      app.rps.toFixed(0),
      bare.rps.toFixed(0),
      `${(ratio * 100).toFixed(0)} %`,
      String(app.p50),
      String(app.p99),
      String(bare.p50),
      String(bare.p99),
      (app.bytes / 1024).toFixed(1),
      (bare.bytes / 1024).toFixed(1),
      cpu.app!.toFixed(3),
      cpu.bare!.toFixed(3),
    ])
  }
  const peaks = { app: kb(servers.app.child.pid!, 'VmHWM') / 1024, bare: kb(servers.bare.child.pid!, 'VmHWM') / 1024 }
  for (const { child } of Object.values(servers)) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }

  console.log(
    `\n${CONNECTIONS} connections, brotli, ${WARMUP_S} s warm-up then ${DURATION_S} s per page and side, ${TURNS} turns each, the better counts (${TURNS * PAGES.length * (WARMUP_S + DURATION_S)} s of load on the app); load average before ${loadBefore}; node ${process.version}, ${cpus().length} cores`,
  )
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const row of rows)
    console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
  console.log(
    `peak resident memory: app ${peaks.app.toFixed(0)} MB over the whole run (${(rssPeakDuringLoad / 1024).toFixed(0)} MB sampled under load; target under 200 MB), bare ${peaks.bare.toFixed(0)} MB`,
  )
  console.log(
    `${allMet && peaks.app < 200 ? 'MEETS' : 'MISSES'} the target (each page at least 70 % of its bare endpoint, p99 under 100 ms, under 200 MB)`,
  )
  if (profileDir) summariseProfile(profileDir, 'app')
} finally {
  await database.drop()
}
