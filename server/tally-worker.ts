import { parentPort, workerData } from 'node:worker_threads'
import { tallyInput, type BallotProjectForTally, type RoundForTally } from './domain/tally/input.js'
import { tally, type TallyRule } from './domain/tally/tally.js'
import type { CountJob } from './tally-thread.js'
import { tallyBudgets } from './domain/tally/budgets.js'
import type { BudgetPart } from './domain/tally/types.js'

// One count per thread (see tally-thread.ts): the job arrives as workerData, the outcome leaves as the one message.
const { round, projects, starts, chosen, points, rule, budgets } = workerData as CountJob & {
  round: RoundForTally
  projects: BallotProjectForTally[]
  rule: TallyRule
  budgets: BudgetPart[]
}
const ballots = Array.from({ length: starts.length - 1 }, (_, i) =>
  Array.from(chosen.subarray(starts[i], starts[i + 1])),
)
const given =
  points && Array.from({ length: starts.length - 1 }, (_, i) => Array.from(points.subarray(starts[i], starts[i + 1])))
const input = tallyInput(round, projects, ballots, given)
// A round split into budgets counts each on its own; a round of one counts as it always has.
parentPort!.postMessage(budgets.length > 1 ? tallyBudgets(input, budgets, rule) : tally(input, rule))
