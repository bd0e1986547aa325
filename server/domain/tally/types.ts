// The tally's vocabulary, apart from the rules that count, so each rule's file can name it.

export const TALLY_RULES = ['greedy', 'equal-shares'] as const
export type TallyRule = (typeof TALLY_RULES)[number]

export interface TallyProject {
  id: string
  /** Non-negative integer in the smallest money unit. */
  cost: number
  /** Submission order; the last tie-breaker. */
  order: number
}

export interface TallyInput {
  /** Non-negative integer in the smallest money unit. */
  budget: number
  projects: readonly TallyProject[]
  /** The project ids each voter chose; an empty ballot is still a voter. */
  ballots: readonly (readonly string[])[]
  /**
   * Points ballots (cumulative): the points each voter gave, parallel to `ballots` (the points
   * for ballots[v][k] are points[v][k]); non-negative integers. A project listed twice on one
   * ballot gets the points of both entries; a project given 0 points was not chosen.
   * Absent for approval ballots, which count as one point for every chosen project.
   */
  points?: readonly (readonly number[])[]
  /** One currency unit in cost units (100 for cents): the Add1 step. */
  unit: number
}

/**
 * Why a project was or was not funded, as data for the app to translate.
 * Amounts are in the input's money unit: shares are rounded to the nearest
 * integer, a shortfall's money is rounded down so "had X, needed Y" holds.
 */
export type ProjectReason =
  | { kind: 'no-votes' }
  | { kind: 'greedy-funded'; remainingBefore: number }
  | { kind: 'greedy-did-not-fit'; remaining: number; needed: number }
  | {
      kind: 'mes-funded'
      /** 1-based round of equal shares in which it was bought. */
      round: number
      /** Supporters who paid something. */
      payers: number
      /** The equal share: what each payer paid at most. */
      maxShare: number
      /** Payers who had less than the share left and paid all of it. */
      paidAllTheyHad: number
    }
  | { kind: 'mes-too-little-money'; supportersMoney: number; needed: number }
  | { kind: 'completion-funded'; remainingBefore: number }
  | { kind: 'completion-did-not-fit'; remaining: number; needed: number }

export type MesShortfall = Extract<ProjectReason, { kind: 'mes-too-little-money' }>

export interface ProjectOutcome {
  id: string
  /** Voters who chose it (gave it at least one point). */
  votes: number
  /** Points ballots only: the points it received in all. */
  points?: number
  cost: number
  funded: boolean
  reason: ProjectReason
  /** For a project the completion decided: why equal shares left it out first. */
  mesReason?: MesShortfall
}

export type TieStage = 'greedy' | 'equal-shares' | 'completion'

/** A tie is broken by lower cost, then more votes (more points on points ballots), then lower submission order. */
export interface Tie {
  stage: TieStage
  /** The tied projects in the order the tie-break put them; the winner first. */
  tied: string[]
  winner: string
}

export interface TallyResult {
  rule: TallyRule | 'equal-shares-without-completion'
  /** In selection order. */
  selected: string[]
  totalCost: number
  /** One per project, in input order. */
  projects: ProjectOutcome[]
  ties: Tie[]
  /** Equal shares only: how many times every voter's start was raised by one unit. */
  add1Steps?: number
  /**
   * Equal shares only: the money each voter held when the equal-shares stage began (the budget's
   * equal part, raised by the Add1 steps), unrounded; the explanations' shares come out of it.
   */
  startPerVoter?: number
  /**
   * A round of several budgets: each budget's count, in counting order. The projects' outcomes
   * and ties above come from their own budget's count; `add1Steps` and `startPerVoter` are then
   * per budget, here.
   */
  budgets?: BudgetOutcome[]
}

/** One budget of several within a round: its money, its projects, and where its leftover goes. */
export interface BudgetPart {
  id: string
  /** Non-negative integer in the smallest money unit. */
  amount: number
  projects: readonly string[]
  /** The budget that receives what this one leaves unspent (counted after it); null keeps it. */
  leftoverTo: string | null
}

/** A budget as counted: what it had, what it spent, and where its rest went. */
export interface BudgetOutcome {
  id: string
  amount: number
  /** Leftovers moved into it from budgets counted before it. */
  received: number
  spent: number
  /** Money left unspent and kept. */
  kept: number
  /** Money left unspent and moved to `movedTo`. */
  moved: number
  movedTo: string | null
  /** Ballots that chose at least one of its projects: the voters its count divides the money between. */
  voters: number
  /** In selection order. */
  selected: string[]
  add1Steps?: number
  startPerVoter?: number
}
