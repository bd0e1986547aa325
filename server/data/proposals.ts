import { and, asc, eq, ne } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { proposals } from '../../db/schema.js'

export type Proposal = typeof proposals.$inferSelect

/** What the public may see of a proposal: never the submitter's contact details or status token. */
export type PublicProposal = Omit<Proposal, 'contactName' | 'contactEmail' | 'contactPhone' | 'contactConsent' | 'statusToken'>

const publicColumns = {
  id: proposals.id,
  roundId: proposals.roundId,
  reference: proposals.reference,
  title: proposals.title,
  summary: proposals.summary,
  description: proposals.description,
  costCents: proposals.costCents,
  correctedCostCents: proposals.correctedCostCents,
  costJustification: proposals.costJustification,
  track: proposals.track,
  themes: proposals.themes,
  location: proposals.location,
  kwhPerYear: proposals.kwhPerYear,
  co2KgPerYear: proposals.co2KgPerYear,
  households: proposals.households,
  organisation: proposals.organisation,
  status: proposals.status,
  duplicateOfId: proposals.duplicateOfId,
  submittedAt: proposals.submittedAt,
  firstAnsweredAt: proposals.firstAnsweredAt,
}

/** Proposals residents can see: everything except rejected ones, oldest first. */
export function listPublicProposals(db: Db, roundId: number): Promise<PublicProposal[]> {
  return db
    .select(publicColumns)
    .from(proposals)
    .where(and(eq(proposals.roundId, roundId), ne(proposals.status, 'rejected')))
    .orderBy(asc(proposals.submittedAt), asc(proposals.id))
}
