import type { Db } from '../../../db/client.js'
import { loadEquity } from '../../data/equity.js'
import { percent } from '../../domain/results/statistics.js'
import { mergeSmallGroups, type PublicGroup } from '../../domain/voting/equity.js'
import { publicShares, turnoutFigures, type TurnoutCounts } from '../../domain/voting/turnout.js'

const shares = (g: PublicGroup) => ({
  ...publicShares(g),
  populationPercent: g.residents === null ? null : percent(g.cast, g.residents),
})

/**
 * Turnout per group as the public sees it after voting (the transparency page and the open data):
 * with each group's population where the admin entered it, and the groups too small to publish on
 * their own merged into "other".
 */
export async function publishedGroups(db: Db, roundId: number, counts: TurnoutCounts) {
  const equity = await loadEquity(db, roundId)
  const groups = turnoutFigures(counts).groups.map((g) => ({
    ...g,
    residents: g.label === null ? null : (equity.populations.get(g.label) ?? null),
  }))
  const merged = mergeSmallGroups(groups, equity.settings.minGroupVoters)
  return {
    groups: merged.groups.map(shares),
    other: merged.other && shares(merged.other),
    minGroupVoters: equity.settings.minGroupVoters,
    hasPopulations: groups.some((g) => g.residents !== null),
  }
}
