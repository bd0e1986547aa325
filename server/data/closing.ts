import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { rounds } from '../../db/schema.js'
import { plannedEndPassed } from './planned-end.js'

/** The rounds still voting whose planned end has passed, by the ballot statement's own rule. */
export function listDueRounds(db: Db): Promise<{ id: number }[]> {
  return db
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(eq(rounds.phase, 'voting'), plannedEndPassed))
}
