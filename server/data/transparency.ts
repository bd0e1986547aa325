import { and, asc, count, eq, isNotNull, notInArray } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { ballots, officials, proposalEvents, proposals, votingCodes } from '../../db/schema.js'
import type { ChainedEntry } from '../domain/security/audit-chain.js'
import { messageIsPublic } from '../domain/proposals/rules.js'
import { listAudit } from './audit.js'

/** Every moderation decision in a round, oldest first; submissions are not decisions. */
export async function listRoundDecisions(db: Db, roundId: number) {
  const rows = await db
    .select({
      id: proposalEvents.id,
      at: proposalEvents.at,
      kind: proposalEvents.kind,
      message: proposalEvents.message,
      details: proposalEvents.details,
      reference: proposals.reference,
      title: proposals.title,
    })
    .from(proposalEvents)
    .innerJoin(proposals, eq(proposals.id, proposalEvents.proposalId))
    .where(and(eq(proposals.roundId, roundId), notInArray(proposalEvents.kind, ['submitted', 'resubmitted'])))
    .orderBy(asc(proposalEvents.at), asc(proposalEvents.id))
  // A request for changes is addressed to the submitter and may quote their plans: only the fact is public.
  return rows.map((r) => (messageIsPublic(r.kind) ? r : { ...r, message: null }))
}

/** When each proposal of the round came in and when it was first answered (null while it never was). */
export function listResponseTimes(db: Db, roundId: number) {
  return db
    .select({ submittedAt: proposals.submittedAt, firstAnsweredAt: proposals.firstAnsweredAt })
    .from(proposals)
    .where(eq(proposals.roundId, roundId))
}

/** Ballots kept in the database whose code was revoked afterwards: stored, never counted. */
export async function countRevokedBallots(db: Db, roundId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(ballots)
    .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
    .where(and(eq(ballots.roundId, roundId), isNotNull(votingCodes.revokedAt)))
  return row?.n ?? 0
}

export interface RoundAudit {
  /** The whole chain, in id order: it can only be verified whole. */
  chain: ChainedEntry[]
  /** The entries about this round, its proposals or its codes. */
  entries: ChainedEntry[]
  /** Each official's role, to name the actor without their e-mail address. */
  roles: Map<number, string>
  /** The round's proposals by id, to name an entry's object as people know it. */
  proposals: Map<number, { reference: string; title: string }>
}

export async function loadRoundAudit(db: Db, roundId: number): Promise<RoundAudit> {
  const [chain, proposalIds, staff] = await Promise.all([
    listAudit(db),
    db
      .select({ id: proposals.id, reference: proposals.reference, title: proposals.title })
      .from(proposals)
      .where(eq(proposals.roundId, roundId)),
    db.select({ id: officials.id, role: officials.role }).from(officials),
  ])
  const objects = new Set([`round:${roundId}`, ...proposalIds.map((p) => `proposal:${p.id}`)])
  const ids = new Set(proposalIds.map((p) => p.id))
  const entries = chain.filter(
    (e) =>
      objects.has(e.object) ||
      (e.object.startsWith('code:') && e.details.round === roundId) ||
      (e.object.startsWith('comment:') && ids.has(e.details.proposalId as number)),
  )
  return {
    chain,
    entries,
    roles: new Map(staff.map((o) => [o.id, o.role])),
    proposals: new Map(proposalIds.map((p) => [p.id, { reference: p.reference, title: p.title }])),
  }
}
