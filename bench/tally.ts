import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parsePb, pbTallyInput } from '../server/domain/pabulib/read.js'
import { equalShares, greedy, type TallyInput, type TallyResult } from '../server/domain/tally/tally.js'

// The large elections are not in the repository (tests/fixtures/pabulib holds the small ones).
const PABULIB = new URL('../../shared/pabulib/', import.meta.url)
if (!existsSync(PABULIB)) {
  console.error(
    `bench:tally needs the Pabulib elections in ${fileURLToPath(PABULIB)} (download them from https://pabulib.org; ` +
      'see bench/README.md for the list). That folder is missing, so nothing was measured.',
  )
  process.exit(1)
}

/** Best of a few runs, so a busy machine distorts the figures less. */
function time<T>(run: () => T, repeat = 3): { ms: number; value: T } {
  let best = Infinity
  let value!: T
  for (let i = 0; i < repeat; i++) {
    const started = performance.now()
    value = run()
    best = Math.min(best, performance.now() - started)
  }
  return { ms: best, value }
}

/** mulberry32: a small seeded generator, so every run tallies the same election. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Approval ballots of 1 to 8 projects, some projects far more popular than others. */
function generated(voters: number, projectCount: number, seed: number): TallyInput {
  const next = random(seed)
  const projects = Array.from({ length: projectCount }, (_, i) => ({
    id: `g${i + 1}`,
    cost: 5_000 + 500 * Math.floor(next() * 600),
    order: i,
  }))
  const popularity = projects.map(() => next() ** 3)
  const total = popularity.reduce((a, b) => a + b, 0)
  const pick = () => {
    let x = next() * total
    for (let i = 0; i < projectCount; i++) if ((x -= popularity[i]!) < 0) return i
    return projectCount - 1
  }
  const ballots = Array.from({ length: voters }, () => {
    const size = 1 + Math.floor(next() * 8)
    const chosen = new Set<number>()
    while (chosen.size < size) chosen.add(pick())
    return [...chosen].map((i) => projects[i]!.id)
  })
  const budget = Math.round(projects.reduce((sum, p) => sum + p.cost, 0) / 4)
  return { budget, projects, ballots, unit: 1 }
}

interface Row {
  election: string
  voters: number
  projects: number
  parse: string
  greedy: string
  equalShares: string
  selected: string
}

function measure(name: string, input: TallyInput, parseMs?: number): Row {
  const g = time(() => greedy(input))
  const es = time<TallyResult>(() => equalShares(input))
  return {
    election: name,
    voters: input.ballots.length,
    projects: input.projects.length,
    parse: parseMs === undefined ? '-' : parseMs.toFixed(0),
    greedy: g.ms.toFixed(1),
    equalShares: `${es.ms.toFixed(0)} (Add1 ${es.value.add1Steps})`,
    selected: `${g.value.selected.length} / ${es.value.selected.length}`,
  }
}

const rows: Row[] = []
for (const file of readdirSync(PABULIB)
  .filter((f) => f.endsWith('.pb'))
  .sort()) {
  const text = readFileSync(new URL(file, PABULIB), 'utf8')
  const parsed = time(() => parsePb(text))
  rows.push(measure(file, pbTallyInput(parsed.value), parsed.ms))
}
rows.push(measure('generated (seed 2024)', generated(100_000, 100, 2024)))

const columns: [keyof Row, string][] = [
  ['election', 'election'],
  ['voters', 'voters'],
  ['projects', 'projects'],
  ['parse', 'parse ms'],
  ['greedy', 'greedy ms'],
  ['equalShares', 'equal shares ms'],
  ['selected', 'selected g / es'],
]
const widths = columns.map(([key, title]) => Math.max(title.length, ...rows.map((r) => String(r[key]).length)))
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
console.log(line(columns.map(([, title]) => title)))
for (const row of rows) console.log(line(columns.map(([key]) => String(row[key]))))
console.log('\nbest of 3 runs; equal shares includes Add1 and the greedy completion; node', process.version)
