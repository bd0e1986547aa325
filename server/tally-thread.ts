import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { BallotProjectForTally, RoundForTally } from './domain/tally/input.js'
import type { TallyResult, TallyRule } from './domain/tally/tally.js'
import type { BudgetPart } from './domain/tally/types.js'

/** The ballots as two flat arrays, handed to the thread without a copy: ballot i is chosen[starts[i] .. starts[i + 1]). */
export interface CountJob {
  starts: Int32Array
  chosen: Int32Array
  /** Points ballots: the points parallel to `chosen`. */
  points?: Int32Array
}

const compiled = extname(fileURLToPath(import.meta.url)) === '.js'

function startWorker(workerData: object, transferList: ArrayBuffer[]): Worker {
  if (compiled) return new Worker(new URL('./tally-worker.js', import.meta.url), { workerData, transferList })
  // Run from the TypeScript sources (dev, tests, benches): Node 20 gives a thread none of the
  // loader hooks of its parent, so the thread registers tsx before it imports the worker.
  const tsx = import.meta.resolve('tsx/esm/api')
  const worker = new URL('./tally-worker.ts', import.meta.url).href
  return new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(worker)}) })`,
    { eval: true, workerData, transferList },
  )
}

/**
 * Counts a round's ballots (project ids) with the rule, in a thread of its own. A city's equal
 * shares take seconds of CPU; on the request's thread they would hold up every other request of
 * the instance for as long, residents' ballots in other rounds included.
 */
export function tallyInThread(
  round: RoundForTally,
  projects: readonly BallotProjectForTally[],
  ballots: readonly (readonly number[])[],
  rule: TallyRule,
  points?: readonly (readonly number[])[],
  budgets: readonly BudgetPart[] = [],
): Promise<TallyResult> {
  const starts = new Int32Array(ballots.length + 1)
  ballots.forEach((ballot, i) => (starts[i + 1] = starts[i]! + ballot.length))
  const chosen = new Int32Array(starts[ballots.length]!)
  ballots.forEach((ballot, i) => chosen.set(ballot, starts[i]))
  const given = points && new Int32Array(chosen.length)
  if (given) points.forEach((p, i) => given.set(p, starts[i]))
  const job = {
    round: {
      id: round.id,
      title: round.title,
      neighbourhood: round.neighbourhood,
      budgetCents: round.budgetCents,
      ballotFormat: round.ballotFormat,
      maxChoices: round.maxChoices,
      tallyRule: round.tallyRule,
    },
    projects: projects.map(({ id, title, costCents }) => ({ id, title, costCents })),
    starts,
    chosen,
    points: given,
    rule,
    budgets,
  }
  return new Promise((resolve, reject) => {
    const worker = startWorker(job, [starts.buffer, chosen.buffer, ...(given ? [given.buffer] : [])])
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`the count stopped with exit code ${code} before its outcome`)))
  })
}
