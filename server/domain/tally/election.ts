import type { MesShortfall, ProjectOutcome, ProjectReason, TallyInput, TallyProject, Tie, TieStage } from './types.js'

/**
 * A tally input turned into index-based typed arrays, so that the rules can
 * run over tens of thousands of ballots without allocating.
 */
export interface Election {
  budget: number
  unit: number
  voters: number
  projects: readonly TallyProject[]
  cost: Float64Array
  /** Points ballots (rather than approval ballots). */
  cumulative: boolean
  /** Voters who chose the project. */
  votes: Int32Array
  /**
   * Total points the project received; on approval ballots every chosen project has one point,
   * so this equals `votes`. Greedy and the completion go by it, and so does the tie-break.
   */
  points: Float64Array
  /** Tie-break position: lower cost, then more points (votes), then lower order. */
  rank: Int32Array
  /** Project indices in tie-break order. */
  byRank: Int32Array
  /**
   * Voters with identical ballots always hold and pay the same money, so
   * they are merged into one group and counted by its size.
   */
  groupSize: Float64Array
  /** Groups supporting project p: supGroups[supStart[p] .. supStart[p + 1]). */
  supStart: Int32Array
  supGroups: Int32Array
  /** The points each voter of group supGroups[k] gave the project (1 on approval ballots). */
  supPoints: Float64Array
  /** Projects on group g's ballot: ballotProjects[ballotStart[g] .. ballotStart[g + 1]). */
  ballotStart: Int32Array
  ballotProjects: Int32Array
  /** Memo for the equal shares rule: projects sharing a supporter with p. */
  neighbours: Map<number, Int32Array>
}

function assertAmount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`)
  }
}

function indexProjects(projects: readonly TallyProject[]): Map<string, number> {
  const index = new Map<string, number>()
  projects.forEach((project, i) => {
    assertAmount(project.cost, `cost of project ${project.id}`)
    if (index.has(project.id)) throw new RangeError(`project ${project.id} appears twice`)
    index.set(project.id, i)
  })
  return index
}

function compareBallots(x: readonly number[], y: readonly number[]): number {
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}

function assertPoints(value: number, voter: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`ballot ${voter} gives ${value} points; points must be non-negative integers`)
  }
}

/** An approval ballot as sorted project indices, each once. */
function readApproval(ballot: readonly string[], index: Map<string, number>): number[] {
  const chosen = new Set<number>()
  for (const id of ballot) {
    const p = index.get(id)
    if (p === undefined) throw new RangeError(`a ballot names unknown project ${id}`)
    chosen.add(p)
  }
  return [...chosen].sort((a, b) => a - b)
}

/**
 * A points ballot as sorted project indices with the points given to each. A project listed
 * twice has the points of both entries (real files hold a few), and one given 0 points was not
 * chosen.
 */
function readPoints(
  ballot: readonly string[],
  given: readonly number[] | undefined,
  index: Map<string, number>,
  voter: number,
) {
  if (given?.length !== ballot.length) {
    throw new RangeError(`ballot ${voter} has ${ballot.length} projects but ${given?.length ?? 0} points`)
  }
  const chosen = new Map<number, number>()
  ballot.forEach((id, k) => {
    const p = index.get(id)
    if (p === undefined) throw new RangeError(`a ballot names unknown project ${id}`)
    assertPoints(given[k]!, voter)
    chosen.set(p, (chosen.get(p) ?? 0) + given[k]!)
  })
  const sorted = [...chosen.keys()].filter((p) => chosen.get(p)! > 0).sort((a, b) => a - b)
  return { sorted, weights: sorted.map((p) => chosen.get(p)!) }
}

/** Approval ballots carry no points: every chosen project has one. */
const NO_POINTS: number[] = []

/** Merges identical ballots (approval: as sets, order and repeats do not matter; points: the same points too). */
function groupBallots(input: TallyInput, index: Map<string, number>) {
  const groupOf = new Map<string, number>()
  const ballots: number[][] = []
  const weights: number[][] = []
  const sizes: number[] = []
  const { points } = input
  for (let voter = 0; voter < input.ballots.length; voter++) {
    const ballot = input.ballots[voter]!
    let sorted: number[]
    let w: number[] = NO_POINTS
    let key: string
    if (points) {
      ;({ sorted, weights: w } = readPoints(ballot, points[voter], index, voter))
      key = `${sorted.join(',')};${w.join(',')}`
    } else {
      sorted = readApproval(ballot, index)
      key = sorted.join(',')
    }
    const g = groupOf.get(key)
    if (g === undefined) {
      groupOf.set(key, ballots.length)
      ballots.push(sorted)
      weights.push(w)
      sizes.push(1)
    } else {
      sizes[g] = (sizes[g] ?? 0) + 1
    }
  }
  // Groups numbered in ballot order, so groups supporting the same project lie close together in
  // memory: the equal shares rule reads a project's supporters' money thousands of times (10 %
  // faster on a city's 200,000 ballots).
  const order = ballots
    .map((_, g) => g)
    .sort((a, b) => compareBallots(ballots[a]!, ballots[b]!) || (points ? compareBallots(weights[a]!, weights[b]!) : 0))
  return {
    ballots: order.map((g) => ballots[g]!),
    weights: order.map((g) => weights[g]!),
    sizes: order.map((g) => sizes[g]!),
  }
}

export function prepare(input: TallyInput): Election {
  assertAmount(input.budget, 'budget')
  if (!(input.unit > 0)) throw new RangeError(`unit must be positive, got ${input.unit}`)
  const { projects } = input
  const m = projects.length
  const { ballots, weights, sizes } = groupBallots(input, indexProjects(projects))

  const votes = new Int32Array(m)
  const points = new Float64Array(m)
  const supCount = new Int32Array(m)
  ballots.forEach((ballot, g) => {
    ballot.forEach((p, k) => {
      votes[p]! += sizes[g]!
      points[p]! += sizes[g]! * (weights[g]![k] ?? 1)
      supCount[p]!++
    })
  })

  const supStart = new Int32Array(m + 1)
  for (let p = 0; p < m; p++) supStart[p + 1] = supStart[p]! + supCount[p]!
  const supGroups = new Int32Array(supStart[m]!)
  const supPoints = new Float64Array(supStart[m]!)
  const fill = supStart.slice(0, m)
  const ballotStart = new Int32Array(ballots.length + 1)
  const ballotProjects = new Int32Array(supStart[m]!)
  ballots.forEach((ballot, g) => {
    ballotStart[g + 1] = ballotStart[g]! + ballot.length
    ballotProjects.set(ballot, ballotStart[g])
    ballot.forEach((p, k) => {
      supPoints[fill[p]!] = weights[g]![k] ?? 1
      supGroups[fill[p]!++] = g
    })
  })

  const cost = Float64Array.from(projects, (project) => project.cost)
  const byRank = Int32Array.from(projects.keys()).sort(
    (a, b) => cost[a]! - cost[b]! || points[b]! - points[a]! || projects[a]!.order - projects[b]!.order || a - b,
  )
  const rank = new Int32Array(m)
  byRank.forEach((p, position) => (rank[p] = position))

  return {
    budget: input.budget,
    unit: input.unit,
    voters: input.ballots.length,
    cumulative: input.points !== undefined,
    projects,
    cost,
    votes,
    points,
    rank,
    byRank,
    groupSize: Float64Array.from(sizes),
    supStart,
    supGroups,
    supPoints,
    ballotStart,
    ballotProjects,
    neighbours: new Map(),
  }
}

/** Projects with at least one vote, most points (votes) first, ties in tie-break order. */
export function byVotes(election: Election): number[] {
  const { votes, points, rank } = election
  return Array.from(election.byRank)
    .filter((p) => votes[p]! > 0)
    .sort((a, b) => points[b]! - points[a]! || rank[a]! - rank[b]!)
}

export function tieOf(election: Election, stage: TieStage, tied: readonly number[]): Tie {
  const ids = tied.map((p) => election.projects[p]!.id)
  return { stage, tied: ids, winner: ids[0]! }
}

export function selection(election: Election, order: readonly number[]) {
  let totalCost = 0
  for (const p of order) totalCost += election.cost[p]!
  return { selected: order.map((p) => election.projects[p]!.id), totalCost }
}

/** One outcome per project, in input order; a project nobody chose has no other reason. */
export function projectOutcomes(
  election: Election,
  funded: Uint8Array,
  reasonOf: (p: number) => ProjectReason,
  mesReasonOf?: (p: number) => MesShortfall | undefined,
): ProjectOutcome[] {
  return election.projects.map((project, p) => {
    const votes = election.votes[p]!
    const outcome: ProjectOutcome = {
      id: project.id,
      votes,
      cost: project.cost,
      funded: funded[p] === 1,
      reason: votes === 0 ? { kind: 'no-votes' } : reasonOf(p),
    }
    if (election.cumulative) outcome.points = election.points[p]!
    const mesReason = votes === 0 ? undefined : mesReasonOf?.(p)
    if (mesReason) outcome.mesReason = mesReason
    return outcome
  })
}
