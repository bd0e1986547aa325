import { PassThrough } from 'node:stream'
import t from 'tap'
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { sessions } from '../../../db/schema.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { createOfficial, PASSWORD, signedIn } from '../../helpers/officials.js'

// Two instances on one database, as behind a load balancer: the slow request runs on one, the change on the other.
const { app, db } = await testApp(t)
const { app: other } = await testApp(t, { db })
await createOfficial(db, 'admin')

/**
 * A request from `v` to `app` whose body arrives only when `finish` is called: the session is
 * loaded at its start and saved at its end, with whatever happens in between.
 */
function slowRequest(app: FastifyInstance, v: Visitor) {
  const body = new PassThrough()
  const done = app.inject({
    method: 'POST',
    url: '/official/account/password',
    remoteAddress: v.ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: v.cookieHeader },
    payload: body,
  })
  return {
    started: new Promise((resolve) => setTimeout(resolve, 300)),
    finish: () => {
      body.end('current=wrong&password=x&repeat=x')
      return done
    },
  }
}

const enders: [string, (victimId: number, email: string) => Promise<unknown>][] = [
  [
    'a password change elsewhere',
    async (_id, email) => {
      const owner = await signedIn(other, email)
      await owner.get('/official/account/password')
      const res = await owner.post('/official/account/password', {
        current: PASSWORD,
        password: 'paars fietsrek onder de brug',
        repeat: 'paars fietsrek onder de brug',
      })
      if (res.statusCode !== 303) throw new Error(`password change answered ${res.statusCode}`)
    },
  ],
  [
    '"end other sessions" elsewhere',
    async (_id, email) => {
      const owner = await signedIn(other, email)
      await owner.get('/official/account')
      await owner.post('/official/account/sessions/end-others', {})
    },
  ],
  [
    'a deactivation by an admin',
    async (id) => {
      const admin = await signedIn(other, 'admin')
      await admin.get('/official/accounts')
      await admin.post(`/official/accounts/${id}/deactivate`, {})
    },
  ],
]

for (const [name, end] of enders) {
  t.test(`a request running across ${name} does not bring its ended session back`, async (t) => {
    const email = `slow-${enders.findIndex(([n]) => n === name)}@example.test`
    const me = await createOfficial(db, 'moderator', email)
    const victim = await signedIn(app, email)
    t.equal((await victim.get('/official')).statusCode, 200, 'signed in to begin with')
    const slow = slowRequest(app, victim)
    await slow.started
    await end(me.id, email)
    await slow.finish()
    const left = await db.select().from(sessions).where(eq(sessions.officialId, me.id))
    t.notOk(
      left.some((row) => victim.cookie('sid')!.startsWith(`${row.sid}.`)),
      'the ended session is not in the table',
    )
    t.equal((await victim.get('/official')).statusCode, 303, 'the browser is signed out')
  })
}
