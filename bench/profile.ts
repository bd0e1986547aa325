import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

/** The package (or our own file) a frame belongs to; undefined for node itself. */
function owner(url: string): string | undefined {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  return /\/((?:server|db|bench)\/[^/]+(?:\/[^/]+)*)$/.exec(url)?.[1]
}

/**
 * Summarises a --cpu-prof profile of a server. Each sample is charged to
 * the nearest package on its stack, so a socket write or a hash computed
 * inside node counts for the package that asked for it (postgres.js,
 * drizzle, a plugin): that is the question "what would fix it" needs.
 * The profile covers the whole process, start-up (tsx compiling) included.
 */
export function summariseProfile(dir: string, name: string) {
  // Node writes one profile per thread; the main thread's is the first.
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()[0]
  if (!file) return console.log(`no profile in ${dir}`)
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    nodes: ProfileNode[]
    startTime: number
    endTime: number
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id)
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0)
  const pct = (hits: number) => `${((hits / total) * 100).toFixed(1).padStart(5)} %`
  const top = (sums: Map<string, number>, n: number) => [...sums].sort((a, b) => b[1] - a[1]).slice(0, n)

  const charged = new Map<string, number>()
  const self = new Map<string, number>()
  for (const n of profile.nodes) {
    if (!n.hitCount) continue
    const { functionName, url, lineNumber } = n.callFrame
    let who = functionName.startsWith('(') ? functionName : undefined
    for (let id: number | undefined = n.id; who === undefined && id !== undefined; id = parent.get(id))
      who = owner(byId.get(id)!.callFrame.url)
    who ??= 'node (no package on the stack)'
    charged.set(who, (charged.get(who) ?? 0) + n.hitCount)
    const fn = `${functionName || '(anonymous)'} ${owner(url) ?? (url || '(native)')}:${lineNumber + 1}`
    self.set(fn, (self.get(fn) ?? 0) + n.hitCount)
  }
  console.log(
    `\nCPU profile of ${name}: ${join(dir, file)}, ${total} samples over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`,
  )
  console.log('time charged to the nearest package on the stack:')
  for (const [who, hits] of top(charged, 16)) console.log(`  ${pct(hits)}  ${who}`)
  console.log('self time by function:')
  for (const [fn, hits] of top(self, 12)) console.log(`  ${pct(hits)}  ${fn}`)
}
