/**
 * A round of Warsaw's or Paris's size closed, previewed under both rules and published through
 * the app's own functions, with the time and peak memory of each step. `npm run bench:publish`.
 * Target: under 15 s in total and under 500 MB.
 */
import { fork } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openServer } from '../db/client.js'
import { CITY, seedCityRound } from './city.js'
import { createBenchDatabase } from './fixture.js'
import { productionFlags } from './http.js'
import { summariseProfile } from './profile.js'

const PROFILE = process.argv.includes('--profile')
// `-- --points`: the same city voting with points ballots (ten points, at most five on a project).
const FORMAT = process.argv.includes('--points') ? 'points' : 'knapsack'

const database = await createBenchDatabase()
try {
  const setup = await openServer(database.url, 10)
  await setup.migrate()
  const city = await seedCityRound(setup.db, CITY, FORMAT)
  await setup.close()
  console.log(
    `setup: ${FORMAT} ballots, ${CITY.projects} projects, ${CITY.codes.toLocaleString('en')} codes, ${CITY.ballots.toLocaleString('en')} ballots in ${(city.seedMs / 1000).toFixed(1)} s (not measured); load average ${loadavg()[0]!.toFixed(1)}, ${cpus().length} cores, node ${process.version}`,
  )

  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'wijkbudget-prof-')) : undefined
  const child = fork(
    new URL('./publish-steps.ts', import.meta.url),
    [database.url, String(city.roundId), String(city.official.id), city.official.email],
    {
      execArgv: [
        '--import',
        'tsx',
        ...productionFlags(),
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  const report = await new Promise<{
    steps: { name: string; ms: number; peakMb: number }[]
    ballots: number
    reusedPreview: boolean
  }>((resolve, reject) => {
    child.once('message', resolve as (m: unknown) => void)
    child.once('exit', (code) => reject(new Error(`the steps exited with code ${code}`)))
  })
  const total = report.steps.reduce((sum, s) => sum + s.ms, 0)
  const peak = Math.max(...report.steps.map((s) => s.peakMb))
  console.log(
    `\n${report.ballots.toLocaleString('en')} ballots counted; each step in one process, peak resident memory per step; publishing ${report.reusedPreview ? 'took the previewed count' : 'counted again'}`,
  )
  const rows = [
    ['step', 'time', 'peak RSS'],
    ...report.steps.map((s) => [s.name, `${(s.ms / 1000).toFixed(1)} s`, `${s.peakMb.toFixed(0)} MB`]),
    ['total', `${(total / 1000).toFixed(1)} s`, `${peak.toFixed(0)} MB`],
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const row of rows)
    console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
  if (profileDir) {
    // The profile is written when the steps' process exits.
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)))
    summariseProfile(profileDir, 'the publishing steps')
  }
  console.log(`${total < 15_000 && peak < 500 ? 'MEETS' : 'MISSES'} the target (under 15 s in total, under 500 MB)`)
} finally {
  await database.drop()
}
