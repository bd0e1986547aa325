import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, outbox } from '../../../db/schema.js'
import { SECURITY_LIMITS } from '../../../server/domain/security/events.js'
import { Visitor } from '../../helpers/client.js'
import { createOfficials, signIn } from '../../helpers/officials.js'
import { appWithInbox } from '../../helpers/smtp.js'

// The interval is an hour: the passes below are the one a request nudged and the test's own.
const { app, db, smtp } = await appWithInbox(t, { config: { mailPollMs: 60 * 60 * 1000 } })
const { admin } = await createOfficials(db, ['admin'])

t.test('a hung mail server holds no login: the alert waits in the outbox and goes out once it answers', async (t) => {
  // The server takes each mail and never answers: the transport waits until its own timeout.
  smtp.onMail = () => new Promise<void>(() => {})
  const slowest = { ms: 0 }
  for (let i = 0; i < SECURITY_LIMITS.loginBurst; i++) {
    const started = Date.now()
    const res = await signIn(new Visitor(app, `10.87.1.${i + 1}`), `nobody${i}@example.test`, { password: 'guess' })
    slowest.ms = Math.max(slowest.ms, Date.now() - started)
    t.not(res.statusCode, 303, `failed login ${i + 1} is refused`)
  }
  // A login waiting for the mail would take the transport's 15 s timeout; a password check takes well under a second.
  t.ok(slowest.ms < 5000, `every failed login answered promptly (slowest ${slowest.ms} ms)`)
  t.equal((await db.select().from(auditLog).where(eq(auditLog.action, 'security.login-burst'))).length, 1)
  const [waiting] = await db.select().from(outbox).where(eq(outbox.purpose, 'security'))
  t.equal(waiting?.toAddress, admin.email, 'the alert is in the outbox')
  t.equal(waiting?.sentAt, null, 'not sent while the server hangs')

  // The hung try ends at the transport's timeout and is marked for a retry; then the server answers again.
  await app.deliverMail()
  smtp.onMail = undefined
  await db.update(outbox).set({ nextAttemptAt: new Date() }).where(eq(outbox.purpose, 'security'))
  t.same(await app.deliverMail(), { sent: 1, failed: 0 }, 'the retry delivers it')
  const [sent] = await db.select().from(outbox).where(eq(outbox.purpose, 'security'))
  t.ok(sent?.sentAt, 'marked sent')
  t.equal(sent?.attempts, 1, 'after one failed try')
})
