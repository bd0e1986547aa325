import { randomBytes, randomInt } from 'node:crypto'
import { and, arrayContains, asc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm'
import { preparedPer, type Db } from '../../db/client.js'
import { proposals, rounds } from '../../db/schema.js'
import { makeReference, type ProposalFields, type Theme, type Track } from '../domain/proposals/rules.js'
import { addProposalEvent } from './proposal-events.js'
import { insertPhotos, type NewPhoto } from './photos.js'
import { bumpContentVersion, type Round } from './rounds.js'
import type { Phase } from '../domain/rounds/phases.js'

export type Proposal = typeof proposals.$inferSelect

const {
  contactName: _name,
  contactEmail: _email,
  contactPhone: _phone,
  contactConsent: _consent,
  statusToken: _token,
  ...publicColumns
} = getTableColumns(proposals)

/** What the public may see of a proposal: never the submitter's contact details or status token. */
export type PublicProposal = Omit<
  Proposal,
  'contactName' | 'contactEmail' | 'contactPhone' | 'contactConsent' | 'statusToken'
>

export interface ProposalFilter {
  theme?: Theme
  track?: Track
}

/** A proposal in a list: all the public may see but its description, which only its own page shows (the bulk of a row). */
export type ListedProposal = Omit<PublicProposal, 'description'>
const { description: _description, ...listed } = publicColumns
export const listColumns = listed

const roundProposals = preparedPer((db) =>
  db
    .select(listColumns)
    .from(proposals)
    .where(eq(proposals.roundId, sql.placeholder('roundId')))
    .orderBy(asc(proposals.submittedAt), asc(proposals.id))
    .prepare('round_proposals'),
)

/** Every proposal of a round, oldest first: rejected ones too, with their public reason, for transparency. */
export function listPublicProposals(db: Db, roundId: number, filter: ProposalFilter = {}): Promise<ListedProposal[]> {
  // The round page without a filter is what most visitors open: its query is prepared once.
  if (!filter.theme && !filter.track) return roundProposals(db).execute({ roundId })
  const conditions: SQL[] = [eq(proposals.roundId, roundId)]
  if (filter.theme) conditions.push(arrayContains(proposals.themes, [filter.theme]))
  if (filter.track) conditions.push(eq(proposals.track, filter.track))
  return db
    .select(listColumns)
    .from(proposals)
    .where(and(...conditions))
    .orderBy(asc(proposals.submittedAt), asc(proposals.id))
}

/** A proposal by its reference with its round, as the public sees it. */
const publicProposal = preparedPer((db) =>
  db
    .select({ proposal: publicColumns, round: getTableColumns(rounds) })
    .from(proposals)
    .innerJoin(rounds, eq(rounds.id, proposals.roundId))
    .where(eq(proposals.reference, sql.placeholder('reference')))
    .prepare('public_proposal'),
)

export async function findPublicProposal(
  db: Db,
  reference: string,
): Promise<{ proposal: PublicProposal; round: Round } | undefined> {
  const [row] = await publicProposal(db).execute({ reference })
  return row
}

/** A proposal by the secret in its submitter's status link, with its round. */
export async function findProposalByToken(
  db: Db,
  statusToken: string,
): Promise<{ proposal: Proposal; round: Round } | undefined> {
  const [row] = await db
    .select({ proposal: proposals, round: rounds })
    .from(proposals)
    .innerJoin(rounds, eq(rounds.id, proposals.roundId))
    .where(eq(proposals.statusToken, statusToken))
  return row
}

/** The reference and title of a proposal another was merged into, for a link. */
export async function findProposalLink(db: Db, id: number): Promise<{ reference: string; title: string } | undefined> {
  const [row] = await db
    .select({ reference: proposals.reference, title: proposals.title })
    .from(proposals)
    .where(eq(proposals.id, id))
  return row
}

const REFERENCE_TRIES = 5

/**
 * Stores a new proposal and its 'submitted' event in one transaction, if the round is still in
 * one of `openIn` (its row is share-locked, so a phase move waits for the insert or goes first).
 * References are short enough to read aloud, so two may collide: then the insert is tried again.
 */
export async function createProposal(
  db: Db,
  input: {
    roundId: number
    openIn: readonly Phase[]
    lang: string
    fields: ProposalFields
    now: Date
    photos?: readonly NewPhoto[]
  },
  newReference: () => string = () => makeReference(randomInt),
): Promise<{ reference: string; statusToken: string } | null> {
  for (let attempt = 1; ; attempt++) {
    const reference = newReference()
    try {
      return await db.transaction(async (tx) => {
        const [round] = await tx.select().from(rounds).where(eq(rounds.id, input.roundId)).for('no key update')
        if (!round || !input.openIn.includes(round.phase)) return null
        await bumpContentVersion(tx, round.id)
        const [row] = await tx
          .insert(proposals)
          .values({
            ...input.fields,
            roundId: input.roundId,
            reference,
            statusToken: randomBytes(24).toString('base64url'),
            status: 'submitted',
            lang: input.lang,
            submittedAt: input.now,
            waitingSince: input.now,
          })
          .returning({ id: proposals.id, reference: proposals.reference, statusToken: proposals.statusToken })
        await addProposalEvent(tx, { proposalId: row!.id, kind: 'submitted' })
        await insertPhotos(tx, { roundId: round.id, proposalId: row!.id }, input.photos ?? [], null)
        return { reference: row!.reference, statusToken: row!.statusToken }
      })
    } catch (error) {
      if (attempt >= REFERENCE_TRIES || !violates(error, 'proposals_reference_unique')) throw error
    }
  }
}

/**
 * Saves the submitter's changes and puts the proposal back in the queue, only if changes were
 * still asked for: a replayed form or a decision taken meanwhile finds nothing to update.
 */
export async function resubmitProposal(
  db: Db,
  input: { statusToken: string; lang: string; fields: ProposalFields; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [owner] = await tx
      .select({ roundId: proposals.roundId })
      .from(proposals)
      .where(eq(proposals.statusToken, input.statusToken))
    if (!owner) return false
    await bumpContentVersion(tx, owner.roundId)
    const updated = await tx
      .update(proposals)
      .set({ ...input.fields, lang: input.lang, status: 'submitted', waitingSince: input.now })
      .where(and(eq(proposals.statusToken, input.statusToken), eq(proposals.status, 'needs_changes')))
      .returning({ id: proposals.id })
    const [row] = updated
    if (!row) return false
    await addProposalEvent(tx, { proposalId: row.id, kind: 'resubmitted' })
    return true
  })
}

/** True when `error` (or what it wraps: drizzle wraps the driver's error) broke the named unique constraint. */
function violates(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const {
      code,
      constraint: pglite,
      constraint_name: server,
    } = e as { code?: string; constraint?: string; constraint_name?: string }
    if (code === '23505') return (pglite ?? server) === constraint
  }
  return false
}
