import t from 'tap'
import { sql } from 'drizzle-orm'
import { rounds, sessions } from '../../../db/schema.js'
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

t.test('the code page is kept rendered, each visitor with their own token that their own form posts', async (t) => {
  const [a, b] = [new Visitor(app), new Visitor(app)]
  const [pageA, pageB] = [await a.get(`/rounds/${round.slug}/vote`), await b.get(`/rounds/${round.slug}/vote`)]
  const token = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1]
  t.ok(token(pageA.body) && token(pageB.body) && token(pageA.body) !== token(pageB.body), 'two visitors, two tokens')
  t.equal(pageA.body.replace(token(pageA.body)!, ''), pageB.body.replace(token(pageB.body)!, ''), 'the rest the same')
  t.notMatch(pageA.body, /csrf-slot/, 'no slot left in the page')
  const wrong = await b.post(`/rounds/${round.slug}/vote`, { code: 'XXXXX-XXXXX', _csrf: token(pageA.body)! })
  t.equal(wrong.statusCode, 403, "another visitor's token does not post")
  const own = await a.post(`/rounds/${round.slug}/vote`, { code: codes[1]! })
  t.equal(own.statusCode, 303, 'their own does')

  await db.update(rounds).set({ title: 'Een nieuwe naam', contentVersion: sql`${rounds.contentVersion} + 1` })
  t.match((await new Visitor(app).get(`/rounds/${round.slug}/vote`)).body, 'Een nieuwe naam', 'a changed round shows')
})
