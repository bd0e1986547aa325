import { prepare } from './election.js'
import { tallyGreedy } from './greedy.js'
import { tallyEqualShares, tallyPlainEqualShares } from './equal-shares.js'

import type { TallyInput, TallyResult, TallyRule } from './types.js'
export { TALLY_RULES } from './types.js'
export type {
  TallyRule,
  TallyProject,
  TallyInput,
  ProjectReason,
  MesShortfall,
  ProjectOutcome,
  TieStage,
  Tie,
  TallyResult,
} from './types.js'

export function tally(input: TallyInput, rule: TallyRule): TallyResult {
  return rule === 'greedy' ? greedy(input) : equalShares(input)
}

/** Most votes first; skip what no longer fits and go on. */
export function greedy(input: TallyInput): TallyResult {
  return tallyGreedy(prepare(input))
}

/** The Method of Equal Shares, completed by Add1 and then greedy by votes. */
export function equalShares(input: TallyInput): TallyResult {
  return tallyEqualShares(prepare(input))
}

/** The Method of Equal Shares alone, without completion (Pabulib's "mes_cost"). */
export function methodOfEqualShares(input: TallyInput): TallyResult {
  return tallyPlainEqualShares(prepare(input))
}
