import { randomInt } from 'node:crypto'
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { openServer, type Db } from '../../db/client.js'
import { officials, outbox, rounds } from '../../db/schema.js'
import { castBallot } from '../../server/data/ballots.js'
import { seedDemo } from '../../server/data/demo.js'
import { findCode } from '../../server/data/voting-codes.js'
import { generateReceipt, hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { listBallotProjects } from '../../server/data/ballots.js'
import { savePopulations, sendLaggingSummaries } from '../../server/usecases/equity.js'
import { TEST_CONFIG, testApp } from '../helpers/app.js'
import { msg } from '../helpers/html.js'
import { createOfficials } from '../helpers/officials.js'
import { appWithInbox } from '../helpers/smtp.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const HOUR = 60 * 60 * 1000
const { app, db, inbox, smtp } = await appWithInbox(t, { config: { mailPollMs: HOUR } })

/** On the PostgreSQL server another instance has a connection pool of its own, as a second process would. */
async function otherPool(): Promise<Db> {
  if (!process.env.DATABASE_URL) return db
  const url = new URL(process.env.DATABASE_URL)
  const rows: unknown = await db.execute(sql`select current_database() as name`)
  const [current] = rows as { name: string }[]
  url.pathname = `/${current!.name}`
  const pool = await openServer(url.toString(), 3)
  t.teardown(() => pool.close())
  return pool.db
}
// The second instance starts before there is anything to summarise: its start-up run finds nothing.
const other = await testApp(t, { db: await otherPool(), config: { smtp: smtp.config, mailPollMs: HOUR } })

await seedDemo(db)
const people = await createOfficials(db, ['admin', 'moderator', 'coach', 'council'])
const [round] = await db.select().from(rounds)
const roundId = round!.id
await setPhase(db, roundId, 'voting')
await db.update(rounds).set({ votingUntil: '2099-12-31' }).where(eq(rounds.id, roundId))
const [project] = await listBallotProjects(db, roundId)
for (const [group, codes, voted] of [
  ['Bospolder', 40, 20],
  ['Tussendijken', 40, 1],
] as const) {
  for (const code of (await createCodes(db, roundId, codes, group)).slice(0, voted)) {
    const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
    await castBallot(db, {
      roundId,
      codeId: found!.id,
      channel: 'online',
      projectIds: [project!.id],
      receipt: generateReceipt(randomInt),
    })
  }
}
// 20 of 100 against 1 of 100: Tussendijken lags far behind the average of 10.5 %.
await savePopulations(
  db,
  roundId,
  new Map([
    ['Bospolder', 100],
    ['Tussendijken', 100],
  ]),
  { lagPoints: 5, minGroupVoters: 10 },
  people.admin,
)

/** 10:00 in Amsterdam on a day in March 2030. */
const morning = (day: number) => new Date(Date.UTC(2030, 2, day, 9, 0))
/** Every active admin and coach: the seeded ones, the test's own, and the one that made the codes. */
const readers = async () =>
  (await db.select().from(officials))
    .filter((o) => o.active && (o.role === 'admin' || o.role === 'coach'))
    .map((o) => o.email)
    .sort()
const queued = () => db.select().from(outbox).where(eq(outbox.purpose, 'equity-summary'))

t.test('one summary per admin and coach, naming the lagging group, even when two instances run at once', async (t) => {
  const runs = await Promise.all([
    sendLaggingSummaries(db, app, morning(4)),
    sendLaggingSummaries(other.db, other.app, morning(4)),
  ])
  t.same(runs.flat(), [roundId], 'one of the two instances queued it')
  const mails = await queued()
  const expected = await readers()
  t.same(mails.map((m) => m.toAddress).sort(), expected)
  t.ok(expected.includes(people.coach.email) && expected.includes(people.admin.email))
  t.notOk(
    mails.some((m) => m.toAddress === people.moderator.email || m.toAddress === people.council.email),
    'moderators and council members get none',
  )
  for (const mail of mails) {
    t.equal(mail.subject.replace(/[\u2066-\u2069]/g, ''), msg('equity.mail.subject', { title: round!.title }))
    t.match(mail.body, 'Tussendijken')
    t.notMatch(mail.body, 'Bospolder:', 'the group that keeps up is not named')
    t.match(mail.body, `/official/rounds/${roundId}/turnout`)
  }
  t.same(await app.deliverMail(), { sent: expected.length, failed: 0 })
  t.same(inbox.map((m) => m.to[0]).sort(), expected)
})

t.test('a second run the same day sends nothing; the next morning sends again', async (t) => {
  t.same(await sendLaggingSummaries(db, app, morning(4)), [])
  t.same(await sendLaggingSummaries(other.db, other.app, new Date(Date.UTC(2030, 2, 4, 22, 0))), [], 'late evening')
  const n = (await readers()).length
  t.equal((await queued()).length, n)
  t.same(
    await sendLaggingSummaries(db, app, new Date(Date.UTC(2030, 2, 5, 6, 0))),
    [],
    'before eight the day is not due',
  )
  t.same(await sendLaggingSummaries(db, app, morning(5)), [roundId])
  t.equal((await queued()).length, 2 * n)
})

t.test('an inactive official gets none', async (t) => {
  const before = (await queued()).length
  const active = await readers()
  await db.update(officials).set({ active: false }).where(eq(officials.id, people.coach.id))
  t.same(await sendLaggingSummaries(db, app, morning(6)), [roundId])
  const today = (await queued()).slice(before).map((m) => m.toAddress)
  t.same(
    today.sort(),
    active.filter((email) => email !== people.coach.email),
  )
  await db.update(officials).set({ active: true }).where(eq(officials.id, people.coach.id))
})

t.test('no summary when voting is not open', async (t) => {
  const before = (await queued()).length
  await db.update(rounds).set({ votingUntil: '2030-03-06' }).where(eq(rounds.id, roundId))
  t.same(await sendLaggingSummaries(db, app, morning(7)), [], 'past the planned end')
  await db.update(rounds).set({ votingUntil: '2099-12-31' }).where(eq(rounds.id, roundId))
  await setPhase(db, roundId, 'closed')
  t.same(await sendLaggingSummaries(db, app, morning(8)), [], 'closed')
  await setPhase(db, roundId, 'reviewing')
  t.same(await sendLaggingSummaries(db, app, morning(9)), [], 'not yet open')
  t.equal((await queued()).length, before)
})
