import type { Db } from '../../db/client.js'
import { recordDecision, type ModerationInput } from '../data/moderation.js'
import { enqueueMail, type OutgoingMail } from '../data/outbox.js'
import type { Proposal } from '../data/proposals.js'
import { bumpContentVersion } from '../data/rounds.js'
import { answersSubmitter, eventOf, moderate } from '../domain/proposals/moderation.js'
import { tellFollowers, type MailWords } from './follows.js'

/**
 * A moderator decides on a proposal: approve, reject, ask for changes, correct the cost or merge a
 * duplicate. The status machine says whether the proposal's status takes the decision; null when
 * it does not, or when another official decided first. The submitter's mail (`mail`, made from the
 * proposal as decided; null without an address) and the followers' mails are committed with the
 * decision, and sent from the outbox.
 */
export async function moderateProposal(
  db: Db,
  input: ModerationInput,
  mailer: MailWords,
  mail: (decided: Proposal) => OutgoingMail | null = () => null,
): Promise<Proposal | null> {
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
    const told = decided && mail(decided)
    if (told) await enqueueMail(tx, told)
    if (decided)
      await tellFollowers(tx, mailer, { kind: 'proposal-decision', proposalId: decided.id, action: input.action })
    return decided
  })
}
