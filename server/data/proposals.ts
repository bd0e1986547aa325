import { asc, eq, getTableColumns } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { proposals } from '../../db/schema.js'

export type Proposal = typeof proposals.$inferSelect

const {
  contactName: _name, contactEmail: _email, contactPhone: _phone, contactConsent: _consent, statusToken: _token, ...publicColumns
} = getTableColumns(proposals)

/** What the public may see of a proposal: never the submitter's contact details or status token. */
export type PublicProposal = Omit<Proposal, 'contactName' | 'contactEmail' | 'contactPhone' | 'contactConsent' | 'statusToken'>

/** Every proposal of a round, oldest first: rejected ones too, with their public reason, for transparency. */
export function listPublicProposals(db: Db, roundId: number): Promise<PublicProposal[]> {
  return db
    .select(publicColumns)
    .from(proposals)
    .where(eq(proposals.roundId, roundId))
    .orderBy(asc(proposals.submittedAt), asc(proposals.id))
}
