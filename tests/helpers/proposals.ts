import { asc, count, eq } from 'drizzle-orm'
import { proposalEvents, proposals, rounds } from '../../db/schema.js'
import { seedDemo } from '../../server/data/demo.js'
import { testApp, type Teardown } from './app.js'
import { Visitor } from './client.js'
import { setPhase } from './voting.js'

export const SLUG = 'bospolder-tussendijken'

/** A proposal form as a resident fills it in, every field valid. */
export const VALID = {
  title: 'Tochtstrips voor de Schiedamseweg',
  summary: 'Buren plakken samen tochtstrips in 50 woningen.',
  description: 'Op twee zaterdagen gaan we langs.\nWe nemen materiaal mee.',
  cost: '2.500,50',
  track: 'social',
  themes: ['energy-poverty', 'green'],
  location: 'Schiedamseweg',
  lat: '',
  lng: '',
  kwhPerYear: '12.000',
  co2KgPerYear: '5000',
  households: '50',
  organisation: 'Bewonersgroep Schiedamseweg',
  contactName: 'Fatima Yilmaz',
  contactEmail: 'fatima@example.net',
  contactPhone: '06 12345678',
  consent: 'yes',
}
export type Form = Record<keyof typeof VALID, string | string[] | null>

/** The app on a fresh database with the demo round in the proposing phase, and what the proposal tests use. */
export async function proposingRound(t: Teardown) {
  const { app, db } = await testApp(t)
  await seedDemo(db)
  const [round] = await db.update(rounds).set({ phase: 'proposing' }).where(eq(rounds.slug, SLUG)).returning()

  /** Each subtest puts the round in the phase it needs, so none depends on what an earlier one left. */
  const inPhase = (phase: 'proposing' | 'reviewing' | 'voting' | 'closed' | 'published') =>
    setPhase(db, round!.id, phase)

  const byToken = async (token: string) =>
    (await db.select().from(proposals).where(eq(proposals.statusToken, token)))[0]!

  async function submit(visitor: Visitor, changes: Partial<Form> = {}, slug = SLUG) {
    await visitor.get(`/rounds/${SLUG}/proposals/new`)
    return visitor.post(`/rounds/${slug}/proposals`, { ...VALID, ...changes })
  }

  /** A visitor who has the proposal form open, so their posts carry a CSRF token. */
  async function withForm() {
    const visitor = new Visitor(app)
    await visitor.get(`/rounds/${SLUG}/proposals/new`)
    return visitor
  }

  /** Submits a valid idea and returns its row and status token. */
  async function submitted(changes: Partial<Form> = {}) {
    await inPhase('proposing')
    const res = await submit(new Visitor(app), changes)
    const token = /^\/status\/([\w-]+)$/.exec(String(res.headers.location))![1]!
    return { token, row: await byToken(token) }
  }

  return {
    app,
    db,
    round,
    inPhase,
    byToken,
    submit,
    countProposals: async () => (await db.select({ n: count() }).from(proposals))[0]!.n,
    eventsOf: (proposalId: number) =>
      db.select().from(proposalEvents).where(eq(proposalEvents.proposalId, proposalId)).orderBy(asc(proposalEvents.id)),
    withForm,
    submitted,
  }
}
