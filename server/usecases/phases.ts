import type { Db } from '../../db/client.js'
import { appendAudit } from '../data/audit.js'
import { rewriteBallotsForClosing } from '../data/ballots.js'
import { forgetCodeAttempts } from '../data/code-attempts.js'
import { listDueRounds } from '../data/closing.js'
import { answerUnreviewed, findRound, moveRound, transitionFacts } from '../data/rounds.js'
import { sealBallots } from '../data/seal.js'
import { SYSTEM, type Actor } from '../domain/access/permissions.js'
import type { Phase } from '../domain/rounds/phases.js'
import {
  answeredUnreviewed,
  closesEarly,
  transitionFrom,
  transitionRefusal,
  type TransitionRefusal,
} from '../domain/rounds/transitions.js'
import { votingIsOver } from '../domain/rounds/voting-period.js'
import { tellFollowers, type MailWords } from './follows.js'

/**
 * Every phase change, whoever makes it, once the transition table allowed it: written only if the
 * round is still where the asker saw it, and the counted ballots sealed in the audit chain (and
 * rewritten without their order and times, the code-entry counts deleted) as voting closes. Call inside a transaction.
 */
export async function changePhase(tx: Db, id: number, from: Phase, to: Phase): Promise<boolean> {
  if (to === 'closed' && !(await rewriteBallotsForClosing(tx, id))) return false
  if (!(await moveRound(tx, id, from, to))) return false
  if (to === 'closed') {
    await sealBallots(tx, id)
    await forgetCodeAttempts(tx, id)
  }
  return true
}

export type AdvanceOutcome = 'moved' | 'notFound' | 'stale' | TransitionRefusal

/**
 * An admin moves a round out of `from`, the phase they saw, if the transition table allows it now.
 * When voting opens, each proposal the admin confirmed may go unreviewed gets its public answer;
 * closing voting before the promised last day needs a reason, which the audit log keeps.
 */
export async function advanceRound(
  db: Db,
  input: {
    id: number
    from: Phase
    actor: Actor
    official: { id: number; email: string }
    confirmedUnreviewed: readonly number[]
    /** Why voting closes before the date the letters promise; needed only then. */
    closingReason?: string
    now: Date
    /** Followers of the round and its proposals hear that voting opened. */
    mailer: MailWords
  },
): Promise<AdvanceOutcome> {
  const { id, from, official, now } = input
  return db.transaction(async (tx): Promise<AdvanceOutcome> => {
    // Not locked here: closing locks the ballots table first and the round row after (moveRound),
    // the order every ballot takes too; the move itself finds out whether the round is still in `from`.
    const round = await findRound(tx, id)
    if (!round) return 'notFound'
    if (round.phase !== from) return 'stale'
    const facts = {
      ...(await transitionFacts(tx, id, input.confirmedUnreviewed)),
      votingUntil: round.votingUntil,
      votingOver: votingIsOver(round.votingUntil, now),
      closingReason: input.closingReason,
    }
    const refusal = transitionRefusal(input.actor, 'round.advance', from, facts)
    if (refusal) return refusal
    const to = transitionFrom(from)!.to
    // The form says which phase the admin saw: only a round still there moves, so a replay finds nothing to do.
    if (!(await changePhase(tx, id, from, to))) return 'stale'
    const unreviewed = answeredUnreviewed(from, facts)
    const early = to === 'closed' && closesEarly(facts)
    for (const proposal of unreviewed) await answerUnreviewed(tx, proposal.id, official, now)
    if (to === 'voting') await tellFollowers(tx, input.mailer, { kind: 'voting-opened', roundId: id })
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'round.advance',
      object: `round:${id}`,
      details: {
        from,
        to,
        ...(unreviewed.length > 0 ? { unreviewed: unreviewed.map((p) => p.reference) } : {}),
        ...(early ? { votingUntil: round.votingUntil, reason: input.closingReason!.trim() } : {}),
      },
    })
    return 'moved'
  })
}

/**
 * Closes every voting round whose planned end has passed, each in its own transaction with the
 * same lock as an admin's close. Any number of instances may run this at once: only the one that
 * still finds the round voting closes it and writes the audit entries.
 */
export async function closeDueRounds(db: Db, now: Date): Promise<number[]> {
  const closed: number[] = []
  for (const { id } of await listDueRounds(db)) {
    const moved = await db.transaction(async (tx) => {
      const round = await findRound(tx, id)
      if (!round) return false
      const facts = { ...(await transitionFacts(tx, id)), votingOver: votingIsOver(round.votingUntil, now) }
      if (transitionRefusal(SYSTEM, 'voting.close-due', round.phase, facts)) return false
      if (!(await changePhase(tx, id, 'voting', 'closed'))) return false
      await appendAudit(tx, {
        officialId: null,
        actor: 'system',
        action: 'round.advance',
        object: `round:${id}`,
        details: { from: 'voting', to: 'closed', automatic: true, votingUntil: round.votingUntil },
      })
      return true
    })
    if (moved) closed.push(id)
  }
  return closed
}
