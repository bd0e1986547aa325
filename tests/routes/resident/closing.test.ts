import { randomInt } from 'node:crypto'
import t from 'tap'
import { and, eq } from 'drizzle-orm'
import { auditLog, ballots, rounds } from '../../../db/schema.js'
import { listAudit } from '../../../server/data/audit.js'
import { closeDueRounds } from '../../../server/usecases/phases.js'
import { plannedEnd } from '../../../server/data/planned-end.js'
import { countedBallots } from '../../../server/data/results.js'
import { findCode } from '../../../server/data/voting-codes.js'
import { castBallot } from '../../../server/data/ballots.js'
import { verifyChain } from '../../../server/domain/security/audit-chain.js'
import { ballotsDigest } from '../../../server/domain/pabulib/export.js'
import { votingEndsAt } from '../../../server/domain/rounds/voting-period.js'
import { generateReceipt, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG, testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId, byTitle, nextCode, signedIn } = await demoRound(t, {
  phase: 'voting',
  codes: 12,
  officials: ['admin'],
})
const SLUG = round.slug
const cafe = byTitle('Energiecafé')
const plain = (html: string) => html.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ')

async function resident(code = nextCode()) {
  const v = new Visitor(app)
  await v.get(`/rounds/${SLUG}/vote`)
  await v.post(`/rounds/${SLUG}/vote`, { code })
  await v.get(`/rounds/${SLUG}/vote/ballot`)
  return v
}

const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
const setVotingUntil = (day: string | null) => db.update(rounds).set({ votingUntil: day }).where(eq(rounds.id, roundId))
const phaseOf = async (id = roundId) =>
  (await db.select({ phase: rounds.phase }).from(rounds).where(eq(rounds.id, id)))[0]!.phase
const entries = (action: string, id = roundId) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.object, `round:${id}`)))

t.test('the voting pages show until when and how long a resident can still vote', async (t) => {
  await setVotingUntil(dayOffset(3))
  const v = new Visitor(app)
  const codePage = plain((await v.get(`/rounds/${SLUG}/vote`)).body)
  t.match(
    codePage,
    /Stemmen kan tot en met \d+ \w+ \d{4}, 24:00 uur\. U heeft nog [23] dagen, \d+ uur en \d+ min\./,
    'the days as a real plural',
  )
  const ballotPage = plain((await (await resident()).get(`/rounds/${SLUG}/vote/ballot`)).body)
  t.match(ballotPage, /U heeft nog [23] dagen/)
})

t.test(
  'after the planned end the ballot statement refuses a ballot by itself, before any closer has run',
  async (t) => {
    const v = await resident()
    const code = nextCode()
    await setVotingUntil(dayOffset(-1))
    t.equal(await phaseOf(), 'voting', 'the round still says voting')
    const before = (await db.select().from(ballots)).length
    const late = await v.post(`/rounds/${SLUG}/vote/ballot`, { projects: [String(cafe.id)], intent: 'submit' })
    t.equal(late.statusCode, 409)
    t.match(plain(late.body), 'Het stemmen is gesloten.')
    const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
    const direct = await castBallot(db, {
      roundId,
      codeId: found!.id,
      channel: 'paper',
      projectIds: [cafe.id],
      receipt: generateReceipt(randomInt),
    })
    t.equal(direct, null, 'a paper ballot is refused by the same statement')
    t.equal((await db.select().from(ballots)).length, before, 'nothing stored')
    t.equal((await new Visitor(app).get(`/rounds/${SLUG}/vote`)).statusCode, 409, 'the code page says voting is closed')
  },
)

t.test('the SQL planned end and the domain planned end are the same instant', async (t) => {
  for (const day of ['2026-03-28', '2026-03-29', '2026-10-24', '2026-10-25', '2026-12-31']) {
    await setVotingUntil(day)
    const [row] = await db.select({ at: plannedEnd }).from(rounds).where(eq(rounds.id, roundId))
    t.equal(new Date(row!.at).toISOString(), votingEndsAt(day)!.toISOString(), day)
  }
})

t.test(
  'the closer closes a round at its planned end once, sealing its ballots, when several instances run it at once',
  async (t) => {
    const v = await resident()
    await setVotingUntil(dayOffset(3))
    t.equal(
      (await v.post(`/rounds/${SLUG}/vote/ballot`, { projects: [String(cafe.id)], intent: 'submit' })).statusCode,
      303,
    )
    await setVotingUntil(dayOffset(-1))
    const results = await Promise.all([
      closeDueRounds(db, new Date()),
      closeDueRounds(db, new Date()),
      closeDueRounds(db, new Date()),
    ])
    t.same(results.flat(), [roundId], 'one of the runs closed it')
    t.equal(await phaseOf(), 'closed')
    const closes = (await entries('round.advance')).filter((e) => e.details['to'] === 'closed')
    t.equal(closes.length, 1, 'one close in the audit log')
    t.match(closes[0], {
      actor: 'system',
      officialId: null,
      details: { from: 'voting', to: 'closed', automatic: true },
    })
    const seals = await entries('ballots.seal')
    t.equal(seals.length, 1, 'one seal')
    t.same(seals[0]!.details, { ballotsSha256: ballotsDigest(await countedBallots(db, roundId)), ballots: 1 })
    t.ok(verifyChain(await listAudit(db)).ok)
    t.same(await closeDueRounds(db, new Date()), [], 'a later run finds nothing to do')
  },
)

t.test('an instance closes due rounds when it starts, without any request', async (t) => {
  const [other] = await db
    .insert(rounds)
    .values({
      slug: 'due',
      title: 'Due',
      neighbourhood: 'Noord',
      budgetCents: 1_000_00,
      phase: 'voting',
      votingUntil: dayOffset(-2),
    })
    .returning()
  const { app: second } = await testApp(t, { db })
  await second.ready()
  t.equal(await phaseOf(other!.id), 'closed')
})

t.test("an admin's close records the ballots' fingerprint in the audit log", async (t) => {
  const [other] = await db
    .insert(rounds)
    .values({
      slug: 'handmatig',
      title: 'Handmatig',
      neighbourhood: 'Zuid',
      budgetCents: 1_000_00,
      phase: 'reviewing',
    })
    .returning()
  await setPhase(db, other!.id, 'voting')
  const admin = await signedIn('admin')
  await admin.get(`/official/rounds/${other!.id}/advance`)
  const res = await admin.post(`/official/rounds/${other!.id}/advance`, { from: 'voting' })
  t.equal(res.statusCode, 303)
  t.equal(await phaseOf(other!.id), 'closed')
  const seals = await entries('ballots.seal', other!.id)
  t.equal(seals.length, 1)
  t.same(seals[0]!.details, { ballotsSha256: ballotsDigest([]), ballots: 0 })
})
