import { loadavg } from 'node:os'
import type { Sample } from './browser.js'
import type { ServerErrors } from './check.js'

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

const ms = (n: number) => `${Math.round(n)} ms`

/** The table of the day: latency per kind of page, ballots per second, and the server errors by cause. */
export function printFigures(
  samples: readonly Sample[],
  dayMs: number,
  ballots: number,
  errors: ServerErrors,
  extra: { translations: number; turnoutLooks: number; unacknowledged: number },
): void {
  const kinds = new Map<string, Sample[]>()
  for (const s of samples) kinds.set(s.kind, [...(kinds.get(s.kind) ?? []), s])
  console.log(`\n| page | requests | p50 | p99 | 4xx | 5xx | no answer |`)
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`)
  for (const [kind, list] of [...kinds].sort(([a], [b]) => a.localeCompare(b))) {
    const times = list
      .filter((s) => s.status > 0)
      .map((s) => s.ms)
      .sort((a, b) => a - b)
    const count = (test: (s: Sample) => boolean) => list.filter(test).length
    console.log(
      `| ${kind} | ${list.length} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 99))} | ` +
        `${count((s) => s.status >= 400 && s.status < 500)} | ${count((s) => s.status >= 500)} | ${count((s) => s.status === 0)} |`,
    )
  }
  const seconds = dayMs / 1000
  console.log(
    `\n${samples.length} requests in ${seconds.toFixed(0)} s (${(samples.length / seconds).toFixed(0)} req/s); ` +
      `${ballots} ballots acknowledged (${(ballots / seconds).toFixed(1)} ballots/s, online and paper, changes included); ` +
      `${extra.translations} translations saved, turnout page looked at ${extra.turnoutLooks} times`,
  )
  console.log(
    `5xx: ${errors.inDatabaseWindow} during the PostgreSQL restart (${errors.unavailableWithRetryAfter} of them 503 with Retry-After), ` +
      `${errors.cutByKill} POSTs cut by the SIGKILL (not resent; the resident tried again), ${errors.outside} elsewhere; ` +
      `${extra.unacknowledged} ballots stored that no one was told of (cut, then not retried)`,
  )
  console.log(
    `load average at the end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}\n`,
  )
}
