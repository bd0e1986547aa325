import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, officials, sessions } from '../../../db/schema.js'
import { listAudit } from '../../../server/data/audit.js'
import { verifyChain } from '../../../server/domain/security/audit-chain.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { createOfficial, PASSWORD, signIn } from '../../helpers/officials.js'

const { app, db } = await testApp(t)
await createOfficial(db, 'admin')
const council = await createOfficial(db, 'council')
const FAILED = msg('login.failed')
const loginError = (res: { body: string }) => html(res).alert

/** Each test comes from its own address, so the login rate limit of one does not spill into another. */

async function auditActions(): Promise<string[]> {
  return (await listAudit(db)).map((e) => e.action)
}

t.test('an official logs in, gets a new session id stored in the database, and sees the dashboard', async (t) => {
  const v = new Visitor(app)
  await v.get('/login')
  const res = await v.post('/login', { email: 'ADMIN@example.test', password: PASSWORD })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/official')
  const sid = v.cookie('sid')
  t.ok(sid, 'a session cookie is set')
  const setCookie = String(res.headers['set-cookie'])
  t.match(setCookie, /sid=[^;]+;.*HttpOnly/i)
  t.match(setCookie, /SameSite=Lax/i)
  const stored = await db.select().from(sessions)
  t.ok(
    stored.some((s) => sid!.startsWith(`${s.sid}.`)),
    'the session lives in PostgreSQL',
  )
  const dashboard = await v.get('/official')
  t.equal(dashboard.statusCode, 200)
  const page = html(dashboard)
  t.match(page.text('main p'), msg('dashboard.welcome', { name: 'Test admin' }))
  t.ok(page.has('form[action="/logout"]'), 'a way to log out')
  t.ok((await auditActions()).includes('login'))
})

t.test('the session id changes at login, and the old one stops working', async (t) => {
  const v = new Visitor(app)
  await signIn(v, 'council@example.test')
  const before = v.cookie('sid')
  t.ok(before)
  await v.get('/login')
  await v.post('/login', { email: 'admin@example.test', password: PASSWORD })
  t.ok(v.cookie('sid'))
  t.not(v.cookie('sid'), before)
  const old = await app.inject({ url: '/official', headers: { cookie: `sid=${before}` } })
  t.equal(old.statusCode, 303)
})

t.test('a wrong e-mail and a wrong password get the same message and are audited', async (t) => {
  const v = new Visitor(app)
  await v.get('/login')
  const unknown = await v.post('/login', { email: 'nobody@example.test', password: PASSWORD })
  const wrong = await v.post('/login', { email: 'council@example.test', password: 'wrong password' })
  t.equal(unknown.statusCode, 401)
  t.equal(wrong.statusCode, 401)
  t.equal(loginError(unknown), FAILED)
  t.equal(loginError(wrong), FAILED)
  t.equal(html(wrong).field('email').value, 'council@example.test', 'the e-mail is kept in the form')
  t.notMatch(wrong.body, 'wrong password', 'the password is never echoed')
  const failures = (await listAudit(db)).filter((e) => e.action === 'login.failed')
  t.ok(failures.some((e) => e.object === 'official:unknown'))
  t.ok(failures.some((e) => e.object === `official:${council.id}`))
  const [row] = await db.select().from(officials).where(eq(officials.id, council.id))
  t.equal(row!.failedAttempts, 1)
})

t.test('five failed attempts make the account wait, even for the right password', async (t) => {
  const locked = await createOfficial(db, 'moderator', 'locked@example.test')
  const v = new Visitor(app)
  await v.get('/login')
  for (let i = 0; i < 5; i++) await v.post('/login', { email: 'locked@example.test', password: `guess ${i}` })
  const [row] = await db.select().from(officials).where(eq(officials.id, locked.id))
  t.ok(row!.lockedUntil && row!.lockedUntil.getTime() > Date.now(), 'the account waits')
  const res = await v.post('/login', { email: 'locked@example.test', password: PASSWORD })
  t.equal(res.statusCode, 401)
  t.equal(loginError(res), FAILED, 'the same message: the lock is not revealed')
  t.notOk(v.cookie('sid') && (await v.get('/official')).statusCode === 200, 'not logged in')
  t.ok((await auditActions()).includes('login.failed.locked'))
})

t.test('a login without CSRF token is refused with 403 and records nothing', async (t) => {
  const v = new Visitor(app)
  const before = (await listAudit(db)).length
  const noSecret = await v.post('/login', { email: 'admin@example.test', password: PASSWORD, _csrf: null })
  t.equal(noSecret.statusCode, 403)
  t.equal(html(noSecret).text('h1'), msg('errors.csrf'))
  await v.get('/login')
  const badToken = await v.post('/login', { email: 'admin@example.test', password: PASSWORD, _csrf: 'forged' })
  t.equal(badToken.statusCode, 403)
  t.equal((await listAudit(db)).length, before)
  t.notOk(v.cookie('sid'))
})

t.test('over-long, missing and wrongly typed fields get a clear 4xx message, never a 500', async (t) => {
  const v = new Visitor(app)
  await v.get('/login')
  const cases: [string, Record<string, string | string[]>, string, string][] = [
    ['over-long e-mail', { email: `${'a'.repeat(300)}@example.test`, password: PASSWORD }, 'email', 'form.tooLong'],
    ['over-long password', { email: 'admin@example.test', password: 'p'.repeat(5000) }, 'password', 'form.tooLong'],
    ['empty e-mail', { email: '', password: PASSWORD }, 'email', 'form.required'],
    ['missing password', { email: 'admin@example.test' }, 'password', 'form.required'],
    [
      'e-mail given twice',
      { email: ['a@example.test', 'b@example.test'], password: PASSWORD },
      'email',
      'form.invalid',
    ],
  ]
  for (const [name, form, field, key] of cases) {
    const res = await v.post('/login', form)
    t.equal(res.statusCode, 422, name)
    const shown = html(res).field(field)
    t.equal(shown.error, msg(key), name)
    t.ok(shown.invalid, `${name}: the field is marked`)
  }
  const huge = await v.post('/login', { email: 'admin@example.test', password: 'p'.repeat(200_000) })
  t.equal(huge.statusCode, 413)
  t.equal(html(huge).text('h1'), msg('errors.tooLarge'))
  const json = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/json', cookie: v.cookieHeader },
    payload: '{"email":1}',
  })
  t.equal(json.statusCode, 415, 'a JSON body is refused before it is read')
})

t.test('login redirects back to where the official was going, but only on this site', async (t) => {
  const v = new Visitor(app)
  const guarded = await v.get('/official')
  t.equal(guarded.statusCode, 303)
  t.equal(guarded.headers.location, '/login?next=%2Fofficial')
  const form = html(await v.get('/login?next=%2Fofficial'))
  t.equal(form.fields(form.form('/login')).next, '/official')
  const res = await v.post('/login', { email: 'admin@example.test', password: PASSWORD, next: 'https://evil.example/' })
  t.equal(res.headers.location, '/official')
})

t.test('a council member can read the dashboard; logging out ends the session everywhere', async (t) => {
  const v = new Visitor(app)
  await signIn(v, 'council@example.test')
  const dashboard = await v.get('/official')
  t.equal(dashboard.statusCode, 200)
  t.equal(html(dashboard).text('main .badge'), msg('role.council'))
  const sidCookie = v.cookie('sid')!
  const res = await v.post('/logout', {})
  t.equal(res.statusCode, 303)
  const replay = await app.inject({ url: '/official', headers: { cookie: `sid=${sidCookie}` } })
  t.equal(replay.statusCode, 303, 'the old session cookie no longer works')
  t.ok((await auditActions()).includes('logout'))
})

t.test('two app instances on one database share sessions', async (t) => {
  const { app: second } = await testApp(t, { db })
  const v = new Visitor(app)
  await signIn(v, 'admin@example.test')
  const res = await second.inject({ url: '/official', headers: { cookie: v.cookieHeader } })
  t.equal(res.statusCode, 200)
  t.match(html(res).text('main p'), msg('dashboard.welcome', { name: 'Test admin' }))
})

t.test('login is rate-limited per address', async (t) => {
  const v = new Visitor(app)
  await v.get('/login')
  const statuses: number[] = []
  for (let i = 0; i < 21; i++)
    statuses.push((await v.post('/login', { email: 'nobody@example.test', password: 'x' })).statusCode)
  t.equal(statuses.filter((s) => s === 401).length, 20)
  const last = await v.post('/login', { email: 'admin@example.test', password: PASSWORD })
  t.equal(last.statusCode, 429)
  t.equal(html(last).text('h1'), msg('errors.tooMany'))
  t.ok(last.headers['retry-after'])
})

t.test('every login, logout and failure is in a verified hash chain that refuses edits', async (t) => {
  const v = new Visitor(app)
  await signIn(v, 'admin@example.test', { password: 'wrong password' })
  await signIn(v, 'admin@example.test')
  await v.post('/logout', {})
  const entries = await listAudit(db)
  t.ok(entries.length >= 3)
  t.match(
    entries.slice(-3).map((e) => e.action),
    ['login.failed', 'login', 'logout'],
  )
  t.same(verifyChain(entries), { ok: true, count: entries.length })
  await t.rejects(db.update(auditLog).set({ actor: 'someone else' }), 'the database refuses updates')
  await t.rejects(db.delete(auditLog), 'and deletes')
})
