import { and, asc, desc, eq, isNotNull, notInArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { officials, proposalEvents, proposals, rounds } from '../../db/schema.js'
import type { ModerationAction, ProposalEventKind, ProposalStatus } from '../domain/proposals/moderation.js'
import { appendAudit } from './audit.js'
import type { Proposal } from './proposals.js'

const queueColumns = {
  id: proposals.id,
  reference: proposals.reference,
  title: proposals.title,
  status: proposals.status,
  submittedAt: proposals.submittedAt,
  waitingSince: proposals.waitingSince,
  roundTitle: rounds.title,
  roundPhase: rounds.phase,
}

/** Proposals waiting for an official's answer, the longest waiting first. */
export function listWaiting(db: Db) {
  return db
    .select(queueColumns)
    .from(proposals)
    .innerJoin(rounds, eq(rounds.id, proposals.roundId))
    .where(isNotNull(proposals.waitingSince))
    .orderBy(asc(proposals.waitingSince), asc(proposals.id))
}

/** Proposals where officials asked for changes and the submitter has not answered yet. */
export function listAwaitingSubmitter(db: Db) {
  return db
    .select(queueColumns)
    .from(proposals)
    .innerJoin(rounds, eq(rounds.id, proposals.roundId))
    .where(eq(proposals.status, 'needs_changes'))
    .orderBy(asc(proposals.submittedAt))
}

/** The latest decisions, with who took them: what the council checks. */
export function listRecentDecisions(db: Db, limit = 50) {
  return db
    .select({
      at: proposalEvents.at,
      kind: proposalEvents.kind,
      message: proposalEvents.message,
      proposalId: proposals.id,
      reference: proposals.reference,
      title: proposals.title,
      officialName: officials.name,
    })
    .from(proposalEvents)
    .innerJoin(proposals, eq(proposals.id, proposalEvents.proposalId))
    .leftJoin(officials, eq(officials.id, proposalEvents.officialId))
    .where(notInArray(proposalEvents.kind, ['submitted', 'resubmitted']))
    .orderBy(desc(proposalEvents.at), desc(proposalEvents.id))
    .limit(limit)
}

export async function findProposal(db: Db, id: number): Promise<Proposal | undefined> {
  const [row] = await db.select().from(proposals).where(eq(proposals.id, id))
  return row
}

export async function findRoundOf(db: Db, proposal: Proposal) {
  const [round] = await db.select().from(rounds).where(eq(rounds.id, proposal.roundId))
  return round!
}

/** Other proposals of the same round that a duplicate may be merged into. */
export function listMergeTargets(db: Db, proposal: Proposal) {
  return db
    .select({ id: proposals.id, reference: proposals.reference, title: proposals.title })
    .from(proposals)
    .where(
      and(
        eq(proposals.roundId, proposal.roundId),
        sql`${proposals.id} <> ${proposal.id}`,
        notInArray(proposals.status, ['rejected']),
      ),
    )
    .orderBy(asc(proposals.reference))
}

export interface ModerationInput {
  proposal: Proposal
  action: ModerationAction
  official: { id: number; email: string }
  message: string | null
  correctedCostCents?: number
  duplicateOf?: { id: number; reference: string }
  now: Date
}

/**
 * Writes one decision: the proposal's new status, its event and the audit entry. The UPDATE only
 * matches while the proposal is still in the status the official saw, so of two officials acting
 * at once only one takes effect; the other gets null and nothing is written. Call inside the
 * decision's transaction.
 */
export async function recordDecision(
  tx: Db,
  input: ModerationInput & { status: ProposalStatus; answers: boolean; kind: ProposalEventKind },
): Promise<Proposal | null> {
  const { proposal, action, official, message, now, status, answers } = input
  const [updated] = await tx
    .update(proposals)
    .set({
      status,
      ...(answers
        ? {
            waitingSince: null,
            firstAnsweredAt: sql`coalesce(${proposals.firstAnsweredAt}, ${now.toISOString()}::timestamptz)`,
          }
        : {}),
      ...(action === 'correct-cost'
        ? { correctedCostCents: input.correctedCostCents, costJustification: message }
        : {}),
      ...(action === 'merge' ? { duplicateOfId: input.duplicateOf!.id } : {}),
    })
    .where(and(eq(proposals.id, proposal.id), eq(proposals.status, proposal.status)))
    .returning()
  if (!updated) return null

  const details = {
    reference: proposal.reference,
    from: proposal.status,
    to: updated.status,
    ...(message ? { message } : {}),
    ...(action === 'correct-cost'
      ? { costCents: proposal.correctedCostCents ?? proposal.costCents, correctedCostCents: input.correctedCostCents }
      : {}),
    ...(input.duplicateOf ? { mergedInto: input.duplicateOf.reference } : {}),
  }
  await tx
    .insert(proposalEvents)
    .values({ proposalId: proposal.id, kind: input.kind, at: now, officialId: official.id, message, details })
  await appendAudit(tx, {
    officialId: official.id,
    actor: official.email,
    action: `proposal.${action}`,
    object: `proposal:${proposal.id}`,
    details,
    at: now,
  })
  return updated
}
