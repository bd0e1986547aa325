import { asc, eq, sql } from 'drizzle-orm'
import { preparedPer, type Db } from '../../db/client.js'
import { proposalEvents } from '../../db/schema.js'
import type { ProposalEventKind } from '../domain/proposals/moderation.js'

export type ProposalEvent = typeof proposalEvents.$inferSelect

export async function addProposalEvent(
  tx: Db,
  event: {
    proposalId: number
    kind: ProposalEventKind
    officialId?: number | null
    message?: string | null
    details?: Record<string, unknown>
  },
): Promise<void> {
  await tx.insert(proposalEvents).values({ ...event, details: event.details ?? {} })
}

/** A proposal's history, oldest first. */
const eventsOf = preparedPer((db) =>
  db
    .select()
    .from(proposalEvents)
    .where(eq(proposalEvents.proposalId, sql.placeholder('proposalId')))
    .orderBy(asc(proposalEvents.at), asc(proposalEvents.id))
    .prepare('proposal_events_of'),
)

export function listProposalEvents(db: Db, proposalId: number): Promise<ProposalEvent[]> {
  return eventsOf(db).execute({ proposalId })
}
