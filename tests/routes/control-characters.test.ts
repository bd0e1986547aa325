import t, { type Test } from 'tap'
import { count, eq } from 'drizzle-orm'
import { auditLog, proposalEvents, proposals, rounds } from '../../db/schema.js'
import { Visitor } from '../helpers/client.js'
import { demoRound } from '../helpers/fixtures.js'

const { app, db, roundId, signedIn } = await demoRound(t, { phase: 'proposing' })
const SLUG = 'bospolder-tussendijken'
const NUL = 'a\u0000b'
const MESSAGE = 'Hierin staat een onzichtbaar stuurteken'

const heading = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1]?.trim()
const rowCounts = async () => ({
  proposals: (await db.select({ n: count() }).from(proposals))[0]!.n,
  events: (await db.select({ n: count() }).from(proposalEvents))[0]!.n,
  audit: (await db.select({ n: count() }).from(auditLog))[0]!.n,
})

async function refused(t: Test, response: { statusCode: number; body: string }, status: number) {
  t.equal(response.statusCode, status, 'refused with a 4xx, not a 500')
  t.equal(heading(response.body), MESSAGE, 'the page says what is wrong')
}

const PROPOSAL = {
  title: 'Tochtstrips',
  summary: 'Buren plakken tochtstrips.',
  description: 'Twee zaterdagen.',
  cost: '2500',
  track: 'social',
  themes: 'green',
  location: '',
  kwhPerYear: '',
  co2KgPerYear: '',
  households: '',
  organisation: '',
  contactName: 'Fatima',
  contactEmail: 'fatima@example.net',
  contactPhone: '',
  consent: 'yes',
}

t.test('a control character in any field of the proposal form is refused and nothing is stored', async (t) => {
  const before = await rowCounts()
  for (const field of ['title', 'description', 'contactName', 'contactEmail']) {
    const visitor = new Visitor(app)
    await visitor.get(`/rounds/${SLUG}/proposals/new`)
    await refused(t, await visitor.post(`/rounds/${SLUG}/proposals`, { ...PROPOSAL, [field]: NUL }), 422)
  }
  const visitor = new Visitor(app)
  await visitor.get(`/rounds/${SLUG}/proposals/new`)
  await refused(t, await visitor.post(`/rounds/${SLUG}/proposals`, { ...PROPOSAL, description: 'bell\u0007' }), 422)
  t.same(await rowCounts(), before)
})

t.test('an unpaired direction control in a title or summary is refused and nothing is stored', async (t) => {
  const before = await rowCounts()
  for (const [field, value] of [
    ['title', 'Tochtstrips \u202e10-30-2026'],
    ['summary', 'Buren \u2067plakken'],
    ['title', 'Tochtstrips\u2069'],
  ]) {
    const visitor = new Visitor(app)
    await visitor.get(`/rounds/${SLUG}/proposals/new`)
    await refused(t, await visitor.post(`/rounds/${SLUG}/proposals`, { ...PROPOSAL, [field!]: value! }), 422)
  }
  t.same(await rowCounts(), before)
})

t.test('tabs and line breaks in a text area are ordinary text', async (t) => {
  const visitor = new Visitor(app)
  await visitor.get(`/rounds/${SLUG}/proposals/new`)
  const res = await visitor.post(`/rounds/${SLUG}/proposals`, { ...PROPOSAL, description: 'Eén\tregel\r\nTwee' })
  t.equal(res.statusCode, 303)
})

t.test('a control character in the edit form of a proposal that needs changes is refused', async (t) => {
  const [row] = await db.select().from(proposals).where(eq(proposals.status, 'needs_changes'))
  const visitor = new Visitor(app)
  await visitor.get(`/status/${row!.statusToken}/edit`)
  await refused(t, await visitor.post(`/status/${row!.statusToken}`, { ...PROPOSAL, title: NUL }), 422)
  const [after] = await db.select().from(proposals).where(eq(proposals.id, row!.id))
  t.same(after, row, 'the proposal is unchanged')
})

t.test('a control character on the login form is refused', async (t) => {
  const visitor = new Visitor(app)
  await visitor.get('/login')
  const before = await rowCounts()
  await refused(t, await visitor.post('/login', { email: `admin@example.test${'\u0000'}`, password: 'x' }), 422)
  await refused(t, await visitor.post('/login', { email: 'admin@example.test', password: NUL }), 422)
  t.same(await rowCounts(), before)
})

t.test('a control character in round settings or a moderation message is refused and nothing changes', async (t) => {
  const admin = await signedIn('admin')
  const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId))
  await admin.get(`/official/rounds/${roundId}/edit`)
  await refused(
    t,
    await admin.post(`/official/rounds/${roundId}`, { title: NUL, neighbourhood: 'BTD', budget: '100000' }),
    422,
  )
  t.same((await db.select().from(rounds).where(eq(rounds.id, roundId)))[0], round, 'the round is unchanged')

  const [waiting] = await db.select().from(proposals).where(eq(proposals.status, 'submitted'))
  const before = await rowCounts()
  await admin.get(`/official/proposals/${waiting!.id}`)
  await refused(
    t,
    await admin.post(`/official/proposals/${waiting!.id}/reject`, { message: `Te duur${'\u0000'}` }),
    422,
  )
  t.same(await rowCounts(), before)
  t.equal((await db.select().from(proposals).where(eq(proposals.id, waiting!.id)))[0]!.status, 'submitted')
})

t.test('a control character in an address, raw or encoded, gets a clear 400', async (t) => {
  const visitor = new Visitor(app)
  for (const url of [
    `/rounds/${SLUG}%00`,
    `/rounds/${SLUG}?theme=%00`,
    `/status/abc%00def`,
    `/proposals/BTD-0001%0A`,
    '/login?next=/official%09',
  ]) {
    await refused(t, await visitor.get(url), 400)
  }
})
