import { and, asc, eq, inArray, isNotNull, like, or, sql } from 'drizzle-orm'
import { preparedPer, type Db } from '../../db/client.js'
import { auditLog, proposalEvents, proposals, rounds } from '../../db/schema.js'
import type { ChainedEntry } from '../domain/security/audit-chain.js'
import type { ProposalStatus } from '../domain/proposals/moderation.js'
import type { TransitionFacts, WaitingProposal } from '../domain/rounds/transitions.js'
import { phasesWhere, RESIDENT, type Role } from '../domain/access/permissions.js'
import type { Phase } from '../domain/rounds/phases.js'
import { changedSettings, slugBase, uniqueSlug, type Changes, type RoundSettings } from '../domain/rounds/settings.js'
import { appendAudit } from './audit.js'

type Official = { id: number; email: string; role: Role }

export type Round = typeof rounds.$inferSelect

export function listRounds(db: Db): Promise<Round[]> {
  return db.select().from(rounds).orderBy(asc(rounds.id))
}

const roundBySlug = preparedPer((db) =>
  db
    .select()
    .from(rounds)
    .where(eq(rounds.slug, sql.placeholder('slug')))
    .prepare('round_by_slug'),
)

export async function findRoundBySlug(db: Db, slug: string): Promise<Round | undefined> {
  const [row] = await roundBySlug(db).execute({ slug })
  return row
}

/** The rounds residents may see (drafts are the admins' own until they open for proposals). */
const publicRounds = preparedPer((db) =>
  db
    .select()
    .from(rounds)
    .where(inArray(rounds.phase, phasesWhere(RESIDENT, 'round.view')))
    .orderBy(asc(rounds.id))
    .prepare('public_rounds'),
)

export function listPublicRounds(db: Db): Promise<Round[]> {
  return publicRounds(db).execute()
}

export async function findRound(db: Db, id: number): Promise<Round | undefined> {
  const [row] = await db.select().from(rounds).where(eq(rounds.id, id))
  return row
}

/**
 * Moves the round's content version (db/schema.ts): call first in the transaction that changes
 * anything its public pages show. The round row is locked from here to the commit, so every such
 * transaction takes the round before its proposals, in the order a phase move does.
 */
export async function bumpContentVersion(tx: Db, roundId: number): Promise<void> {
  await tx
    .update(rounds)
    .set({ contentVersion: sql`${rounds.contentVersion} + 1` })
    .where(eq(rounds.id, roundId))
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
  const taken = await tx
    .select({ slug: rounds.slug })
    .from(rounds)
    .where(or(eq(rounds.slug, base), like(rounds.slug, `${base}-%`)))
  const slug = uniqueSlug(base, new Set(taken.map((r) => r.slug)))
  const [row] = await tx
    .insert(rounds)
    .values({ ...settings, slug })
    .returning()
  return row!
}

/** Creates a draft round from checked settings, audited with every setting as a change. */
export async function createRound(db: Db, settings: RoundSettings, official: Official): Promise<Round> {
  return db.transaction(async (tx) => {
    const created = await insertRound(tx, settings, slugBase(settings.title))
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'round.create',
      object: `round:${created.id}`,
      details: { slug: created.slug, changes: changedSettings(null, settings) },
    })
    return created
  })
}

/** Stores a round's changed settings with their audit entry. Call inside the transaction that locked the round. */
export async function saveRoundSettings(
  tx: Db,
  round: Round,
  settings: RoundSettings,
  official: Official,
): Promise<void> {
  const changes: Changes = changedSettings(round, settings)
  // Saving an unchanged form changes nothing, so there is nothing to audit.
  if (Object.keys(changes).length === 0) return
  await tx
    .update(rounds)
    .set({ ...settings, contentVersion: sql`${rounds.contentVersion} + 1` })
    .where(eq(rounds.id, round.id))
  await appendAudit(tx, {
    officialId: official.id,
    actor: official.email,
    action: 'round.edit',
    object: `round:${round.id}`,
    details: { changes },
  })
}

/** Proposals of the round still waiting for an official's answer, the longest waiting first. */
function listWaitingOf(db: Db, roundId: number): Promise<WaitingProposal[]> {
  return db
    .select({ id: proposals.id, reference: proposals.reference, title: proposals.title })
    .from(proposals)
    .where(and(eq(proposals.roundId, roundId), isNotNull(proposals.waitingSince)))
    .orderBy(asc(proposals.waitingSince), asc(proposals.id))
}

function listAwaitingSubmitterOf(db: Db, roundId: number): Promise<WaitingProposal[]> {
  return db
    .select({ id: proposals.id, reference: proposals.reference, title: proposals.title })
    .from(proposals)
    .where(and(eq(proposals.roundId, roundId), eq(proposals.status, 'needs_changes')))
    .orderBy(asc(proposals.id))
}

/** What the phase transition table's checks look at, for this round now. */
export async function transitionFacts(
  db: Db,
  roundId: number,
  confirmedUnreviewed: readonly number[] = [],
): Promise<TransitionFacts> {
  const [counts, waiting, awaitingSubmitter] = await Promise.all([
    countProposalsByStatus(db, roundId),
    listWaitingOf(db, roundId),
    listAwaitingSubmitterOf(db, roundId),
  ])
  return { approvedCount: counts.approved ?? 0, waiting, awaitingSubmitter, confirmedUnreviewed }
}

/** Closes a proposal nobody answered in time, with the public answer "not reviewed before voting". */
export async function answerUnreviewed(tx: Db, proposalId: number, official: { id: number }, now: Date): Promise<void> {
  await tx
    .update(proposals)
    .set({
      status: 'not_reviewed',
      waitingSince: null,
      firstAnsweredAt: sql`coalesce(${proposals.firstAnsweredAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(eq(proposals.id, proposalId))
  await tx
    .insert(proposalEvents)
    .values({ proposalId, kind: 'not_reviewed', at: now, officialId: official.id, details: {} })
}

/**
 * Moves the round one step only if it is still in `from`: a replayed or doubled request finds
 * nothing to move. Call inside a transaction, after the transition table allowed the move.
 */
export async function moveRound(tx: Db, id: number, from: Phase, to: Phase): Promise<boolean> {
  // Closing waits for ballots being stored right now, and ballots after it see the closed phase:
  // no ballot is acknowledged after the round closed.
  if (to === 'closed') await tx.execute(sql`lock table ballots in share row exclusive mode`)
  const moved = await tx
    .update(rounds)
    .set({
      phase: to,
      phaseStartedAt: sql`${rounds.phaseStartedAt} || jsonb_build_object(${to}::text, now())`,
      contentVersion: sql`${rounds.contentVersion} + 1`,
    })
    .where(and(eq(rounds.id, id), eq(rounds.phase, from)))
    .returning({ id: rounds.id })
  return moved.length === 1
}

/** How many proposals of the round are in each status; statuses without any are absent. */
export async function countProposalsByStatus(
  db: Db,
  roundId: number,
): Promise<Partial<Record<ProposalStatus, number>>> {
  const rows = await db
    .select({ status: proposals.status, n: sql<number>`count(*)::int` })
    .from(proposals)
    .where(eq(proposals.roundId, roundId))
    .groupBy(proposals.status)
  return Object.fromEntries(rows.map((r) => [r.status, r.n]))
}

/** The audit entries about one round, oldest first: its history on the management page. */
export function listRoundAudit(db: Db, roundId: number): Promise<ChainedEntry[]> {
  return db
    .select()
    .from(auditLog)
    .where(eq(auditLog.object, `round:${roundId}`))
    .orderBy(asc(auditLog.id))
}
