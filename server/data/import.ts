import { randomBytes, randomInt } from 'node:crypto'
import { inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { ballots, budgets, codeBatches, proposals, votingCodes } from '../../db/schema.js'
import type { ImportPlan } from '../domain/pabulib/import.js'
import { makeReference } from '../domain/proposals/rules.js'
import { generateReceipt } from '../domain/voting/codes.js'

const CHUNK = 5_000

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK))
  return out
}

/** `n` references not used by any proposal yet (a reference is short, so one can be taken). */
async function freshReferences(tx: Db, n: number): Promise<string[]> {
  const chosen = new Set<string>()
  while (chosen.size < n) {
    const candidates = new Set<string>()
    while (candidates.size < n - chosen.size) {
      const reference = makeReference(randomInt)
      if (!chosen.has(reference)) candidates.add(reference)
    }
    const taken = await tx
      .select({ reference: proposals.reference })
      .from(proposals)
      .where(inArray(proposals.reference, [...candidates]))
    for (const { reference } of taken) candidates.delete(reference)
    for (const reference of candidates) chosen.add(reference)
  }
  return [...chosen]
}

function distinct(n: number, make: () => string): string[] {
  const out = new Set<string>()
  while (out.size < n) out.add(make())
  return [...out]
}

/** The replayed election's projects, as approved proposals of the round; their ids in the file's order. */
export async function insertImportedProjects(
  tx: Db,
  created: { id: number },
  plan: ImportPlan,
  now: Date,
): Promise<number[]> {
  const references = await freshReferences(tx, plan.projects.length)
  const projectIds: number[] = []
  for (const part of chunks(plan.projects.map((p, i) => ({ ...p, reference: references[i]! })))) {
    const rows = await tx
      .insert(proposals)
      .values(
        part.map((p) => ({
          roundId: created.id,
          reference: p.reference,
          statusToken: randomBytes(24).toString('base64url'),
          title: p.title,
          summary: '',
          description: `Pabulib project_id ${p.pbId}`,
          costCents: p.costCents,
          latitude: p.point?.latitude ?? null,
          longitude: p.point?.longitude ?? null,
          track: 'social' as const,
          themes: ['other'],
          contactName: 'Pabulib',
          status: 'approved' as const,
          submittedAt: now,
        })),
      )
      .returning({ id: proposals.id })
    projectIds.push(...rows.map((r) => r.id))
  }
  return projectIds
}

/**
 * One voting code per voter (a random hash that no code was ever printed for) and their ballots.
 * The ballots trigger only takes ballots while a round is voting: call while it is.
 */
export async function insertImportedBallots(
  tx: Db,
  created: { id: number },
  plan: ImportPlan,
  projectIds: readonly number[],
  official: { id: number },
): Promise<void> {
  const [batch] = await tx
    .insert(codeBatches)
    .values({ roundId: created.id, groupLabel: 'import', count: plan.ballots.length, createdBy: official.id })
    .returning({ id: codeBatches.id })
  const hashes = distinct(plan.ballots.length, () => randomBytes(32).toString('base64url'))
  const receipts = distinct(plan.ballots.length, () => generateReceipt(randomInt))
  for (const [n, part] of chunks(plan.ballots).entries()) {
    const codes = await tx
      .insert(votingCodes)
      .values(
        part.map((_, i) => ({
          roundId: created.id,
          batchId: batch!.id,
          codeHash: hashes[n * CHUNK + i]!,
          groupLabel: 'import',
        })),
      )
      .returning({ id: votingCodes.id })
    await tx.insert(ballots).values(
      part.map((chosen, i) => ({
        roundId: created.id,
        codeId: codes[i]!.id,
        channel: 'online' as const,
        projectIds: chosen.map((index) => projectIds[index]!),
        points: plan.points?.[n * CHUNK + i] ?? null,
        receipt: receipts[n * CHUNK + i]!,
      })),
    )
  }
}

/** A replayed set's budgets, one per file, each holding its file's projects. */
export async function insertImportedBudgets(
  tx: Db,
  created: { id: number },
  plan: ImportPlan,
  projectIds: readonly number[],
): Promise<void> {
  for (const [position, budget] of (plan.budgets ?? []).entries()) {
    const [row] = await tx
      .insert(budgets)
      .values({ roundId: created.id, name: budget.name, amountCents: budget.amountCents, position })
      .returning({ id: budgets.id })
    const ids = budget.projects.map((index) => projectIds[index]!)
    for (const part of chunks(ids))
      await tx.update(proposals).set({ budgetId: row!.id }).where(inArray(proposals.id, part))
  }
}

/** Bulk loads leave the planner's statistics stale (PGlite has no autovacuum). */
export async function analyzeBulkLoad(db: Db): Promise<void> {
  await db.execute(sql`analyze voting_codes`)
  await db.execute(sql`analyze ballots`)
}
