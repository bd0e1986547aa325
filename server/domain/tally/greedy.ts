import type { ProjectReason, TallyResult, Tie } from './types.js'
import { byVotes, projectOutcomes, selection, tieOf, type Election } from './election.js'

export interface GreedyFill {
  /** Projects added, in the order they were added. */
  added: number[]
  /** The reason for every project the fill considered. */
  reasons: Map<number, ProjectReason>
  ties: Tie[]
}

/**
 * Walks the projects not yet funded, most points (votes) first, and adds each that
 * still fits. Used on its own (greedy) and to spend what equal shares left
 * (completion); `funded` is updated in place.
 */
export function fillGreedily(
  election: Election,
  funded: Uint8Array,
  remaining: number,
  stage: 'greedy' | 'completion',
): GreedyFill {
  const { cost, points } = election
  const candidates = byVotes(election).filter((p) => funded[p] === 0)
  const added: number[] = []
  const reasons = new Map<number, ProjectReason>()
  const ties: Tie[] = []

  let groupStart = 0
  candidates.forEach((p, i) => {
    const next = candidates[i + 1]
    if (next === undefined || points[next] !== points[p]) {
      if (i > groupStart) ties.push(tieOf(election, stage, candidates.slice(groupStart, i + 1)))
      groupStart = i + 1
    }
    const needed = cost[p]!
    if (needed <= remaining) {
      reasons.set(p, { kind: `${stage}-funded`, remainingBefore: remaining })
      remaining -= needed
      funded[p] = 1
      added.push(p)
    } else {
      reasons.set(p, { kind: `${stage}-did-not-fit`, remaining, needed })
    }
  })
  return { added, reasons, ties }
}

export function tallyGreedy(election: Election): TallyResult {
  const funded = new Uint8Array(election.projects.length)
  const fill = fillGreedily(election, funded, election.budget, 'greedy')
  return {
    rule: 'greedy',
    ...selection(election, fill.added),
    projects: projectOutcomes(election, funded, (p) => fill.reasons.get(p)!),
    ties: fill.ties,
  }
}
