import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { rounds } from '../../db/schema.js'
import { appendAudit } from './audit.js'
import { plannedEndPassed } from './planned-end.js'
import { moveRound } from './rounds.js'

/**
 * Closes every voting round whose planned end has passed, each in its own transaction with the
 * same lock as an admin's close (moveRound). Any number of instances may run this at once: only
 * the one whose update still finds the round voting closes it and writes the audit entries.
 */
export async function closeDueRounds(db: Db): Promise<number[]> {
  const due = await db
    .select({ id: rounds.id, votingUntil: rounds.votingUntil })
    .from(rounds)
    .where(and(eq(rounds.phase, 'voting'), plannedEndPassed))
  const closed: number[] = []
  for (const round of due) {
    const moved = await db.transaction(async (tx) => {
      if (!(await moveRound(tx, round.id, 'voting', 'closed'))) return false
      await appendAudit(tx, {
        officialId: null,
        actor: 'system',
        action: 'round.advance',
        object: `round:${round.id}`,
        details: { from: 'voting', to: 'closed', automatic: true, votingUntil: round.votingUntil },
      })
      return true
    })
    if (moved) closed.push(round.id)
  }
  return closed
}
