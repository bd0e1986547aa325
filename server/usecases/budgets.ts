import type { Db } from '../../db/client.js'
import { appendAudit } from '../data/audit.js'
import { assignBudgets, replaceBudgets } from '../data/budgets.js'
import { bumpContentVersion } from '../data/rounds.js'
import type { BudgetRow, DistrictRule } from '../domain/rounds/budgets.js'

type Official = { id: number; email: string }

/** An admin saves the round's budgets (and the rule for district codes); audited with what was there before. */
export async function saveBudgets(
  db: Db,
  roundId: number,
  rows: readonly BudgetRow[],
  districtRule: DistrictRule,
  official: Official,
): Promise<void> {
  await db.transaction(async (tx) => {
    await bumpContentVersion(tx, roundId)
    const { before, after } = await replaceBudgets(tx, roundId, rows, districtRule)
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'budgets.save',
      object: `round:${roundId}`,
      details: { old: before, new: after, districtRule },
    })
  })
}

/** An admin puts proposals in budgets; each move is audited. */
export async function putInBudgets(
  db: Db,
  roundId: number,
  assignments: ReadonlyMap<number, number | null>,
  official: Official,
): Promise<number> {
  return db.transaction(async (tx) => {
    await bumpContentVersion(tx, roundId)
    const changed = await assignBudgets(tx, roundId, assignments)
    for (const c of changed)
      await appendAudit(tx, {
        officialId: official.id,
        actor: official.email,
        action: 'budgets.assign',
        object: `proposal:${c.proposalId}`,
        details: { old: c.from, new: c.to },
      })
    return changed.length
  })
}
