import { Writable } from 'node:stream'
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { rounds } from '../../db/schema.js'
import { seedDemo } from '../../server/data/demo.js'
import { testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'

const lines: string[] = []
const logStream = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk))
    done()
  },
})
const { app, db } = await testApp(t, { log: { level: 'info', to: logStream } })
await seedDemo(db)
await db.update(rounds).set({ phase: 'proposing' })
const [round] = await db.select().from(rounds)

t.test('a failing query answers 500, and the log names the statement but none of its values', async (t) => {
  // A constraint the application does not know about makes the insert fail inside the database.
  await db.execute(
    sql`alter table proposals add constraint refuse_test check (contact_email is distinct from 'fatima.yilmaz@example.net')`,
  )
  const visitor = new Visitor(app)
  await visitor.get(`/rounds/${round!.slug}/proposals/new`)
  const res = await visitor.post(`/rounds/${round!.slug}/proposals`, {
    title: 'Tochtstrips',
    summary: 'Buren plakken tochtstrips.',
    description: 'Twee zaterdagen.',
    cost: '2500',
    track: 'social',
    themes: 'green',
    location: '',
    kwhPerYear: '',
    co2KgPerYear: '',
    households: '',
    organisation: '',
    contactName: 'Fatima Yilmaz',
    contactEmail: 'fatima.yilmaz@example.net',
    contactPhone: '06 12345678',
    consent: 'yes',
  })
  t.equal(res.statusCode, 500)
  const log = lines.join('')
  t.match(log, 'request failed', 'the failure is logged')
  t.match(log, 'Failed query: insert into \\"proposals\\"', 'with the statement')
  t.match(log, '"sqlState":"23514"', 'and the database error code')
  for (const secret of ['fatima.yilmaz@example.net', 'Fatima Yilmaz', '12345678', 'Tochtstrips']) {
    t.notMatch(log, secret, `the log does not hold ${secret}`)
  }
  t.notMatch(log, /params: (?!\[redacted\])/, 'no parameters')
  await db.execute(sql`alter table proposals drop constraint refuse_test`)
  t.ok(await db.select().from(rounds).where(eq(rounds.id, round!.id)))
})
