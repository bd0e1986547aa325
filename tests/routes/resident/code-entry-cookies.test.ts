import t from 'tap'
import { sessions } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'

const { app, db, round } = await demoRound(t, { phase: 'voting', codes: 5 })

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
