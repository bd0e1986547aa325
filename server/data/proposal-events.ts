import { asc, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { proposalEvents } from '../../db/schema.js'
import type { ProposalEventKind } from '../domain/moderation.js'

export type ProposalEvent = typeof proposalEvents.$inferSelect

export async function addProposalEvent(
  tx: Db,
  event: { proposalId: number; kind: ProposalEventKind; officialId?: number | null; message?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(proposalEvents).values({ ...event, details: event.details ?? {} })
}

/** A proposal's history, oldest first. */
export function listProposalEvents(db: Db, proposalId: number): Promise<ProposalEvent[]> {
  return db.select().from(proposalEvents).where(eq(proposalEvents.proposalId, proposalId)).orderBy(asc(proposalEvents.at), asc(proposalEvents.id))
}
