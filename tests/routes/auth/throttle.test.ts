import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, officials, outbox } from '../../../db/schema.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { createOfficial, PASSWORD, signedIn, signIn } from '../../helpers/officials.js'
import { codeNow, enrol } from '../../helpers/second-factor.js'

const { app, db } = await testApp(t)
await createOfficial(db, 'admin')
const row = async (id: number) => (await db.select().from(officials).where(eq(officials.id, id)))[0]!
const actions = async (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action))
const secondsLeft = (until: Date | null) => Math.round(((until?.getTime() ?? 0) - Date.now()) / 1000)

async function failFiveTimes(email: string) {
  const attacker = new Visitor(app)
  await attacker.get('/login')
  for (let i = 0; i < 5; i++) await attacker.post('/login', { email, password: `guess ${i}` })
  return attacker
}

t.test('after five wrong passwords the account waits, and the wait doubles with each further failure', async (t) => {
  const me = await createOfficial(db, 'moderator', 'doubles@example.test')
  const attacker = await failFiveTimes('doubles@example.test')
  t.equal((await row(me.id)).failedAttempts, 5)
  t.equal(secondsLeft((await row(me.id)).lockedUntil), 30)
  const refused = await attacker.post('/login', { email: 'doubles@example.test', password: PASSWORD })
  t.equal(refused.statusCode, 401, 'the right password from an unknown browser waits too')
  t.equal(html(refused).alert, msg('login.failed'), 'the same words as any failure')
  t.equal((await row(me.id)).failedAttempts, 5, 'an attempt while waiting is not counted')
  t.equal((await actions('login.failed.locked')).length, 1, 'the start of the wait is a security event')

  // The wait is over: one more failure waits twice as long.
  await db
    .update(officials)
    .set({ lockedUntil: new Date(Date.now() - 1000) })
    .where(eq(officials.id, me.id))
  await attacker.post('/login', { email: 'doubles@example.test', password: 'guess again' })
  t.equal(secondsLeft((await row(me.id)).lockedUntil), 60)
})

t.test('the owner signs in from a browser they signed in on before, whoever keeps the account waiting', async (t) => {
  const me = await createOfficial(db, 'moderator', 'owner@example.test')
  const { secret } = await enrol(db, me.id)
  const owner = await signedIn(app, 'owner@example.test', { code: codeNow(secret) })
  t.ok(owner.cookie('device'), 'a complete sign-in marks the browser as known')
  await owner.post('/logout', {})

  await failFiveTimes('owner@example.test')
  const stranger = new Visitor(app)
  t.equal((await signIn(stranger, 'owner@example.test')).statusCode, 401, 'another browser waits')

  const again = await signIn(owner, 'owner@example.test', { code: codeNow(secret, 1) })
  t.equal(again.headers.location, '/official', 'password and code get through from the known browser')
  t.equal((await owner.get('/official')).statusCode, 200)
  t.equal((await row(me.id)).failedAttempts, 0, 'a complete sign-in forgets the failures')
})

t.test('a forged or someone else’s device cookie makes no browser known', async (t) => {
  const me = await createOfficial(db, 'moderator', 'forged@example.test')
  await failFiveTimes('forged@example.test')
  const other = await signedIn(app, 'admin')
  const borrowed = new Visitor(app)
  await borrowed.get('/login')
  const forged = await borrowed.post(
    '/login',
    { email: 'forged@example.test', password: PASSWORD },
    { cookie: `${borrowed.cookieHeader}; device=${me.id}.${Date.now()}` },
  )
  t.equal(forged.statusCode, 401, 'an unsigned cookie')
  const cookie = `${borrowed.cookieHeader}; device=${other.cookie('device')}`
  const someoneElses = await borrowed.post('/login', { email: 'forged@example.test', password: PASSWORD }, { cookie })
  t.equal(someoneElses.statusCode, 401, 'the admin’s browser is not the moderator’s')
})

t.test('one address trying many accounts waits, whatever account it names next', async (t) => {
  await createOfficial(db, 'moderator', 'target@example.test')
  const sprayer = new Visitor(app)
  await sprayer.get('/login')
  for (let i = 0; i < 11; i++) await sprayer.post('/login', { email: `nobody${i}@example.test`, password: 'x' })
  const refused = await sprayer.post('/login', { email: 'target@example.test', password: PASSWORD })
  t.equal(refused.statusCode, 401)
  t.equal((await signIn(new Visitor(app), 'target@example.test')).statusCode, 303, 'another address is not held back')
})

t.test('an admin lifts the wait; the change is in the audit log and the owner signs in', async (t) => {
  const me = await createOfficial(db, 'moderator', 'unlocked@example.test')
  await failFiveTimes('unlocked@example.test')
  const admin = await signedIn(app, 'admin')
  const page = html(await admin.get('/official/accounts'))
  t.ok(page.text('body').includes(msg('accounts.failedSignIns', { count: 5 })), 'the list shows the failures')
  const res = await admin.post(`/official/accounts/${me.id}/unlock`, {})
  t.equal(res.statusCode, 303)
  t.match(await row(me.id), { failedAttempts: 0, lockedUntil: null })
  const [entry] = await actions('official.unlock')
  t.match(entry, { actor: 'admin@example.test', object: `official:${me.id}` })
  t.equal((await signIn(new Visitor(app), 'unlocked@example.test')).statusCode, 303)
  const again = await admin.post(`/official/accounts/${me.id}/unlock`, {})
  t.equal(again.statusCode, 409, 'nothing to lift')
  t.equal((await actions('official.unlock')).length, 1)
})

t.test('a moderator cannot lift a wait', async (t) => {
  const me = await createOfficial(db, 'moderator', 'stays@example.test')
  await failFiveTimes('stays@example.test')
  const moderator = await signedIn(app, 'unlocked@example.test')
  t.equal((await moderator.post(`/official/accounts/${me.id}/unlock`, {})).statusCode, 403)
  t.equal((await row(me.id)).failedAttempts, 5)
})

t.test('five wrong codes after the right password are a security event, mailed to admins and the owner', async (t) => {
  const me = await createOfficial(db, 'moderator', 'known@example.test')
  const { secret } = await enrol(db, me.id)
  const thief = new Visitor(app, '10.23.0.1')
  await signIn(thief, 'known@example.test')
  const wrong = String((Number(codeNow(secret)) + 500_000) % 1_000_000).padStart(6, '0')
  for (let i = 0; i < 5; i++) await thief.post('/login/code', { code: wrong })
  const [event] = await actions('security.second-factor-lockout')
  t.match(event, { object: `official:${me.id}`, details: { origin: '10.23.0.1' } })
  const mails = (await db.select().from(outbox).where(eq(outbox.purpose, 'security'))).filter((m) =>
    m.subject.includes(msg('security.action.security.second-factor-lockout')),
  )
  t.same(mails.map((m) => m.toAddress).sort(), ['admin@example.test', 'known@example.test'])
  const right = await thief.post('/login/code', { code: codeNow(secret) })
  t.equal(right.statusCode, 401, 'the right code waits too')
  t.match(right.body, msg('secondFactor.locked'))
})
