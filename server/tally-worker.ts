import { parentPort, workerData } from 'node:worker_threads'
import { tallyInput, type BallotProjectForTally, type RoundForTally } from './domain/tally/input.js'
import { tally, type TallyRule } from './domain/tally/tally.js'
import type { CountJob } from './tally-thread.js'

// One count per thread (see tally-thread.ts): the job arrives as workerData, the outcome leaves as the one message.
const { round, projects, starts, chosen, points, rule } = workerData as CountJob & {
  round: RoundForTally
  projects: BallotProjectForTally[]
  rule: TallyRule
}
const ballots = Array.from({ length: starts.length - 1 }, (_, i) =>
  Array.from(chosen.subarray(starts[i], starts[i + 1])),
)
const given =
  points && Array.from({ length: starts.length - 1 }, (_, i) => Array.from(points.subarray(starts[i], starts[i + 1])))
parentPort!.postMessage(tally(tallyInput(round, projects, ballots, given), rule))
