import type { Db } from '../../db/client.js'
import { createProposal } from '../data/proposals.js'
import type { Round } from '../data/rounds.js'
import { phasesWhere, type Actor } from '../domain/access/permissions.js'
import type { ProposalFields } from '../domain/proposals/rules.js'

/**
 * A resident sends in an idea. The round is asked again as the proposal is stored: a move out of
 * proposing since the form was shown refuses it (null).
 */
export function submitProposal(
  db: Db,
  input: { round: Round; actor: Actor; lang: string; fields: ProposalFields; now: Date },
): Promise<{ reference: string; statusToken: string } | null> {
  const { round, lang, fields, now } = input
  return createProposal(db, {
    roundId: round.id,
    openIn: phasesWhere(input.actor, 'proposal.submit'),
    lang,
    fields,
    now,
  })
}
