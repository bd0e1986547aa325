import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { budgets, codeBatches, proposals, rounds, votingCodes } from '../../db/schema.js'
import type { Budget, BudgetRow, DistrictRule } from '../domain/rounds/budgets.js'

/** A round's own budgets in their order; empty for a round that has only its whole budget. */
export async function listBudgets(db: Db, roundId: number): Promise<Budget[]> {
  return db
    .select({
      id: budgets.id,
      name: budgets.name,
      amountCents: budgets.amountCents,
      district: budgets.district,
      leftoverTo: budgets.leftoverTo,
    })
    .from(budgets)
    .where(eq(budgets.roundId, roundId))
    .orderBy(asc(budgets.position), asc(budgets.id))
}

/**
 * Replaces a round's budgets with the form's rows: existing ones keep their id (and their
 * proposals), new ones are added, removed ones give their proposals back to the first budget.
 * The round's budget becomes their sum. Returns what was there before, for the audit entry.
 */
export async function replaceBudgets(
  tx: Db,
  roundId: number,
  rows: readonly BudgetRow[],
  districtRule: DistrictRule,
): Promise<{ before: Budget[]; after: Budget[] }> {
  const before = await listBudgets(tx, roundId)
  const keptIds = rows.flatMap((r) => (r.id === null ? [] : [r.id]))
  const removed = before.filter((b) => !keptIds.includes(b.id)).map((b) => b.id)
  await tx.update(budgets).set({ leftoverTo: null }).where(eq(budgets.roundId, roundId))
  if (removed.length > 0) {
    await tx.update(proposals).set({ budgetId: null }).where(inArray(proposals.budgetId, removed))
    await tx.delete(budgets).where(and(eq(budgets.roundId, roundId), inArray(budgets.id, removed)))
  }
  const ids: number[] = []
  for (const [position, row] of rows.entries()) {
    const values = { name: row.name, amountCents: row.amountCents, district: row.district, position }
    if (row.id !== null) {
      await tx
        .update(budgets)
        .set(values)
        .where(and(eq(budgets.id, row.id), eq(budgets.roundId, roundId)))
      ids.push(row.id)
    } else {
      const [added] = await tx
        .insert(budgets)
        .values({ roundId, ...values })
        .returning({ id: budgets.id })
      ids.push(added!.id)
    }
  }
  for (const [position, row] of rows.entries())
    if (row.leftoverTo !== null)
      await tx.update(budgets).set({ leftoverTo: ids[row.leftoverTo]! }).where(eq(budgets.id, ids[position]!))
  const total = rows.reduce((sum, r) => sum + r.amountCents, 0)
  await tx
    .update(rounds)
    .set({ districtRule, ...(rows.length > 0 ? { budgetCents: total } : {}) })
    .where(eq(rounds.id, roundId))
  return { before, after: await listBudgets(tx, roundId) }
}

/** The proposals an admin puts in budgets: every one not rejected, in submission order. */
export function listBudgetProposals(db: Db, roundId: number) {
  return db
    .select({
      id: proposals.id,
      reference: proposals.reference,
      title: proposals.title,
      track: proposals.track,
      status: proposals.status,
      budgetId: proposals.budgetId,
    })
    .from(proposals)
    .where(and(eq(proposals.roundId, roundId), notInArray(proposals.status, ['rejected'])))
    .orderBy(asc(proposals.submittedAt), asc(proposals.id))
}

/** Puts proposals of the round in budgets of the round; returns the ones whose budget changed, with old and new. */
export async function assignBudgets(
  tx: Db,
  roundId: number,
  assignments: ReadonlyMap<number, number | null>,
): Promise<{ proposalId: number; from: number | null; to: number | null }[]> {
  const current = await tx
    .select({ id: proposals.id, budgetId: proposals.budgetId })
    .from(proposals)
    .where(eq(proposals.roundId, roundId))
  const changed = current.flatMap((p) => {
    const to = assignments.get(p.id)
    return to === undefined || to === p.budgetId ? [] : [{ proposalId: p.id, from: p.budgetId, to }]
  })
  for (const c of changed) await tx.update(proposals).set({ budgetId: c.to }).where(eq(proposals.id, c.proposalId))
  return changed
}

/** The district a code is bound to (through its batch); null for a code of no district. */
export async function codeDistrict(db: Db, codeId: number): Promise<string | null> {
  const [row] = await db
    .select({ district: codeBatches.district })
    .from(votingCodes)
    .innerJoin(codeBatches, eq(codeBatches.id, votingCodes.batchId))
    .where(eq(votingCodes.id, codeId))
  return row?.district ?? null
}

/** The districts of a round's budgets, for the code batch form. */
export async function budgetDistricts(db: Db, roundId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ district: budgets.district })
    .from(budgets)
    .where(and(eq(budgets.roundId, roundId), sql`${budgets.district} is not null`))
    .orderBy(asc(budgets.district))
  return rows.map((r) => r.district!)
}
