import type { MesShortfall, ProjectReason, TallyResult } from './types.js'
import { projectOutcomes, selection, tieOf, type Election } from './election.js'
import { fillGreedily } from './greedy.js'
import { runMes, type MesRun } from './mes.js'

/** Exhaustive: no unselected project that someone chose still fits the budget. */
function isExhaustive(election: Election, run: MesRun): boolean {
  const left = election.budget - run.totalCost
  for (let p = 0; p < run.funded.length; p++) {
    if (run.funded[p] === 0 && election.votes[p]! > 0 && election.cost[p]! <= left) return false
  }
  return true
}

/** Every voter's start: an equal part of the budget; an empty ballot gets its part too. */
function equalPart(election: Election): number {
  return election.voters > 0 ? election.budget / election.voters : 0
}

/**
 * Add1: while the outcome leaves a chosen project that would still fit,
 * raise every voter's start by one currency unit and rerun from scratch, as
 * long as the rerun stays within the budget. MES spending is not monotone
 * in the start, so the steps cannot be skipped by a search.
 */
function runAdd1(election: Election) {
  const base = equalPart(election)
  let run = runMes(election, base)
  let steps = 0
  while (!isExhaustive(election, run)) {
    const next = runMes(election, base + (steps + 1) * election.unit)
    if (next.totalCost > election.budget) break
    run = next
    steps++
  }
  return { run, steps, start: base + steps * election.unit }
}

function shortfall(election: Election, run: MesRun, p: number): MesShortfall {
  const { supStart, supGroups, groupSize } = election
  let supportersMoney = 0
  for (let k = supStart[p]!; k < supStart[p + 1]!; k++) {
    const g = supGroups[k]!
    supportersMoney += groupSize[g]! * run.money[g]!
  }
  return {
    kind: 'mes-too-little-money',
    supportersMoney: Math.floor(supportersMoney),
    needed: election.cost[p]!,
  }
}

function mesReason(election: Election, run: MesRun, p: number): ProjectReason {
  const purchase = run.purchases.get(p)
  if (!purchase) return shortfall(election, run, p)
  return {
    kind: 'mes-funded',
    round: purchase.round,
    payers: purchase.payers,
    maxShare: Math.round(purchase.maxShare),
    paidAllTheyHad: purchase.paidAllTheyHad,
  }
}

function mesTies(election: Election, run: MesRun) {
  return run.ties.map((tied) => tieOf(election, 'equal-shares', tied))
}

export function tallyPlainEqualShares(election: Election): TallyResult {
  const start = equalPart(election)
  const run = runMes(election, start)
  return {
    rule: 'equal-shares-without-completion',
    ...selection(election, run.selected),
    projects: projectOutcomes(election, run.funded, (p) => mesReason(election, run, p)),
    ties: mesTies(election, run),
    startPerVoter: start,
  }
}

export function tallyEqualShares(election: Election): TallyResult {
  const { run, steps, start } = runAdd1(election)
  const funded = run.funded.slice()
  const fill = fillGreedily(election, funded, election.budget - run.totalCost, 'completion')
  return {
    rule: 'equal-shares',
    ...selection(election, [...run.selected, ...fill.added]),
    projects: projectOutcomes(
      election,
      funded,
      (p) => fill.reasons.get(p) ?? mesReason(election, run, p),
      (p) => (run.funded[p] === 1 ? undefined : shortfall(election, run, p)),
    ),
    ties: [...mesTies(election, run), ...fill.ties],
    add1Steps: steps,
    startPerVoter: start,
  }
}
