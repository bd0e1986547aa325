/**
 * An acknowledged ballot is never lost: the real server (server/main.ts) takes
 * ballots from 50 concurrent residents and is killed with SIGKILL mid-load,
 * three times; after each restart every receipt it answered with a 303 must
 * still be there. Runs on the PostgreSQL server and on the embedded PGlite.
 * `npm run bench:crash` (`-- server` or `-- pglite` for one of them).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Signer } from '@fastify/cookie'
import { and, gte, lte } from 'drizzle-orm'
import { openEmbedded, openServer, type Database } from '../db/client.js'
import { ballots } from '../db/schema.js'
import {
  ballotBody,
  ballotCookie,
  createBenchDatabase,
  randomBallots,
  SECRETS,
  seedVotingRound,
  SLUG,
  type VotingRound,
} from './fixture.js'
import { csrfPair, freePort, send, waitUntilServing } from './http.js'

const CODES = 20_000
const CONCURRENCY = 50
const KILLS = 3
const ROOT = new URL('../', import.meta.url)
const signer = new Signer(SECRETS.sessionSecret)

type Outcome = 'acknowledged' | 'refused' | 'no reply' | 'other status'
interface Shot {
  codeId: number
  outcome: Outcome
  receipt?: string
  detail?: string
}

interface Backend {
  name: string
  env: Record<string, string>
  open(): Promise<Database>
  cleanup(): Promise<void>
}

async function serverBackend(): Promise<Backend> {
  const database = await createBenchDatabase()
  return {
    name: 'PostgreSQL server',
    env: { DATABASE_URL: database.url },
    open: () => openServer(database.url, 2),
    cleanup: () => database.drop(),
  }
}

function pgliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'wijkbudget-crash-'))
  // The same folder the app uses under DATA_DIR.
  return {
    name: 'embedded PGlite',
    env: { DATA_DIR: dir },
    open: () => openEmbedded(join(dir, 'pglite')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** The message of a JSON log line; other lines as they are. */
function logMessage(line: string): string {
  try {
    return (JSON.parse(line) as { msg: string }).msg
  } catch {
    return line
  }
}

function startServer(backend: Backend, port: number): ChildProcess {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: undefined,
    ...backend.env,
    ...{ SESSION_SECRET: SECRETS.sessionSecret, CODE_KEY: SECRETS.codeKey },
    DEMO: 'off',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim()) console.log(`    [server ${child.pid}] ${logMessage(line)}`)
    })
  }
  return child
}

/** Ballots from CONCURRENCY residents at once until the server is killed after `killAfterMs`. */
async function fireUntilKilled(
  base: string,
  child: ChildProcess,
  round: VotingRound,
  csrf: { cookie: string; token: string },
  codes: () => number,
  killAfterMs: number,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const choices = randomBallots(round, 1_000)
  const shots: Shot[] = []
  let killed = false
  const resident = async () => {
    while (!killed) {
      const codeId = codes()
      try {
        const reply = await send(`${base}/rounds/${SLUG}/vote/ballot`, {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            cookie: `${csrf.cookie}; ${ballotCookie(signer, round.roundId, codeId)}`,
          },
          body: ballotBody(choices[codeId % choices.length]!, csrf.token),
        })
        const receipt = /^\/receipts\/([^?]+)/.exec(String(reply.headers.location ?? ''))?.[1]
        shots.push(
          reply.status === 303 && receipt
            ? { codeId, outcome: 'acknowledged', receipt }
            : { codeId, outcome: 'other status', detail: String(reply.status) },
        )
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error)
        // Refused: the kill came before the request reached the server. Anything else: it was in flight.
        shots.push({ codeId, outcome: code === 'ECONNREFUSED' ? 'refused' : 'no reply', detail: code })
      }
    }
  }
  const residents = Array.from({ length: CONCURRENCY }, resident)
  await new Promise((r) => setTimeout(r, killAfterMs))
  killed = true
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await Promise.all([...residents, exited])
  agent.destroy()
  return shots
}

/** Looks every acknowledged receipt up on the restarted server, as the resident would. */
async function receiptsServed(base: string, receipts: string[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 })
  let found = 0
  let next = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < receipts.length) {
        const reply = await send(`${base}/receipts/${receipts[next++]}`, { agent })
        if (reply.status === 200) found++
      }
    }),
  )
  agent.destroy()
  return found
}

async function run(backend: Backend): Promise<boolean> {
  console.log(`\n== ${backend.name}`)
  const setup = await backend.open()
  await setup.migrate()
  const round = await seedVotingRound(setup.db, CODES)
  await setup.close()
  let nextCode = 0
  const codes = () =>
    round.codeIds[nextCode++] ??
    (() => {
      throw new Error('out of codes')
    })()

  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  let child = startServer(backend, port)
  await waitUntilServing(base, child)
  const csrf = await csrfPair(base, SLUG)
  const all: Shot[] = []
  let ok = true
  for (let kill = 1; kill <= KILLS; kill++) {
    const killAfterMs = 1_500 + Math.floor(Math.random() * 2_000)
    const shots = await fireUntilKilled(base, child, round, csrf, codes, killAfterMs)
    all.push(...shots)
    const count = (o: Outcome) => shots.filter((s) => s.outcome === o).length
    const started = performance.now()
    child = startServer(backend, port)
    await waitUntilServing(base, child).catch((error: Error) => {
      ok = false
      console.log(`  restart failed: ${error.message}`)
    })
    if (!ok) break
    const restartS = ((performance.now() - started) / 1000).toFixed(1)
    const acknowledged = shots.filter((s) => s.outcome === 'acknowledged').map((s) => s.receipt!)
    const served = await receiptsServed(base, acknowledged)
    ok &&= served === acknowledged.length
    const others = [...new Set(shots.filter((s) => s.outcome === 'other status').map((s) => s.detail))].join(', ')
    console.log(
      `  kill ${kill} after ${(killAfterMs / 1000).toFixed(1)} s: ${shots.length} ballots sent, ${count('acknowledged')} acknowledged (303), ` +
        `${count('no reply')} in flight without a reply, ${count('refused')} refused, ${count('other status')} other status${others ? ` (${others})` : ''}; ` +
        `restarted in ${restartS} s; ${served} of ${acknowledged.length} acknowledged receipts found on the restarted server`,
    )
  }
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited

  // The database itself, read directly: every acknowledged code holds the very receipt it was given.
  const check = await backend.open()
  const rows = await check.db
    .select({ codeId: ballots.codeId, receipt: ballots.receipt })
    .from(ballots)
    .where(and(gte(ballots.codeId, round.codeIds[0]!), lte(ballots.codeId, round.codeIds[nextCode - 1]!)))
  await check.close()
  const stored = new Map(rows.map((r) => [r.codeId, r.receipt]))
  const acknowledged = all.filter((s) => s.outcome === 'acknowledged')
  const missing = acknowledged.filter((s) => stored.get(s.codeId) !== s.receipt)
  const inFlight = all.filter((s) => s.outcome === 'no reply')
  const inFlightStored = inFlight.filter((s) => stored.has(s.codeId)).length
  console.log(
    `  in the database: ${acknowledged.length - missing.length} of ${acknowledged.length} acknowledged ballots with their receipt; ` +
      `of ${inFlight.length} unacknowledged in-flight ballots ${inFlightStored} were committed before the kill (the resident saw an error and may vote again: the code's ballot is replaced) and ${inFlight.length - inFlightStored} were not`,
  )
  ok &&= missing.length === 0
  console.log(
    `  ${ok ? 'PASS' : 'FAIL'}: ${backend.name}, ${KILLS} kills with SIGKILL under load, ${missing.length} acknowledged ballots lost`,
  )
  return ok
}

const wanted = process.argv.slice(2)
const results: boolean[] = []
for (const make of [serverBackend, pgliteBackend]) {
  const backend = await make()
  if (wanted.length > 0 && !wanted.some((w) => backend.name.toLowerCase().includes(w))) {
    await backend.cleanup()
    continue
  }
  try {
    results.push(await run(backend))
  } catch (error) {
    console.log(`  FAIL: ${backend.name}: ${(error as Error).message}`)
    results.push(false)
  } finally {
    await backend.cleanup()
  }
}
console.log(results.every(Boolean) ? '\nPASS: no acknowledged ballot was lost' : '\nFAIL: see above')
process.exitCode = results.every(Boolean) ? 0 : 1
