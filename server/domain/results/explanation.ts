import type { ProjectOutcome, ProjectReason } from '../tally/tally.js'

export type Stage = 'greedy' | 'equal-shares' | 'completion'

export interface ExplanationStep {
  stage: Stage
  reason: Exclude<ProjectReason, { kind: 'no-votes' }>
}

const STAGE_OF: Record<Exclude<ProjectReason['kind'], 'no-votes'>, Stage> = {
  'greedy-funded': 'greedy',
  'greedy-did-not-fit': 'greedy',
  'mes-funded': 'equal-shares',
  'mes-too-little-money': 'equal-shares',
  'completion-funded': 'completion',
  'completion-did-not-fit': 'completion',
}

/**
 * The stages a project went through, in the order the rule ran them; the last one decided it.
 * A project the completion decided first failed equal shares, and says so: "did not fit" alone
 * reads as "the money ran out" while its supporters' shares were what ran out.
 */
export function explanationSteps(outcome: ProjectOutcome): ExplanationStep[] {
  const reasons = [outcome.mesReason, outcome.reason].filter((r) => r !== undefined)
  return reasons.flatMap((reason) => (reason.kind === 'no-votes' ? [] : [{ stage: STAGE_OF[reason.kind], reason }]))
}
