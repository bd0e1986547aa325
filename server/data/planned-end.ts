import { sql } from 'drizzle-orm'
import { rounds } from '../../db/schema.js'

/**
 * The planned end in SQL, the twin of domain/voting-period.ts votingEndsAt (a test holds them
 * together): midnight in Amsterdam after the last voting day.
 */
export const plannedEnd = sql<Date>`((${rounds.votingUntil} + 1)::timestamp at time zone 'Europe/Amsterdam')`

/** In the database's clock, so every instance agrees and the ballot statement can refuse a late ballot by itself. */
export const plannedEndPassed = sql`(${rounds.votingUntil} is not null and now() >= ${plannedEnd})`
