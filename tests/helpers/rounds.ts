import { eq, sql } from 'drizzle-orm'
import { auditLog, proposals, rounds } from '../../db/schema.js'
import { listAudit } from '../../server/data/audit.js'
import type { Phase } from '../../server/domain/rounds/phases.js'
import { testApp, type Teardown } from './app.js'
import { html, msg } from './html.js'
import { createOfficials, signedIn } from './officials.js'

/** The round form as an admin fills it in. */
export const FORM = {
  title: 'Wijkbudget Energie Oude Noorden',
  neighbourhood: 'Oude Noorden',
  description: 'Samen energie besparen.',
  budget: '75.000',
  ballotFormat: 'knapsack',
  maxChoices: '',
  minSpendPercent: '50',
  tallyRule: 'equal-shares',
  proposingFrom: '2027-01-10',
  reviewingFrom: '2027-02-10',
  votingFrom: '2027-03-01',
  votingUntil: '2027-03-21',
  publishOn: '2027-04-01',
}

/** The lines of a round's history as a reader sees them. */
export const historyLines = (body: string) => html({ body }).texts('.round-history li li')
export const change = (label: string, from: string, to: string) =>
  `${msg(label)}: ${msg('rounds.history.from')} ${from} ${msg('rounds.history.to')} ${to}`
/** What an official may follow from the management page's action links. */
export const actionLinks = (body: string) =>
  html({ body })
    .all('.round-actions a')
    .map((a) => a.getAttribute('href'))
export const idFrom = (location: unknown) => Number(/\/official\/rounds\/(\d+)/.exec(String(location))![1])

/**
 * The app on a fresh database with an admin, a moderator and a council member, the admin signed in,
 * and what the round tests read and write.
 */
export async function roundsAdmin(t: Teardown) {
  const { app, db } = await testApp(t)
  await createOfficials(db, ['admin', 'moderator', 'council'])
  const admin = await signedIn(app, 'admin')

  let slugCounter = 0
  async function insertRound(phase: Phase, values: Partial<typeof rounds.$inferInsert> = {}) {
    const [row] = await db
      .insert(rounds)
      .values({
        slug: `test-${slugCounter++}`,
        title: 'Testronde',
        neighbourhood: 'Testwijk',
        budgetCents: 5_000_000,
        phase,
        ...values,
      })
      .returning()
    return row!
  }

  let reference = 0
  async function addProposal(roundId: number, status: 'submitted' | 'approved' | 'rejected') {
    await db.insert(proposals).values({
      roundId,
      status,
      reference: `T-${reference}`,
      statusToken: `token-${reference++}`,
      title: 'Idee',
      summary: 'Kort',
      description: 'Lang',
      costCents: 100_000,
      track: 'social',
      themes: ['green'],
      contactName: 'Bewoner',
    })
  }

  return {
    app,
    db,
    admin,
    insertRound,
    addProposal,
    roundRow: async (id: number) => (await db.select().from(rounds).where(eq(rounds.id, id)))[0]!,
    roundCount: async () => (await db.select({ n: sql<number>`count(*)::int` }).from(rounds))[0]!.n,
    // A refused request is itself recorded as a security event; what matters here is that no action was.
    actionCount: async () => (await listAudit(db)).filter((e) => e.action !== 'security.forbidden').length,
    auditOf: (id: number) =>
      db
        .select()
        .from(auditLog)
        .where(eq(auditLog.object, `round:${id}`))
        .orderBy(auditLog.id),
  }
}
