import { and, asc, eq, like, ne, or, sql } from 'drizzle-orm'
import { preparedPer, type Db } from '../../db/client.js'
import { auditLog, proposals, rounds } from '../../db/schema.js'
import type { ChainedEntry } from '../domain/audit-chain.js'
import type { ProposalStatus } from '../domain/moderation.js'
import type { Phase } from '../domain/phases.js'
import { uniqueSlug, type RoundSettings } from '../domain/round-rules.js'
import { sealBallots } from './seal.js'

export type Round = typeof rounds.$inferSelect

export function listRounds(db: Db): Promise<Round[]> {
  return db.select().from(rounds).orderBy(asc(rounds.id))
}

const roundBySlug = preparedPer((db) => db.select().from(rounds).where(eq(rounds.slug, sql.placeholder('slug'))).prepare('round_by_slug'))

export async function findRoundBySlug(db: Db, slug: string): Promise<Round | undefined> {
  const [row] = await roundBySlug(db).execute({ slug })
  return row
}

/** Drafts are the admins' own until they open for proposals. */
export function listPublicRounds(db: Db): Promise<Round[]> {
  return db.select().from(rounds).where(ne(rounds.phase, 'draft')).orderBy(asc(rounds.id))
}

export async function findRound(db: Db, id: number): Promise<Round | undefined> {
  const [row] = await db.select().from(rounds).where(eq(rounds.id, id))
  return row
}

/** Reads a round inside a transaction and holds it until commit, so an edit and a phase move never cross. */
export async function lockRound(tx: Db, id: number): Promise<Round | undefined> {
  const [row] = await tx.select().from(rounds).where(eq(rounds.id, id)).for('update')
  return row
}

// Any constant shared by every instance: two rounds with the same title never race for one slug.
const SLUG_LOCK = 72_616_162

/** Inserts a draft round under the first free slug from `base`. Call inside a transaction. */
export async function insertRound(tx: Db, settings: RoundSettings, base: string): Promise<Round> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SLUG_LOCK})`)
  const taken = await tx.select({ slug: rounds.slug }).from(rounds)
    .where(or(eq(rounds.slug, base), like(rounds.slug, `${base}-%`)))
  const slug = uniqueSlug(base, new Set(taken.map((r) => r.slug)))
  const [row] = await tx.insert(rounds).values({ ...settings, slug }).returning()
  return row!
}

export async function updateRound(tx: Db, id: number, settings: RoundSettings): Promise<void> {
  await tx.update(rounds).set(settings).where(eq(rounds.id, id))
}

/** Moves the round one step only if it is still in `from`: a replayed or doubled request finds nothing to move. */
export async function moveRound(tx: Db, id: number, from: Phase, to: Phase): Promise<boolean> {
  // Closing waits for ballots being stored right now, and ballots after it see the closed phase:
  // no ballot is acknowledged after the round closed.
  if (to === 'closed') await tx.execute(sql`lock table ballots in share row exclusive mode`)
  const moved = await tx.update(rounds).set({ phase: to })
    .where(and(eq(rounds.id, id), eq(rounds.phase, from)))
    .returning({ id: rounds.id })
  if (moved.length === 1 && to === 'closed') await sealBallots(tx, id)
  return moved.length === 1
}

/** How many proposals of the round are in each status; statuses without any are absent. */
export async function countProposalsByStatus(db: Db, roundId: number): Promise<Partial<Record<ProposalStatus, number>>> {
  const rows = await db.select({ status: proposals.status, n: sql<number>`count(*)::int` })
    .from(proposals).where(eq(proposals.roundId, roundId)).groupBy(proposals.status)
  return Object.fromEntries(rows.map((r) => [r.status, r.n]))
}

/** The audit entries about one round, oldest first: its history on the management page. */
export function listRoundAudit(db: Db, roundId: number): Promise<ChainedEntry[]> {
  return db.select().from(auditLog).where(eq(auditLog.object, `round:${roundId}`)).orderBy(asc(auditLog.id))
}
