import { and, asc, desc, eq, isNull, lt, sql } from 'drizzle-orm'
import { integerArray, type Db } from '../../db/client.js'
import { milestones, progressUpdates, proposals, rounds } from '../../db/schema.js'
import type { LatestUpdate, ProgressStatus, ProgressUpdateInput } from '../domain/results/progress.js'
import { appendAudit } from './audit.js'
import { bumpContentVersion } from './rounds.js'

export type Milestone = typeof milestones.$inferSelect
type Official = { id: number; email: string }

/** The status the project's latest update gave, before this one: a change is news for its followers. */
export async function lastStatus(tx: Db, proposalId: number): Promise<ProgressStatus | undefined> {
  const [row] = await tx
    .select({ status: progressUpdates.status })
    .from(progressUpdates)
    .where(eq(progressUpdates.proposalId, proposalId))
    .orderBy(desc(progressUpdates.on), desc(progressUpdates.id))
    .limit(1)
  return row?.status
}

/** Each project's latest update (by its date, then the order of posting); a project without one is left out. */
export async function latestUpdates(tx: Db, proposalIds: readonly number[]): Promise<Map<number, LatestUpdate>> {
  if (proposalIds.length === 0) return new Map()
  const rows = await tx
    .selectDistinctOn([progressUpdates.proposalId], {
      proposalId: progressUpdates.proposalId,
      status: progressUpdates.status,
      createdAt: progressUpdates.createdAt,
    })
    .from(progressUpdates)
    .where(sql`${progressUpdates.proposalId} = any(${integerArray(proposalIds)}::integer[])`)
    .orderBy(progressUpdates.proposalId, desc(progressUpdates.on), desc(progressUpdates.id))
  return new Map(rows.map(({ proposalId, ...latest }) => [proposalId, latest]))
}

/** Stores an update with its audit entry; the round's kept pages move on in the same transaction. */
export async function insertProgressUpdate(
  tx: Db,
  roundId: number,
  update: ProgressUpdateInput,
  official: Official,
): Promise<number> {
  await bumpContentVersion(tx, roundId)
  const [row] = await tx
    .insert(progressUpdates)
    .values({ ...update, officialId: official.id })
    .returning({ id: progressUpdates.id })
  await appendAudit(tx, {
    officialId: official.id,
    actor: official.email,
    action: 'progress.post',
    object: `proposal:${update.proposalId}`,
    details: { status: update.status, on: update.on, spentCents: update.spentCents },
  })
  return row!.id
}

/** The milestones of these projects, by planned day. */
export function listMilestones(db: Db, proposalIds: readonly number[]): Promise<Milestone[]> {
  if (proposalIds.length === 0) return Promise.resolve([])
  return db
    .select()
    .from(milestones)
    .where(sql`${milestones.proposalId} = any(${integerArray(proposalIds)}::integer[])`)
    .orderBy(asc(milestones.plannedOn), asc(milestones.id))
}

export async function countMilestones(tx: Db, proposalId: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(milestones)
    .where(eq(milestones.proposalId, proposalId))
  return row?.n ?? 0
}

export async function insertMilestone(
  tx: Db,
  roundId: number,
  milestone: { proposalId: number; title: string; plannedOn: string },
  official: Official,
): Promise<void> {
  await bumpContentVersion(tx, roundId)
  const [row] = await tx
    .insert(milestones)
    .values({ ...milestone, officialId: official.id })
    .returning({ id: milestones.id })
  await appendAudit(tx, {
    officialId: official.id,
    actor: official.email,
    action: 'milestone.add',
    object: `proposal:${milestone.proposalId}`,
    details: { milestone: row!.id, plannedOn: milestone.plannedOn },
  })
}

/** Records the day a milestone of this round was reached (or takes it back); false when the round has no such milestone. */
export async function setMilestoneDone(
  tx: Db,
  roundId: number,
  milestoneId: number,
  doneOn: string | null,
  official: Official,
): Promise<boolean> {
  await bumpContentVersion(tx, roundId)
  const [row] = await tx
    .update(milestones)
    .set({ doneOn })
    .where(
      and(
        eq(milestones.id, milestoneId),
        sql`${milestones.proposalId} in (select ${proposals.id} from ${proposals} where ${proposals.roundId} = ${roundId})`,
      ),
    )
    .returning({ proposalId: milestones.proposalId })
  if (!row) return false
  await appendAudit(tx, {
    officialId: official.id,
    actor: official.email,
    action: 'milestone.done',
    object: `proposal:${row.proposalId}`,
    details: { milestone: milestoneId, doneOn },
  })
  return true
}

/** Milestones not reached whose planned day is before today and that nobody was reminded of, in published rounds. */
export function milestonesPastDue(db: Db, today: string) {
  return db
    .select({
      id: milestones.id,
      proposalId: milestones.proposalId,
      title: milestones.title,
      plannedOn: milestones.plannedOn,
      doneOn: milestones.doneOn,
      remindedAt: milestones.remindedAt,
      projectTitle: proposals.title,
      roundId: rounds.id,
      roundTitle: rounds.title,
    })
    .from(milestones)
    .innerJoin(proposals, eq(proposals.id, milestones.proposalId))
    .innerJoin(rounds, eq(rounds.id, proposals.roundId))
    .where(
      and(
        isNull(milestones.doneOn),
        isNull(milestones.remindedAt),
        lt(milestones.plannedOn, today),
        eq(rounds.phase, 'published'),
      ),
    )
    .orderBy(asc(milestones.plannedOn), asc(milestones.id))
}

/** Claims the reminder of these milestones: only the instance whose update finds them unclaimed sends it. */
export async function claimReminders(tx: Db, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return []
  const rows = await tx
    .update(milestones)
    .set({ remindedAt: sql`now()` })
    .where(and(sql`${milestones.id} = any(${integerArray(ids)}::integer[])`, isNull(milestones.remindedAt)))
    .returning({ id: milestones.id })
  return rows.map((r) => r.id)
}
