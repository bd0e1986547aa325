import { Writable } from 'node:stream'
import t from 'tap'
import { and, asc, isNotNull, isNull, sql } from 'drizzle-orm'
import { openServer, type Db } from '../../db/client.js'
import { outbox, proposals } from '../../db/schema.js'
import { seedDemo } from '../../server/data/demo.js'
import { enqueueMail, type OutgoingMail } from '../../server/data/outbox.js'
import { MAX_ATTEMPTS } from '../../server/domain/mail/outbox.js'
import { testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { html, msg } from '../helpers/html.js'
import { createOfficials, signedIn } from '../helpers/officials.js'
import { appWithInbox, type Mail } from '../helpers/smtp.js'

const lines: string[] = []
const log = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk))
    done()
  },
})
// The interval is an hour: every pass below is the test's own, or the one a request nudged.
const HOUR = 60 * 60 * 1000
const { app, db, inbox, smtp } = await appWithInbox(t, {
  log: { level: 'info', to: log },
  config: { mailPollMs: HOUR },
})

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
await seedDemo(db)
await createOfficials(db, ['admin'])

let serial = 0
const mail = (extra: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to: `resident${++serial}@example.test`,
  subject: `Bericht ${serial}`,
  text: `Beste bewoner, dit is bericht ${serial}.`,
  purpose: 'test',
  ...extra,
})
const subjects = (mails: Mail[]) => mails.map((m) => /^Subject: (.*)$/m.exec(m.raw)![1]!)
const waiting = () =>
  db
    .select()
    .from(outbox)
    .where(and(isNull(outbox.sentAt), isNull(outbox.failedAt)))
    .orderBy(asc(outbox.id))
/** Seconds from the database's now until each waiting mail's next try. */
const waits = async () =>
  (
    await db
      .select({ s: sql<number>`extract(epoch from ${outbox.nextAttemptAt} - now())::float` })
      .from(outbox)
      .where(and(isNull(outbox.sentAt), isNull(outbox.failedAt)))
      .orderBy(asc(outbox.id))
  ).map((r) => Number(r.s))
/** Time passes: every waiting mail is due. */
const timePasses = () =>
  db
    .update(outbox)
    .set({ nextAttemptAt: sql`now()` })
    .where(isNull(outbox.sentAt))
const clear = async () => {
  await db.delete(outbox)
  inbox.length = 0
}

t.test('a mail committed with its change is sent once, with its List-Unsubscribe header', async (t) => {
  await clear()
  const unsubscribe = '<http://localhost:3000/follow/abc/stop>'
  await db.transaction((tx) =>
    enqueueMail(
      tx,
      mail({ headers: { 'List-Unsubscribe': unsubscribe, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }),
    ),
  )
  t.same(await app.deliverMail(), { sent: 1, failed: 0 })
  t.equal(inbox.length, 1)
  t.same(inbox[0]!.to, [`resident${serial}@example.test`])
  t.match(inbox[0]!.raw, `List-Unsubscribe: ${unsubscribe}`)
  t.match(inbox[0]!.raw, 'List-Unsubscribe-Post: List-Unsubscribe=One-Click')
  t.same(await app.deliverMail(), { sent: 0, failed: 0 }, 'a second pass sends nothing again')
  t.equal(inbox.length, 1)
  const [row] = await db.select().from(outbox)
  t.ok(row!.sentAt, 'marked sent')
  t.equal(row!.claimedUntil, null)
})

t.test('a mail put in the outbox by a change that rolls back is never sent', async (t) => {
  await clear()
  await db
    .transaction(async (tx) => {
      await enqueueMail(tx, mail())
      tx.rollback()
    })
    .catch(() => {})
  t.same(await app.deliverMail(), { sent: 0, failed: 0 })
  t.equal(inbox.length, 0)
  t.equal((await db.select().from(outbox)).length, 0)
})

t.test(
  'the mail server stops mid-way through a batch: nothing is lost, each mail arrives once when it is back',
  async (t) => {
    await clear()
    await enqueueMail(db, ...Array.from({ length: 7 }, () => mail()))
    const all = (await waiting()).map((m) => m.subject)
    smtp.onMail = () => {
      if (inbox.length === 2) void smtp.stop()
    }
    const first = await app.deliverMail()
    smtp.onMail = undefined
    t.same(first, { sent: 2, failed: 3 }, 'two sent; the failure is the server’s, so the rest of the batch waits too')
    t.same(subjects(inbox), all.slice(0, 2))
    const left = await waiting()
    t.equal(left.length, 5, 'nothing lost')
    t.same(
      left.map((m) => m.attempts),
      [1, 1, 1, 0, 0],
      'the batch counted a try; the mails after it were not claimed',
    )
    t.ok(
      left.slice(0, 3).every((m) => m.lastError === 'ESOCKET' || m.lastError === 'ECONNECTION'),
      'a code, no address',
    )
    const backedOff = (await waits()).slice(0, 3)
    t.ok(
      backedOff.every((s) => s > 25 && s <= 30),
      `tried again in half a minute: ${backedOff.join(', ')}`,
    )

    await smtp.start()
    await app.deliverMail()
    t.same(
      subjects(inbox),
      all.slice(0, 2).concat(all.slice(5)),
      'the two not yet tried go out; the others wait their turn',
    )
    await timePasses()
    t.same(await app.deliverMail(), { sent: 3, failed: 0 })
    t.same(subjects(inbox).sort(), [...all].sort(), 'every mail arrived, each once')
    t.equal((await waiting()).length, 0)
  },
)

t.test('a mail server that answers "try later" makes the mail wait longer each time, until it is taken', async (t) => {
  await clear()
  smtp.refuse(451)
  await enqueueMail(db, mail())
  t.same(await app.deliverMail(), { sent: 0, failed: 1 })
  let [row] = await waiting()
  t.match(row, { attempts: 1, lastError: 'EENVELOPE 451' })
  const [firstWait] = await waits()
  await timePasses()
  await app.deliverMail()
  ;[row] = await waiting()
  t.equal(row!.attempts, 2)
  const [secondWait] = await waits()
  t.ok(firstWait! > 25 && firstWait! <= 30, `first wait ${firstWait}`)
  t.ok(secondWait! > 55 && secondWait! <= 60, `second wait ${secondWait}`)

  smtp.refuse(null)
  await timePasses()
  t.same(await app.deliverMail(), { sent: 1, failed: 0 })
  t.equal(inbox.length, 1)
})

t.test(
  'a mail refused for good, or tried too often, is given up; admins see counts and codes, no address',
  async (t) => {
    await clear()
    smtp.refuse(451)
    await enqueueMail(db, mail())
    await db.update(outbox).set({ attempts: MAX_ATTEMPTS - 1 })
    t.same(await app.deliverMail(), { sent: 0, failed: 1 })
    smtp.refuse(550)
    await enqueueMail(db, mail(), mail())
    const refused = `resident${serial}@example.test`
    t.same(await app.deliverMail(), { sent: 0, failed: 2 }, 'a refusal of one mail does not stop the others')
    smtp.refuse(null)
    const given = await db.select().from(outbox).where(isNotNull(outbox.failedAt)).orderBy(asc(outbox.id))
    t.same(
      given.map((m) => [m.attempts, m.lastError]),
      [
        [MAX_ATTEMPTS, 'EENVELOPE 451'],
        [1, 'EENVELOPE 550'],
        [1, 'EENVELOPE 550'],
      ],
    )
    await enqueueMail(db, mail())
    await db
      .update(outbox)
      .set({ nextAttemptAt: sql`now() + interval '1 hour'` })
      .where(isNull(outbox.failedAt))
    t.same(await app.deliverMail(), { sent: 0, failed: 0 }, 'given up is given up')
    t.equal(inbox.length, 0)

    const admin = await signedIn(app, 'admin')
    const page = html(await admin.get('/official/security'))
    t.same(page.facts('#outbox-health'), {
      [msg('security.outbox.waiting')]: '1',
      [msg('security.outbox.retrying')]: '0',
      [msg('security.outbox.failed')]: '3',
      [msg('security.outbox.oldest')]: page.facts('#outbox-health')[msg('security.outbox.oldest')]!,
    })
    t.same(page.rows('#outbox-errors'), [
      ['EENVELOPE 451', '1'],
      ['EENVELOPE 550', '2'],
    ])
    t.notOk(page.has('.alert--error'), 'mail is configured')
    t.notMatch(page.text(), refused)
    t.notMatch(page.text(), '@example.test>', 'no address of a resident')
  },
)

t.test('two instances delivering at once send each mail exactly once', async (t) => {
  await clear()
  const { app: other } = await testApp(t, { db: await otherPool(), config: { smtp: smtp.config, mailPollMs: HOUR } })
  await enqueueMail(db, ...Array.from({ length: 23 }, () => mail()))
  const all = (await waiting()).map((m) => m.subject)
  const [a, b] = await Promise.all([app.deliverMail(), other.deliverMail()])
  t.equal(a.sent + b.sent, 23)
  t.equal(a.failed + b.failed, 0)
  t.same(subjects(inbox).sort(), [...all].sort(), 'each mail once')
})

t.test('without a mail server, mail waits in the outbox and goes out once one is configured', async (t) => {
  await clear()
  const { app: bare } = await testApp(t, { db, config: { mailPollMs: HOUR } })
  await enqueueMail(db, mail())
  t.same(await bare.deliverMail(), { sent: 0, failed: 0 })
  t.equal((await waiting()).length, 1)
  const admin = await signedIn(bare, 'admin')
  t.equal(html(await admin.get('/official/security')).text('.alert--error'), msg('security.outbox.noSmtp'))
  t.same(await app.deliverMail(), { sent: 1, failed: 0 }, 'an instance with SMTP sends it')
  t.equal(inbox.length, 1)
})

t.test(
  'a mail a request put in the outbox leaves right after the answer, without waiting for the interval',
  async (t) => {
    await clear()
    const [proposal] = await db.select().from(proposals).where(isNotNull(proposals.contactEmail)).limit(1)
    const v = new Visitor(app)
    const statusPath = `/status/${proposal!.statusToken}`
    await v.get(statusPath)
    const res = await v.post(`${statusPath}/mail`, {})
    t.equal(res.headers.location, `${statusPath}?mailed=queued`)
    for (let i = 0; i < 50 && inbox.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50))
    t.same(
      inbox.map((m) => m.to),
      [[proposal!.contactEmail]],
    )
  },
)

t.test('closing an instance waits for the pass it is sending', async (t) => {
  await clear()
  const { app: closing } = await testApp(t, { db, config: { smtp: smtp.config, mailPollMs: HOUR } })
  await enqueueMail(db, mail())
  smtp.onMail = () => new Promise((resolve) => setTimeout(resolve, 300))
  const pass = closing.deliverMail()
  await new Promise((resolve) => setTimeout(resolve, 50))
  await closing.close()
  smtp.onMail = undefined
  t.equal((await waiting()).length, 0, 'marked sent before the instance closed')
  t.same(await pass, { sent: 1, failed: 0 })
})

t.test('sent mails are deleted after a week and given-up ones after a month: they hold addresses', async (t) => {
  await clear()
  await enqueueMail(db, mail(), mail(), mail(), mail(), mail())
  const ids = (await waiting()).map((m) => m.id)
  const at = (days: number) => sql`now() - ${days} * interval '1 day'`
  await db.execute(sql`update outbox set sent_at = ${at(8)} where id = ${ids[0]}`)
  await db.execute(sql`update outbox set sent_at = ${at(6)} where id = ${ids[1]}`)
  await db.execute(sql`update outbox set failed_at = ${at(31)} where id = ${ids[2]}`)
  await db.execute(sql`update outbox set failed_at = ${at(29)} where id = ${ids[3]}`)
  await db.execute(sql`update outbox set next_attempt_at = now() + interval '1 hour' where id = ${ids[4]}`)
  // A fresh instance cleans up on its first pass.
  const { app: fresh } = await testApp(t, { db, config: { smtp: smtp.config, mailPollMs: HOUR } })
  await fresh.deliverMail()
  const left = (await db.select({ id: outbox.id }).from(outbox).orderBy(asc(outbox.id))).map((r) => r.id)
  t.same(left, [ids[1], ids[3], ids[4]])
})

t.test('no address reaches the log, whatever the mail server answered', async (t) => {
  const logged = lines.join('')
  t.match(logged, 'mail not sent; it will be tried again')
  t.match(logged, 'mail given up')
  t.notMatch(logged, /resident\d+@example\.test/)
  t.notMatch(logged, '@example.test')
})
