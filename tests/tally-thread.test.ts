import t from 'tap'
import { tallyInput, type RoundForTally } from '../server/domain/tally/input.js'
import { tally } from '../server/domain/tally/tally.js'
import { tallyInThread } from '../server/tally-thread.js'

const round: RoundForTally = {
  id: 1,
  title: 'Stad',
  neighbourhood: 'Overal',
  budgetCents: 2_000_000 * 100,
  ballotFormat: 'approval',
  maxChoices: null,
  tallyRule: 'equal-shares',
}
const projects = Array.from({ length: 80 }, (_, i) => ({
  id: 1000 + i,
  title: `Project ${i}`,
  costCents: (10_000 + ((i * 7919) % 50) * 10_000) * 100,
}))

/** 60,000 ballots of one to six of the 80 projects, from a fixed seed: a second of equal shares, not milliseconds. */
function ballots(): number[][] {
  let state = 2026
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648
  return Array.from({ length: 60_000 }, (_, v) => {
    const chosen = new Set<number>()
    while (chosen.size < 1 + (v % 6)) chosen.add(projects[Math.floor(next() * projects.length)]!.id)
    return [...chosen]
  })
}

t.test('a count in its own thread gives the same outcome and leaves the server free meanwhile', async (t) => {
  const counted = ballots()
  let ticks = 0
  const ticker = setInterval(() => ticks++, 5)
  const started = performance.now()
  const outcome = await tallyInThread(round, projects, counted, 'equal-shares')
  const tookMs = performance.now() - started
  clearInterval(ticker)
  t.same(outcome, tally(tallyInput(round, projects, counted), 'equal-shares'), 'the outcome of counting on this thread')
  t.ok(outcome.selected.length > 0, 'projects are selected')
  // A timer every 5 ms keeps firing while the thread counts: requests would be answered too.
  t.ok(ticks >= Math.floor(tookMs / 5 / 4), `${ticks} timer turns in ${tookMs.toFixed(0)} ms`)
  t.equal(counted.length, 60_000, 'the caller keeps its ballots')
})

t.test('a count that fails in its thread is a rejected promise, not a crash', async (t) => {
  await t.rejects(
    tallyInThread({ ...round, budgetCents: -1 }, projects, ballots(), 'greedy'),
    /budget must be a non-negative integer/,
  )
})
