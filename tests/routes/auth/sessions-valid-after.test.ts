import { PassThrough } from 'node:stream'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { officials, sessions } from '../../../db/schema.js'
import { SecretBox } from '../../../server/secret-box.js'
import { codeAt } from '../../../server/domain/access/totp.js'
import { TEST_CONFIG, testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { createOfficial, PASSWORD, signedIn, signIn } from '../../helpers/officials.js'
import { codeNow, enrol } from '../../helpers/second-factor.js'

// Two instances on one database, as behind a load balancer: the ended browser talks to one, the change happens on the other.
const { app, db } = await testApp(t)
const { app: other } = await testApp(t, { db })
const admin = await createOfficial(db, 'admin')
const adminFactor = await enrol(db, admin.id)
let adminStep = 0
const signedInAdmin = () => signedIn(other, 'admin', { code: codeNow(adminFactor.secret, adminStep++) })

const NEW_PASSWORD = 'paars fietsrek onder de brug'
const sidOf = (v: Visitor) => decodeURIComponent(v.cookie('sid')!).replace(/\.[^.]*$/, '')
const rowsOf = (officialId: number) => db.select().from(sessions).where(eq(sessions.officialId, officialId))

/** What the official does elsewhere to end the victim's session; returns the browser that did it, if it is theirs. */
type Ender = (official: { id: number; email: string }) => Promise<Visitor | undefined>

const enders: [string, Ender][] = [
  [
    'a password change',
    async ({ email }) => {
      const owner = await signedIn(other, email)
      await owner.get('/official/account/password')
      await owner.post('/official/account/password', {
        current: PASSWORD,
        password: NEW_PASSWORD,
        repeat: NEW_PASSWORD,
      })
      return owner
    },
  ],
  [
    '"end other sessions"',
    async ({ email }) => {
      const owner = await signedIn(other, email)
      await owner.get('/official/account')
      await owner.post('/official/account/sessions/end-others', {})
      return owner
    },
  ],
  [
    'a second-factor reset with a recovery code',
    async ({ id, email }) => {
      const { secret, recovery } = await enrol(db, id)
      const owner = await signedIn(other, email, { code: codeNow(secret) })
      await owner.get('/official/account/second-factor/reset')
      await owner.post('/official/account/second-factor/reset', { recoveryCode: recovery[0]! })
      return owner
    },
  ],
  [
    'a second-factor reset by an admin',
    async ({ id }) => {
      const a = await signedInAdmin()
      await a.get('/official/accounts')
      await a.post(`/official/accounts/${id}/reset-second-factor`, {})
      return undefined
    },
  ],
  [
    'a deactivation (and a reactivation after it)',
    async ({ id }) => {
      const a = await signedInAdmin()
      await a.get('/official/accounts')
      await a.post(`/official/accounts/${id}/deactivate`, {})
      await a.post(`/official/accounts/${id}/reactivate`, {})
      return undefined
    },
  ],
]

for (const [n, [name, end]] of enders.entries()) {
  t.test(`a session row written back after ${name} is refused: the browser is signed out`, async (t) => {
    const me = await createOfficial(db, 'moderator', `ended-${n}@example.test`)
    const victim = await signedIn(app, me.email)
    t.equal((await victim.get('/official')).statusCode, 200, 'signed in to begin with')
    const [row] = (await rowsOf(me.id)).filter((r) => r.sid === sidOf(victim))

    const owner = await end(me)
    // As a slow request on the victim's session would have left it: its row back in the table.
    await db.insert(sessions).values(row!).onConflictDoNothing()

    const res = await victim.get('/official')
    t.equal(res.statusCode, 303)
    t.equal(res.headers.location, '/login?next=%2Fofficial')
    t.notOk(
      (await rowsOf(me.id)).some((r) => r.sid === row!.sid),
      'the written-back row is gone',
    )
    if (owner)
      t.equal((await owner.get('/official')).statusCode, 200, 'the browser that made the change stays signed in')
  })
}

t.test('a second factor enrolled by a request running across "end other sessions" opens no new session', async (t) => {
  const me = await createOfficial(db, 'moderator', 'enrolling@example.test')
  const victim = await signedIn(app, me.email)
  await victim.get('/official/account/second-factor')
  const [pending] = await db.select().from(officials).where(eq(officials.id, me.id))
  const secret = new SecretBox(TEST_CONFIG.sessionSecret).open(pending!.totpSecret!)

  // The enrolment's body arrives only after the change: its session was loaded before, its new id is made after.
  const body = new PassThrough()
  const enrolling = app.inject({
    method: 'POST',
    url: '/official/account/second-factor',
    remoteAddress: victim.ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: victim.cookieHeader },
    payload: body,
  })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const owner = await signedIn(other, me.email)
  await owner.get('/official/account')
  await owner.post('/official/account/sessions/end-others', {})
  body.end(new URLSearchParams({ _csrf: victim.formToken, code: codeAt(secret, Date.now()) }).toString())
  const enrolled = await enrolling
  t.equal(enrolled.statusCode, 200, 'the enrolment itself went through')

  const regenerated = enrolled.cookies.find((c) => c.name === 'sid')!.value
  const afterwards = await app.inject({ method: 'GET', url: '/official', cookies: { sid: regenerated } })
  t.equal(afterwards.statusCode, 303, 'the id it was given opens nothing')
  t.equal((await owner.get('/official')).statusCode, 200)
})

t.test('a password accepted before a password change elsewhere cannot be completed with a code', async (t) => {
  const me = await createOfficial(db, 'moderator', 'halfway@example.test')
  const { secret } = await enrol(db, me.id)
  const halfway = new Visitor(app)
  t.match((await signIn(halfway, me.email)).headers.location, /^\/login\/code/)
  await halfway.get('/login/code')

  const owner = await signedIn(other, me.email, { code: codeNow(secret) })
  await owner.get('/official/account/password')
  await owner.post('/official/account/password', { current: PASSWORD, password: NEW_PASSWORD, repeat: NEW_PASSWORD })

  const res = await halfway.post('/login/code', { code: codeNow(secret, 1), next: '/official' })
  t.equal(res.headers.location, '/login', 'sent back to the password')
  t.equal((await halfway.get('/official')).statusCode, 303, 'not signed in')
  t.equal((await owner.get('/official')).statusCode, 200)
})
