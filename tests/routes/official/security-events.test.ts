import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog } from '../../../db/schema.js'
import { listAudit } from '../../../server/data/audit.js'
import { verifyChain } from '../../../server/domain/security/audit-chain.js'
import { SECURITY_LIMITS } from '../../../server/domain/security/events.js'
import { Visitor } from '../../helpers/client.js'
import { appWithInbox } from '../../helpers/smtp.js'
import { createOfficials, signedIn, signIn } from '../../helpers/officials.js'
import { msg } from '../../helpers/html.js'

const { app, db, inbox } = await appWithInbox(t)
const { admin, moderator } = await createOfficials(db, ['admin', 'moderator', 'council'])
const eventsOf = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action))

t.test('a 403 on an official route is recorded with actor, object, origin and time', async (t) => {
  const council = await signedIn(app, 'council')
  const res = await council.get('/official/rounds/new')
  t.equal(res.statusCode, 403)
  const stranger = new Visitor(app, '10.86.9.9')
  t.equal((await stranger.post('/official/proposals/1/approve', {})).statusCode, 403)
  const events = await eventsOf('security.forbidden')
  t.equal(events.length, 2)
  t.match(events[0], {
    actor: 'council@example.test',
    object: 'path:GET /official/rounds/new',
    details: { origin: council.ip },
  })
  t.ok(events[0]!.at instanceof Date)
  t.match(events[1], {
    actor: 'anonymous',
    officialId: null,
    object: 'path:POST /official/proposals/1/approve',
    details: { origin: '10.86.9.9' },
  })
})

t.test('a flood of 403s from one address is recorded only at its start', async (t) => {
  const before = (await eventsOf('security.forbidden')).length
  const stranger = new Visitor(app, '10.86.8.8')
  for (let i = 0; i < 30; i++) await stranger.post('/official/rounds/1/publish', {})
  t.equal((await eventsOf('security.forbidden')).length - before, SECURITY_LIMITS.forbiddenPerAddress)
})

t.test('a lockout is a security event with its origin', async (t) => {
  const v = new Visitor(app, '10.86.7.1')
  for (let i = 0; i < 5; i++) await signIn(v, 'moderator@example.test', { password: 'wrong password' })
  const [locked] = await eventsOf('login.failed.locked')
  t.match(locked, {
    actor: 'moderator@example.test',
    object: `official:${moderator.id}`,
    details: { origin: '10.86.7.1' },
  })
})

t.test('a burst of failed logins is recorded and mailed to admins', async (t) => {
  inbox.length = 0
  const failures = (await db.select().from(auditLog)).filter((e) => e.action.startsWith('login.failed')).length
  for (let i = failures; i < SECURITY_LIMITS.loginBurst; i++) {
    await signIn(new Visitor(app, `10.86.6.${i + 1}`), `nobody${i}@example.test`, { password: 'guess' })
  }
  const [burst] = await eventsOf('security.login-burst')
  t.ok(burst, 'the burst is in the audit log')
  t.match(burst, { object: 'login', details: { failures: SECURITY_LIMITS.loginBurst } })
  for (let i = 0; i < 50 && inbox.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(inbox.length, 1, 'one mail')
  t.same(inbox[0]!.to, [admin.email], 'to the officials who may see the security page')
  t.match(inbox[0]!.raw, 'Veel mislukte inlogpogingen')
  t.match(inbox[0]!.raw, '/official/security')
})

t.test('only officials allowed by the permission table see the security page; it is never cached', async (t) => {
  const council = await signedIn(app, 'council')
  t.equal((await council.get('/official/security')).statusCode, 403)
  const adminVisitor = await signedIn(app, 'admin')
  const page = await adminVisitor.get('/official/security')
  t.equal(page.statusCode, 200)
  t.equal(page.headers['cache-control'], 'no-store')
  t.match(page.body, msg('security.action.login.failed.locked'))
  t.match(page.body, msg('security.action.security.forbidden'))
  t.match(page.body, '10.86.7.1')
  t.ok(verifyChain(await listAudit(db)).ok, 'the events are part of the intact chain')
  const dashboard = await adminVisitor.get('/official')
  t.match(dashboard.body, 'href="/official/security"')
  t.notMatch((await council.get('/official')).body, 'href="/official/security"')
})

t.test('login still works for the right password after all this', async (t) => {
  const v = new Visitor(app, '10.86.5.1')
  t.equal((await signIn(v, 'admin@example.test')).statusCode, 303)
})
