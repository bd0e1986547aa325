import { and, asc, count, eq, inArray, isNull, not, sql } from 'drizzle-orm'
import { preparedPer, type Db } from '../../db/client.js'
import { retriedOnStale } from '../../db/retry.js'
import { ballots, languageTurnout, proposals, rounds, votingCodes } from '../../db/schema.js'
import { isPastVoting, PHASES } from '../domain/rounds/phases.js'
import type { LanguageCounts } from '../domain/voting/language-steps.js'
import type { Channel } from '../domain/voting/turnout.js'
import { appendAudit } from './audit.js'
import { plannedEndPassed } from './planned-end.js'

const ballotProjects = preparedPer((db) =>
  db
    .select({
      id: proposals.id,
      reference: proposals.reference,
      title: proposals.title,
      summary: proposals.summary,
      costCents: sql<number>`coalesce(${proposals.correctedCostCents}, ${proposals.costCents})`.mapWith(Number),
      themes: proposals.themes,
      track: proposals.track,
      kwhPerYear: proposals.kwhPerYear,
      co2KgPerYear: proposals.co2KgPerYear,
      households: proposals.households,
      latitude: proposals.latitude,
      longitude: proposals.longitude,
      lang: proposals.lang,
      budgetId: proposals.budgetId,
    })
    .from(proposals)
    .where(and(eq(proposals.roundId, sql.placeholder('roundId')), eq(proposals.status, 'approved')))
    .orderBy(asc(proposals.submittedAt), asc(proposals.id))
    .prepare('ballot_projects'),
)

/** The projects on a round's ballot: its approved proposals, at the cost that counts. */
export function listBallotProjects(db: Db, roundId: number) {
  return ballotProjects(db).execute({ roundId })
}

// Built with the query builder so it can be prepared: this is the statement every vote runs.
const upsertBallot = preparedPer((db) =>
  db
    .insert(ballots)
    .select(
      db
        .select({
          id: sql<number>`nextval('ballots_id_seq')`.as('id'),
          roundId: votingCodes.roundId,
          codeId: votingCodes.id,
          channel: sql<Channel>`${sql.placeholder('channel')}::ballot_channel`.as('channel'),
          projectIds: sql<number[]>`${sql.placeholder('projectIds')}::integer[]`.as('project_ids'),
          points: sql<number[] | null>`${sql.placeholder('points')}::integer[]`.as('points'),
          receipt: sql<string>`${sql.placeholder('receipt')}::text`.as('receipt'),
          updatedAt: sql<Date>`now()`.as('updated_at'),
        })
        .from(votingCodes)
        .innerJoin(rounds, eq(rounds.id, votingCodes.roundId))
        .where(
          and(
            eq(votingCodes.id, sql.placeholder('codeId')),
            eq(votingCodes.roundId, sql.placeholder('roundId')),
            isNull(votingCodes.revokedAt),
            eq(rounds.phase, 'voting'),
            // The planned end holds even if no closer has run yet: no ballot is acknowledged after it.
            not(plannedEndPassed),
          ),
        ),
    )
    .onConflictDoUpdate({
      target: ballots.codeId,
      set: {
        projectIds: sql`excluded.project_ids`,
        points: sql`excluded.points`,
        channel: sql`excluded.channel`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ receipt: ballots.receipt, replaced: sql<boolean>`xmax <> 0` })
    .prepare('cast_ballot'),
)

/**
 * Stores or replaces the ballot of one code in one statement, only while the
 * code is valid, the round is voting and its planned end has not passed. Returns null when that no longer
 * holds. The reply is sent after this commits, so an acknowledged ballot is
 * never lost. Closing the round locks the table first (see moveRound).
 */
export async function castBallot(
  db: Db,
  ballot: {
    roundId: number
    codeId: number
    channel: Channel
    projectIds: number[]
    /** Points ballots only: the points for projectIds[k]. */
    points?: number[]
    receipt: string
  },
): Promise<{ receipt: string; replaced: boolean } | null> {
  // Safe to send again after a connection a restart ended: the ballot is keyed by its code, and a
  // second run stores the same choice and keeps the first receipt.
  const [row] = await retriedOnStale(() =>
    upsertBallot(db).execute({
      ...ballot,
      projectIds: `{${ballot.projectIds.join(',')}}`,
      points: ballot.points ? `{${ballot.points.join(',')}}` : null,
    }),
  )
  return row ?? null
}

/**
 * Adds a step of one round's language counts (domain/voting/language-steps.ts) in one statement,
 * so every row it touches carries the same transaction id: that of many ballots, never one.
 */
export async function addLanguageCounts(db: Db, roundId: number, counts: LanguageCounts): Promise<void> {
  if (counts.size === 0) return
  await db
    .insert(languageTurnout)
    .values([...counts].map(([lang, n]) => ({ roundId, lang, ballots: n })))
    .onConflictDoUpdate({
      target: [languageTurnout.roundId, languageTurnout.lang],
      set: { ballots: sql`${languageTurnout.ballots} + excluded.ballots` },
    })
}

/** Of the given rounds, those whose voting has closed (their ballots were rewritten then, see rewriteBallotsForClosing). */
export async function roundsPastVoting(db: Db, roundIds: readonly number[]): Promise<number[]> {
  if (roundIds.length === 0) return []
  const rows = await db
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(inArray(rounds.id, [...roundIds]), inArray(rounds.phase, PHASES.filter(isPastVoting))))
  return rows.map((r) => r.id)
}

/** Online ballots per language of the voting page, largest first. */
export function turnoutByLanguage(db: Db, roundId: number) {
  return db
    .select({ lang: languageTurnout.lang, ballots: sql<number>`sum(${languageTurnout.ballots})`.mapWith(Number) })
    .from(languageTurnout)
    .where(eq(languageTurnout.roundId, roundId))
    .groupBy(languageTurnout.lang)
    .orderBy(sql`2 desc`, languageTurnout.lang)
}

/**
 * As voting closes, in its transaction: the round's ballots are written again in random order,
 * with new ids and without their times, so rows, ids and transaction ids keep no trace of the order
 * or the moment ballots came in, and neither a language count, a code entry nor a paper ballot's
 * audit entry can be tied to a ballot by them, in this database or a dump of it. Done while the
 * round still votes (the trigger freezes ballots after), under the lock closing takes (moveRound),
 * and only if the round is still voting; false when it no longer is.
 */
export async function rewriteBallotsForClosing(tx: Db, roundId: number): Promise<boolean> {
  await tx.execute(sql`lock table ${ballots} in share row exclusive mode`)
  const [voting] = await tx
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(eq(rounds.id, roundId), eq(rounds.phase, 'voting')))
    .for('update')
  if (!voting) return false
  await tx.execute(sql`create temporary table closing_ballots on commit drop as
    select round_id, code_id, channel, project_ids, points, receipt, gen_random_uuid() as place
    from ${ballots} where ${ballots.roundId} = ${roundId}`)
  await tx.delete(ballots).where(eq(ballots.roundId, roundId))
  await tx.execute(sql`insert into ${ballots} (round_id, code_id, channel, project_ids, points, receipt, updated_at)
    select round_id, code_id, channel, project_ids, points, receipt, null from closing_ballots order by place`)
  await tx.execute(sql`drop table closing_ballots`)
  return true
}

/** What the code's ballot holds now (points only on a points ballot), or null when it has none: changing a vote starts from it. */
export async function currentChoice(
  db: Db,
  codeId: number,
): Promise<{ projectIds: number[]; points: number[] | null } | null> {
  const [row] = await db
    .select({ projectIds: ballots.projectIds, points: ballots.points })
    .from(ballots)
    .where(eq(ballots.codeId, codeId))
  return row ?? null
}

/** What a receipt may tell: that a ballot is in the count, never what it chose. */
export async function findReceipt(db: Db, receipt: string) {
  const [row] = await db
    .select({
      updatedAt: ballots.updatedAt,
      channel: ballots.channel,
      revoked: sql<boolean>`${votingCodes.revokedAt} is not null`,
      roundTitle: rounds.title,
      roundSlug: rounds.slug,
      helpDesk: rounds.helpDesk,
    })
    .from(ballots)
    .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
    .innerJoin(rounds, eq(rounds.id, ballots.roundId))
    .where(eq(ballots.receipt, receipt))
  return row
}

/** Turnout for officials: counts only, never which code chose what. */
export async function turnout(db: Db, roundId: number) {
  const codes = await db
    .select({
      group: votingCodes.groupLabel,
      issued: count(),
      revoked: sql<number>`count(${votingCodes.revokedAt})`.mapWith(Number),
    })
    .from(votingCodes)
    .where(eq(votingCodes.roundId, roundId))
    .groupBy(votingCodes.groupLabel)
    .orderBy(votingCodes.groupLabel)
  const cast = await db
    .select({
      group: votingCodes.groupLabel,
      channel: ballots.channel,
      ballots: count(),
    })
    .from(ballots)
    .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
    .where(and(eq(ballots.roundId, roundId), isNull(votingCodes.revokedAt)))
    .groupBy(votingCodes.groupLabel, ballots.channel)
  return { codes, cast }
}

/**
 * Counted ballots that name a project no longer on the ballot, and how many such votes they hold:
 * those votes do not count. Counted in PostgreSQL, so a city's ballots never come into the process.
 */
export async function ballotsLeftOut(
  db: Db,
  roundId: number,
  onBallot: readonly number[],
): Promise<{ ballots: number; votes: number }> {
  const listed = `{${onBallot.join(',')}}`
  const perBallot = db
    .select({
      votes:
        sql<number>`(select count(*) from unnest(${ballots.projectIds}) as chosen(id) where chosen.id <> all(${listed}::integer[]))`.as(
          'votes',
        ),
    })
    .from(ballots)
    .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
    .where(and(eq(ballots.roundId, roundId), isNull(votingCodes.revokedAt)))
    .as('per_ballot')
  const [row] = await db
    .select({
      ballots: sql<number>`count(*) filter (where ${perBallot.votes} > 0)`.mapWith(Number),
      votes: sql<number>`coalesce(sum(${perBallot.votes}), 0)`.mapWith(Number),
    })
    .from(perBallot)
  return row!
}

async function ballotChannel(db: Db, codeId: number, lock: boolean): Promise<Channel | null> {
  const query = db.select({ channel: ballots.channel }).from(ballots).where(eq(ballots.codeId, codeId))
  const [row] = lock ? await query.for('update') : await query
  return row?.channel ?? null
}

/** A ballot for the code arrived between the look and the write: the paper ballot is taken back. */
class ArrivedMeanwhile extends Error {}

export type PaperOutcome =
  | { kind: 'cast'; receipt: string; replaced: Channel | null }
  | { kind: 'confirm'; existing: Channel }
  | { kind: 'refused' }

/**
 * Stores a paper ballot, audited without the code or the choices. A ballot the
 * code already has is replaced only when the official confirmed it; one that
 * arrives while this runs is never replaced unseen, because the write then
 * reports a replacement nobody confirmed and the transaction is undone.
 * `refused` means the code was revoked or voting closed meanwhile.
 */
export async function enterPaperBallot(
  db: Db,
  entry: {
    roundId: number
    codeId: number
    projectIds: number[]
    receipt: string
    confirmed: boolean
    official: { id: number; email: string }
  },
): Promise<PaperOutcome> {
  try {
    return await db.transaction(async (tx): Promise<PaperOutcome> => {
      const existing = await ballotChannel(tx, entry.codeId, true)
      if (existing && !entry.confirmed) return { kind: 'confirm', existing }
      const cast = await castBallot(tx, {
        roundId: entry.roundId,
        codeId: entry.codeId,
        channel: 'paper',
        projectIds: entry.projectIds,
        receipt: entry.receipt,
      })
      if (!cast) return { kind: 'refused' }
      if (cast.replaced && !existing) throw new ArrivedMeanwhile()
      await appendAudit(tx, {
        officialId: entry.official.id,
        actor: entry.official.email,
        action: 'ballot.paper',
        object: `round:${entry.roundId}`,
        details: { replaces: existing ?? 'none' },
      })
      return { kind: 'cast', receipt: cast.receipt, replaced: existing }
    })
  } catch (error) {
    if (!(error instanceof ArrivedMeanwhile)) throw error
    return { kind: 'confirm', existing: (await ballotChannel(db, entry.codeId, false)) ?? 'online' }
  }
}

export interface CountedBallotsDigest {
  /** ballotsDigest of the counted ballots, as the audit chain records it. */
  sha256: string
  ballots: number
}

/**
 * The fingerprint of the round's counted ballots (ballotsDigest), computed inside PostgreSQL so
 * no ballot is loaded for it. With `onlyProjects`, votes for other projects are left out of each
 * ballot first (the ballot still counts, perhaps empty), as when comparing with a published file.
 */
export async function countedBallotsDigest(
  db: Db,
  roundId: number,
  onlyProjects?: readonly number[],
): Promise<CountedBallotsDigest> {
  // An int[] literal as one text parameter; ids that are no 32-bit integer are on no ballot anyway.
  const kept = onlyProjects && `{${onlyProjects.filter((id) => id === (id | 0)).join(',')}}`
  // Each ballot's ids in numeric order (the array is integer[]), as ballotLine sorts them, each with
  // `:points` on a points ballot (unnest pads a null points array with nulls); an empty ballot is ''.
  const line = sql`array_to_string(array(select chosen.id::text || coalesce(':' || chosen.points, '') from unnest(${ballots.projectIds}, ${ballots.points}) as chosen(id, points)${kept === undefined ? sql`` : sql` where chosen.id = any(${kept}::integer[])`} order by chosen.id), ',')`
  // The lines are materialised (inlined, each would be built twice: once more to sort by), then
  // sorted in byte order ("C"), which for digits and commas is JavaScript's default sort; no ballots hash as ''.
  const answer: unknown = await db.execute(sql`
    with counted as materialized (
      select ${line} as line from ${ballots} inner join ${votingCodes} on ${votingCodes.id} = ${ballots.codeId}
      where ${ballots.roundId} = ${roundId} and ${votingCodes.revokedAt} is null
    )
    select encode(sha256(convert_to(coalesce(string_agg(line, E'\\n' order by line collate "C"), ''), 'UTF8')), 'hex') as sha256, count(*)::integer as ballots
    from counted`)
  // postgres.js answers with the rows, PGlite with an object holding them.
  const [row] = (Array.isArray(answer) ? answer : (answer as { rows: unknown[] }).rows) as CountedBallotsDigest[]
  return row!
}
