import type { TallyResult } from '../tally/tally.js'

export interface RuleDifference {
  /** Funded by the rule that counts and not by the other, in its selection order. */
  onlyCounting: string[]
  /** Funded by the other rule and not by the one that counts, in that rule's selection order. */
  onlyOther: string[]
}

/** What publishing under one rule decides that the other rule would have decided differently. */
export function ruleDifference(counting: TallyResult, other: TallyResult): RuleDifference {
  const inCounting = new Set(counting.selected)
  const inOther = new Set(other.selected)
  return {
    onlyCounting: counting.selected.filter((id) => !inOther.has(id)),
    onlyOther: other.selected.filter((id) => !inCounting.has(id)),
  }
}
