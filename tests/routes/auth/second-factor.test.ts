import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, officials, recoveryCodes, sessions } from '../../../db/schema.js'
import { listAudit } from '../../../server/data/audit.js'
import { SecretBox } from '../../../server/secret-box.js'
import { TEST_CONFIG, testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { createOfficial, signIn } from '../../helpers/officials.js'
import { codeNow, enrol } from '../../helpers/second-factor.js'
import { msg } from '../../helpers/html.js'

const { app, db } = await testApp(t)
const official = async (name: string) =>
  (
    await db
      .select()
      .from(officials)
      .where(eq(officials.email, `${name}@example.test`))
  )[0]!

t.test(
  'an enrolled official needs a code after the password; the dashboard stays closed until it is right',
  async (t) => {
    const me = await createOfficial(db, 'moderator', 'enrolled@example.test')
    const { secret } = await enrol(db, me.id)
    const v = new Visitor(app)
    const res = await signIn(v, 'enrolled@example.test')
    t.equal(res.statusCode, 303)
    t.match(res.headers.location, /^\/login\/code\?next=/)
    t.equal((await v.get('/official')).headers.location, '/login?next=%2Fofficial', 'the password alone opens nothing')

    const page = await v.get('/login/code')
    t.match(page.body, /<input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric">/)
    const wrong = await v.post('/login/code', { code: '000000' === codeNow(secret) ? '111111' : '000000' })
    t.equal(wrong.statusCode, 401)
    t.match(wrong.body, msg('secondFactor.wrong'))
    t.equal((await v.get('/official')).statusCode, 303, 'still not signed in')

    const right = await v.post('/login/code', { code: codeNow(secret), next: '/official' })
    t.equal(right.statusCode, 303)
    t.equal(right.headers.location, '/official')
    t.equal((await v.get('/official')).statusCode, 200)
    const row = await official('enrolled')
    t.ok(row.lastLoginAt, 'the login time is kept for the access review')
    t.same(
      (await listAudit(db)).filter((e) => e.officialId === me.id).map((e) => e.action),
      ['second-factor.failed', 'login'],
    )
  },
)

t.test('a code is accepted once: the same code in another login is refused and signs nobody in', async (t) => {
  const me = await createOfficial(db, 'moderator', 'replay@example.test')
  const { secret } = await enrol(db, me.id)
  const code = codeNow(secret)
  t.equal((await signIn(new Visitor(app), 'replay@example.test', { code })).headers.location, '/official')
  const thief = new Visitor(app)
  const replay = await signIn(thief, 'replay@example.test', { code })
  t.equal(replay.statusCode, 401)
  t.match(replay.body, 'Deze code is al gebruikt')
  t.equal((await thief.get('/official')).statusCode, 303)
  const [entry] = (await listAudit(db)).filter((e) => e.officialId === me.id && e.action === 'second-factor.failed')
  t.same(entry?.details, { reason: 'replayed' })
})

t.test('wrong codes count towards the wait: after five, even the right code is refused', async (t) => {
  const me = await createOfficial(db, 'moderator', 'guesser@example.test')
  const { secret } = await enrol(db, me.id)
  const v = new Visitor(app)
  await signIn(v, 'guesser@example.test')
  await v.get('/login/code')
  const wrong = String((Number(codeNow(secret)) + 500_000) % 1_000_000).padStart(6, '0')
  for (let i = 0; i < 5; i++) await v.post('/login/code', { code: wrong })
  t.ok((await official('guesser')).lockedUntil! > new Date(), 'the account is locked')
  const right = await v.post('/login/code', { code: codeNow(secret) })
  t.equal(right.statusCode, 401)
  t.match(right.body, msg('secondFactor.locked'))
  t.equal((await official('guesser')).totpLastStep, null, 'no code was used up')
})

t.test('a recovery code logs in once; used again it is refused', async (t) => {
  const me = await createOfficial(db, 'moderator', 'lostphone@example.test')
  const { recovery } = await enrol(db, me.id)
  const v = new Visitor(app)
  await signIn(v, 'lostphone@example.test')
  await v.get('/login/code')
  const res = await v.post('/login/code', { recoveryCode: recovery[0]!.toUpperCase().replaceAll('-', ' ') })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/official/account?recovery=2')
  t.match((await v.get(res.headers.location as string)).body, 'nog 2 over')

  const again = new Visitor(app)
  await signIn(again, 'lostphone@example.test')
  await again.get('/login/code')
  const twice = await again.post('/login/code', { recoveryCode: recovery[0]! })
  t.equal(twice.statusCode, 401)
  t.match(twice.body, 'al gebruikt')
  t.equal((await again.get('/official')).statusCode, 303)
  const used = await db.select().from(recoveryCodes).where(eq(recoveryCodes.officialId, me.id))
  t.equal(used.filter((c) => c.usedAt).length, 1)
})

t.test(
  'enrolment shows a QR code and the secret in groups of four; the first right code turns it on with ten recovery codes',
  async (t) => {
    const me = await createOfficial(db, 'council', 'newphone@example.test')
    const v = new Visitor(app)
    await signIn(v, 'newphone@example.test')
    const page = await v.get('/official/account/second-factor')
    t.equal(page.statusCode, 200)
    // Handlebars writes the base64 padding "=" as &#x3D;, which the browser reads back as "=".
    t.match(page.body, /<img class="enrol-qr" src="data:image\/png;base64,[A-Za-z0-9+/]+(=|&#x3D;)*"/)
    const secret =
      /<code class="secret" id="secret">([A-Z2-7 ]+)<\/code>/.exec(page.body)?.[1]?.replaceAll(' ', '') ?? ''
    t.equal(secret.length, 32, '160 bits in base32')
    t.match(page.body, /([A-Z2-7]{4} ){7}[A-Z2-7]{4}/)
    t.match(page.body, 'autocomplete="one-time-code" inputmode="numeric"')
    t.match((await v.get('/official/account/second-factor')).body, secret.slice(0, 4), 'a reload shows the same secret')

    const row = await official('newphone')
    t.notMatch(row.totpSecret, secret, 'the secret is stored encrypted')
    t.equal(new SecretBox(TEST_CONFIG.sessionSecret).open(row.totpSecret!), secret)

    const wrong = await v.post('/official/account/second-factor', { code: 'abcdef' })
    t.equal(wrong.statusCode, 422)
    t.equal((await official('newphone')).totpEnabledAt, null, 'a wrong code turns nothing on')

    const before = v.cookie('sid')
    const done = await v.post('/official/account/second-factor', { code: codeNow(secret) })
    t.equal(done.statusCode, 200)
    t.not(v.cookie('sid'), before, 'the session gets a new id once the second factor is on')
    const old = new Visitor(app)
    t.equal((await old.get('/official', { cookie: `sid=${before}` })).statusCode, 303, 'the old id opens nothing')
    t.equal(done.headers['cache-control'], 'no-store')
    const shown = [...done.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!)
    t.equal(shown.length, 10)
    const stored = await db.select().from(recoveryCodes).where(eq(recoveryCodes.officialId, me.id))
    t.equal(stored.length, 10)
    t.notOk(
      stored.some((c) => shown.includes(c.codeHash)),
      'only hashes are stored',
    )
    t.ok((await official('newphone')).totpEnabledAt)
    t.equal(
      (await v.get('/official/account/second-factor')).headers.location,
      '/official/account',
      'enrolment is not shown again',
    )
  },
)

t.test('with the second factor required, an official without one reaches nothing but the enrolment', async (t) => {
  const { app: strict } = await testApp(t, { db, config: { officialMfa: 'required' } })
  await createOfficial(db, 'admin', 'strict@example.test')
  const v = new Visitor(strict)
  await signIn(v, 'strict@example.test')
  for (const path of ['/official', '/official/moderation', '/official/rounds/new', '/official/account']) {
    const res = await v.get(path)
    t.equal(res.headers.location, '/official/account/second-factor', path)
  }
  t.equal((await v.post('/official/rounds', { title: 'x' })).statusCode, 403, 'actions are refused')
  const page = await v.get('/official/account/second-factor')
  t.equal(page.statusCode, 200)
  const secret = /<code class="secret" id="secret">([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!.replaceAll(' ', '')
  t.equal((await v.post('/official/account/second-factor', { code: codeNow(secret) })).statusCode, 200)
  t.equal((await v.get('/official')).statusCode, 200, 'once enrolled the dashboard opens')
})

t.test('after the idle time the code is asked again, and the official comes back where they were', async (t) => {
  const me = await createOfficial(db, 'moderator', 'idle@example.test')
  const { secret } = await enrol(db, me.id)
  const v = new Visitor(app)
  await signIn(v, 'idle@example.test', { code: codeNow(secret) })
  t.equal((await v.get('/official/moderation')).statusCode, 200)
  const hourAgo = Date.now() - 60 * 60 * 1000
  const [row] = await db.select().from(sessions).where(eq(sessions.officialId, me.id))
  await db
    .update(sessions)
    .set({ data: { ...(row!.data as object), seenAt: hourAgo } })
    .where(eq(sessions.sid, row!.sid))

  const idle = await v.get('/official/moderation')
  t.equal(idle.headers.location, '/login/code?next=%2Fofficial%2Fmoderation')
  t.equal((await v.get('/official/moderation')).statusCode, 303, 'still asked on the next request')
  await v.get('/login/code?next=%2Fofficial%2Fmoderation')
  const back = await v.post('/login/code', { code: codeNow(secret, 1), next: '/official/moderation' })
  t.equal(back.headers.location, '/official/moderation')
  t.equal((await v.get('/official/moderation')).statusCode, 200)
})

t.test('nobody resets their own second factor without a recovery code', async (t) => {
  const me = await createOfficial(db, 'moderator', 'reset@example.test')
  const { secret, recovery } = await enrol(db, me.id)
  const v = new Visitor(app)
  await signIn(v, 'reset@example.test', { code: codeNow(secret) })
  await v.get('/official/account/second-factor/reset')
  const wrong = await v.post('/official/account/second-factor/reset', { recoveryCode: 'aaaa-bbbb-cccc-dddd' })
  t.equal(wrong.statusCode, 422)
  t.match(wrong.body, 'klopt niet')
  t.ok((await official('reset')).totpEnabledAt, 'still on')

  const other = new Visitor(app)
  await signIn(other, 'reset@example.test', { code: codeNow(secret, 1) })
  const res = await v.post('/official/account/second-factor/reset', { recoveryCode: recovery[1]! })
  t.equal(res.headers.location, '/official/account/second-factor')
  const row = await official('reset')
  t.equal(row.totpEnabledAt, null)
  t.equal((await db.select().from(recoveryCodes).where(eq(recoveryCodes.officialId, me.id))).length, 0)
  t.equal((await other.get('/official')).statusCode, 303, 'the other session has ended')
  t.equal((await v.get('/official')).statusCode, 200, 'this one goes on')
  t.ok((await db.select().from(auditLog).where(eq(auditLog.action, 'second-factor.reset'))).length)
})
