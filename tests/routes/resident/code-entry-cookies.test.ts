import t from 'tap'
import { sessions } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'

const { app, db, round, codes, projects } = await demoRound(t, { phase: 'voting', codes: 5 })

t.test(
  'the code page sets one cookie, the signed CSRF cookie that also names the browser, and stores no session',
  async (t) => {
    const page = await new Visitor(app).get(`/rounds/${round.slug}/vote`)
    t.equal(page.statusCode, 200)
    const cookies = page.cookies as { name: string; value: string; httpOnly?: boolean }[]
    t.same(
      cookies.map((c) => c.name),
      ['csrf'],
    )
    t.match(cookies[0]!.value, /^[^.]+\.[^.]+$/, 'signed')
    t.equal(cookies[0]!.httpOnly, true)
    t.same(await db.select().from(sessions), [], 'no session row')
  },
)

t.test('a whole vote, from the code to the receipt, makes, signs and stores no session', async (t) => {
  const v = new Visitor(app)
  const set: string[] = []
  const step = async <R extends { cookies: unknown[] }>(res: R) => {
    set.push(...(res.cookies as { name: string }[]).map((c) => c.name))
    return res
  }
  await step(await v.get(`/rounds/${round.slug}/vote`))
  const entered = await step(await v.post(`/rounds/${round.slug}/vote`, { code: codes[0]! }))
  t.equal(entered.statusCode, 303)
  await step(await v.get(`/rounds/${round.slug}/vote/ballot`))
  const cast = await step(
    await v.post(`/rounds/${round.slug}/vote/ballot`, { projects: [String(projects[0]!.id)], intent: 'submit' }),
  )
  t.equal(cast.statusCode, 303, 'cast')
  await step(await v.get(String(cast.headers.location)))
  t.notOk(set.includes('sid'), `cookies set: ${[...new Set(set)].join(', ')}`)
  t.same(await db.select().from(sessions), [], 'no session row')
})
