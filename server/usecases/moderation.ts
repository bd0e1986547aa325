import type { Db } from '../../db/client.js'
import { recordDecision, type ModerationInput } from '../data/moderation.js'
import type { Proposal } from '../data/proposals.js'
import { bumpContentVersion } from '../data/rounds.js'
import { answersSubmitter, eventOf, moderate } from '../domain/proposals/moderation.js'
import { tellFollowers, type MailWords } from './follows.js'

/**
 * A moderator decides on a proposal: approve, reject, ask for changes, correct the cost or merge a
 * duplicate. The status machine says whether the proposal's status takes the decision; null when
 * it does not, or when another official decided first.
 */
export async function moderateProposal(db: Db, input: ModerationInput, mailer: MailWords): Promise<Proposal | null> {
  const status = moderate(input.proposal.status, input.action)
  if (status === null) return null
  return db.transaction(async (tx) => {
    await bumpContentVersion(tx, input.proposal.roundId)
    const decided = await recordDecision(tx, {
      ...input,
      status,
      answers: answersSubmitter(input.action),
      kind: eventOf(input.action),
    })
    if (decided)
      await tellFollowers(tx, mailer, { kind: 'proposal-decision', proposalId: decided.id, action: input.action })
    return decided
  })
}
