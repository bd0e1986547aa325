import type { NewPhoto } from '../data/photos.js'
import type { Db } from '../../db/client.js'
import { enqueueMail, type OutgoingMail } from '../data/outbox.js'
import { createProposal, type Proposal } from '../data/proposals.js'
import { hitRateLimit } from '../data/rate-limits.js'
import type { Round } from '../data/rounds.js'
import { phasesWhere, type Actor } from '../domain/access/permissions.js'
import type { ProposalFields } from '../domain/proposals/rules.js'

/**
 * A resident sends in an idea. The round is asked again as the proposal is stored: a move out of
 * proposing since the form was shown refuses it (null).
 */
export function submitProposal(
  db: Db,
  input: {
    round: Round
    actor: Actor
    lang: string
    fields: ProposalFields
    now: Date
    photos?: readonly NewPhoto[]
  },
): Promise<{ reference: string; statusToken: string } | null> {
  const { round, lang, fields, now, photos } = input
  return createProposal(db, {
    roundId: round.id,
    openIn: phasesWhere(input.actor, 'proposal.submit'),
    lang,
    fields,
    now,
    photos,
  })
}

/** How often one proposal's link may be mailed in an hour: enough to retry, too few to flood the submitter's inbox. */
export const STATUS_MAILS_PER_HOUR = 3

export type StatusMailOutcome = 'queued' | 'wait' | 'no-address'

/**
 * The holder of a status link has it sent to the address the submitter gave: only there, so the
 * link cannot be sent anywhere else; counted per proposal, and put in the outbox with the count.
 */
export async function mailStatusLink(
  db: Db,
  input: { proposal: Proposal; mail: (to: string) => OutgoingMail },
): Promise<StatusMailOutcome> {
  const to = input.proposal.contactEmail
  if (!to) return 'no-address'
  return db.transaction(async (tx) => {
    const { count } = await hitRateLimit(tx, `status-mail:${input.proposal.id}`, 60 * 60 * 1000)
    if (count > STATUS_MAILS_PER_HOUR) return 'wait'
    await enqueueMail(tx, input.mail(to))
    return 'queued'
  })
}
