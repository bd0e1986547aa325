import { and, asc, eq, inArray, isNotNull, lt, or, isNull } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { groupPopulations, officials, roundEquity, rounds, votingCodes } from '../../db/schema.js'
import { DEFAULT_EQUITY, SUMMARY_ROLES, type EquitySettings } from '../domain/voting/equity.js'
import type { Role } from '../domain/access/permissions.js'

/** A round's equity settings (the defaults until an admin saves them) and its groups' populations. */
export async function loadEquity(db: Db, roundId: number) {
  const [[settings], populations] = await Promise.all([
    db
      .select({ lagPoints: roundEquity.lagPoints, minGroupVoters: roundEquity.minGroupVoters })
      .from(roundEquity)
      .where(eq(roundEquity.roundId, roundId)),
    db
      .select({ label: groupPopulations.groupLabel, residents: groupPopulations.residents })
      .from(groupPopulations)
      .where(eq(groupPopulations.roundId, roundId)),
  ])
  return {
    settings: settings ?? DEFAULT_EQUITY,
    populations: new Map(populations.map((p) => [p.label, p.residents])),
  }
}

/** The named groups of a round's voting codes, in order: the only groups a population can be entered for. */
export async function listCodeGroups(db: Db, roundId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ label: votingCodes.groupLabel })
    .from(votingCodes)
    .where(and(eq(votingCodes.roundId, roundId), isNotNull(votingCodes.groupLabel)))
    .orderBy(asc(votingCodes.groupLabel))
  return rows.map((r) => r.label!)
}

/** Replaces a round's populations and settings; returns what was stored before, for the audit entry. */
export async function replaceEquity(
  tx: Db,
  roundId: number,
  populations: ReadonlyMap<string, number>,
  settings: EquitySettings,
) {
  const before = await loadEquity(tx, roundId)
  await tx.delete(groupPopulations).where(eq(groupPopulations.roundId, roundId))
  if (populations.size > 0)
    await tx
      .insert(groupPopulations)
      .values([...populations].map(([groupLabel, residents]) => ({ roundId, groupLabel, residents })))
  await tx
    .insert(roundEquity)
    .values({ roundId, ...settings })
    .onConflictDoUpdate({ target: roundEquity.roundId, set: settings })
  return before
}

/** Rounds in the voting phase (whether their planned end has passed is the caller's to decide). */
export function listVotingRounds(db: Db) {
  return db.select().from(rounds).where(eq(rounds.phase, 'voting')).orderBy(asc(rounds.id))
}

/**
 * Takes the day's summary of a round for this transaction: true for the one caller that moved the
 * round's sent day to `day`, false for every other (the row lock makes concurrent callers wait and
 * then find the day taken).
 */
export async function claimSummaryDay(tx: Db, roundId: number, day: string): Promise<boolean> {
  const claimed = await tx
    .insert(roundEquity)
    .values({ roundId, summarySentOn: day })
    .onConflictDoUpdate({
      target: roundEquity.roundId,
      set: { summarySentOn: day },
      setWhere: or(isNull(roundEquity.summarySentOn), lt(roundEquity.summarySentOn, day)),
    })
    .returning({ roundId: roundEquity.roundId })
  return claimed.length > 0
}

/**
 * Active officials of these roles; by default those who go door to door or run the programme,
 * the readers of the daily summary.
 */
export function listSummaryReaders(db: Db, roles: readonly Role[] = SUMMARY_ROLES) {
  return db
    .select({ email: officials.email, name: officials.name })
    .from(officials)
    .where(and(eq(officials.active, true), inArray(officials.role, [...roles])))
    .orderBy(asc(officials.id))
}
