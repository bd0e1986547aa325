import { Writable } from 'node:stream'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { SECURITY_ACTIONS } from '../../server/domain/security/events.js'
import { loadLanguage } from '../../server/i18n.js'
import { COMMON_FIELDS, PROBES, TEXTS, type Fields, type Probe, type Target } from './fuzz-inputs.js'
import { pathOf, routesOf, withSegment, type Route } from './fuzz-routes.js'
import { ACTORS, type ActorName, type World } from './fuzz-world.js'
import { Html } from './html.js'

/** The app's log as it is written, one JSON line per entry, for "no error was logged". */
export function logSink(): { lines: string[]; to: Writable } {
  const lines: string[] = []
  const to = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean))
      done()
    },
  })
  return { lines, to }
}

/*
 * What a refused request may still change, by design, and is left out of the fingerprint:
 * sessions (any visit saves one), rate_limits (every attempt counts), audit entries of security
 * events, failed logins and refused invitations, an official's failed-login count and lock, and a round's count of wrong
 * voting codes. Everything else must be exactly as it was.
 */
const LEFT_OUT = new Set(['sessions', 'rate_limits', '__drizzle_migrations'])
const COUNTED = [...SECURITY_ACTIONS, 'login.failed', 'invitation.refused'].map((a) => `'${a}'`).join(', ')
const ROWS: Record<string, string> = {
  audit_log: `select to_jsonb(t) - 'id' - 'hash' - 'prev_hash' as r from audit_log t where action not in (${COUNTED})`,
  officials: `select to_jsonb(t) - 'failed_attempts' - 'locked_until' as r from officials t`,
  rounds: `select to_jsonb(t) - 'failed_code_attempts' as r from rounds t`,
}

/** The rows of a query, from either driver: postgres.js answers with the rows, PGlite with an object holding them. */
async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const answer: unknown = await db.execute(query)
  return (Array.isArray(answer) ? answer : (answer as { rows: unknown[] }).rows) as T[]
}

const digests = new WeakMap<Db, SQL>()

/** One digest per table of what it holds (see LEFT_OUT), in one query made once per database. */
export async function fingerprint(db: Db): Promise<Record<string, string>> {
  let query = digests.get(db)
  if (!query) {
    const tables = await rowsOf<{ name: string }>(
      db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    )
    const parts = tables
      .map((t) => t.name)
      .filter((name) => !LEFT_OUT.has(name))
      .map((name) => {
        const rows = ROWS[name] ?? `select to_jsonb(t) as r from "${name}" t`
        return `select '${name}' as name, md5(coalesce(string_agg(r::text, ',' order by r::text), '')) as digest from (${rows}) x`
      })
    query = sql.raw(parts.join(' union all '))
    digests.set(db, query)
  }
  const rows = await rowsOf<{ name: string; digest: string }>(db, query)
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]))
}

const NAMESPACES = Object.keys(loadLanguage('nl')).join('|')
const RAW_KEY = new RegExp(`(?:^|[^\\w./-])(?:${NAMESPACES})\\.[a-z][\\w-]*(?:\\.[\\w-]+)*`)
const STACK = /\bat [^\n]+:\d+:\d+|node_modules|\.ts:\d+/

/** The next transaction id: it moves only when a transaction writes, so an unchanged one means nothing was written. */
async function nextTransaction(db: Db): Promise<string> {
  const [row] = await rowsOf<{ x: string }>(db, sql`select pg_snapshot_xmax(pg_current_snapshot())::text as x`)
  return row!.x
}

/** What is wrong with one answer: the rules hold for every request, whoever sends it. */
function problemsOf(response: LightMyRequestResponse, logged: string[], changed: string[]): string[] {
  const problems: string[] = []
  if (response.statusCode >= 500) problems.push(`answered ${response.statusCode}`)
  const errors = logged.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)
  if (errors.length) problems.push(`logged an error: ${errors[0]!.slice(0, 300)}`)
  const location = response.headers.location
  if (location !== undefined && !/^\/(?![/\\])/.test(String(location)))
    problems.push(`redirected to ${String(location)}`)
  if (response.statusCode >= 400 && changed.length) problems.push(`was refused but changed ${changed.join(', ')}`)
  if (response.statusCode >= 400 && String(response.headers['content-type']).startsWith('text/html')) {
    const text = new Html(response.body).text()
    const raw = RAW_KEY.exec(text)
    if (raw) problems.push(`shows an untranslated text: ${raw[0]}`)
    if (STACK.test(response.body)) problems.push('shows a stack trace')
  }
  return problems
}

export interface Plan {
  /** Who sends a probe to a route. */
  actors(route: Route, probe: Probe, routeIndex: number): readonly ActorName[]
  pick: <T>(choices: readonly T[]) => T
  text: () => string
  /** How many times each route is visited (the long pass goes round more than once). */
  passes?: number
}

export interface Report {
  requests: number
  problems: string[]
  /** Routes with parameters that ROUTE_PARAMS does not say how to fill. */
  unknown: string[]
  /** Routes that answered 404 or 405 to every actor sending what the route means to receive. */
  unreached: string[]
  perRoute: Map<string, number>
  /** Milliseconds spent per route, fingerprints included. */
  msPerRoute: Map<string, number>
  statuses: Map<number, number>
}

const label = (route: Route) => `${route.method} ${route.url}`
const describe = (options: InjectOptions) =>
  `${options.method} ${(typeof options.url === 'string' ? options.url : '').slice(0, 120)} [${String(options.headers?.['content-type'] ?? 'no type')}]`

/** The fields of the route's own form, read from its page as the first actor who gets one. */
async function formFields(world: World, route: Route, path: string): Promise<Fields> {
  if (route.method === 'GET') return {}
  for (const name of ['anonymous', 'resident', 'admin'] as const) {
    const page = new Html((await (await world.actor(name)).get(path)).body)
    const form = page.find(`form[action="${path}"]`)
    if (form) {
      const { _csrf, ...fields } = page.fields(form)
      return _csrf === undefined ? { ...COMMON_FIELDS, ...fields } : fields
    }
  }
  return COMMON_FIELDS
}

/** Sends every route the plan's probes as the plan's actors, checking each answer. */
export async function fuzz(world: World, log: string[], plan: Plan): Promise<Report> {
  const report: Report = {
    requests: 0,
    problems: [],
    unknown: [],
    unreached: [],
    perRoute: new Map(),
    msPerRoute: new Map(),
    statuses: new Map(),
  }
  const stranger = await world.actor('resident')
  let before = await fingerprint(world.db)
  let written = await nextTransaction(world.db)
  const routes = routesOf(world.app)
  for (let pass = 0; pass < (plan.passes ?? 1); pass++) {
    for (const [routeIndex, route] of routes.entries()) {
      const path = pathOf(route.url, world.here)
      if (path === undefined) {
        if (pass === 0) report.unknown.push(label(route))
        continue
      }
      const other = pathOf(route.url, world.other)!
      const oddPaths = route.url.includes(':')
        ? [other, ...['99999999999999999999', '2147483648', '1e3', '-1'].map((n) => withSegment(route.url, n))].filter(
            (p) => p !== path,
          )
        : []
      const started = performance.now()
      const fields = await formFields(world, route, path)
      let reached = false
      for (const probe of PROBES) {
        for (const name of plan.actors(route, probe, routeIndex)) {
          const signIns = world.signIns()
          const visitor = await world.actor(name)
          if (world.signIns() !== signIns) {
            before = await fingerprint(world.db)
            written = await nextTransaction(world.db)
          }
          const target: Target = {
            route,
            path,
            oddPaths,
            fields,
            visitor,
            foreignToken: stranger.formToken,
            pick: plan.pick,
            text: plan.text,
          }
          for (const options of probe.requests(target)) {
            const from = log.length
            const response = await world.app.inject(options)
            const now = await nextTransaction(world.db)
            const after = now === written ? before : await fingerprint(world.db)
            written = now
            const changed = Object.keys(after).filter((table) => after[table] !== before[table])
            before = after
            report.requests++
            report.perRoute.set(label(route), (report.perRoute.get(label(route)) ?? 0) + 1)
            report.statuses.set(response.statusCode, (report.statuses.get(response.statusCode) ?? 0) + 1)
            if (probe === PROBES[0] && response.statusCode !== 404 && response.statusCode !== 405) reached = true
            for (const problem of problemsOf(response, log.slice(from), changed))
              report.problems.push(`${label(route)} as ${name}, ${probe.name}: ${describe(options)} ${problem}`)
          }
        }
      }
      if (!reached && pass === 0) report.unreached.push(label(route))
      const ms = performance.now() - started
      report.msPerRoute.set(label(route), (report.msPerRoute.get(label(route)) ?? 0) + ms)
    }
  }
  return report
}

/**
 * The corpus of `npm test`: every actor sends each route what it means to receive; of the other
 * probes, each route gets an odd query (a redirect's `next` above all) and every third other
 * probe (a different third for the next route), each from one actor in turn. `npm run fuzz` sends them all.
 */
export function corpusPlan(): Plan {
  let turn = 0
  return {
    actors: (_route, probe, routeIndex) => {
      const index = PROBES.indexOf(probe)
      if (index === 0) return ACTORS
      return (routeIndex + index) % 3 === 0 || probe.name === 'odd query' ? [ACTORS[turn++ % ACTORS.length]!] : []
    },
    pick: (choices) => choices[turn % choices.length]!,
    text: () => TEXTS[turn % TEXTS.length]!,
  }
}
