import { Writable } from 'node:stream'
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { rounds } from '../../db/schema.js'
import { seedDemo } from '../../server/data/demo.js'
import { testApp } from '../helpers/app.js'
import { prettyFactory } from 'pino-pretty'
import { PRETTY } from '../../server/app.js'
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

t.test('each request is one log entry: method, path without secrets, status and time', async (t) => {
  lines.length = 0
  await new Visitor(app).get(`/rounds/${round!.slug}/vote?code=ABCD-EFGH-JKMN-PQRS`)
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  t.equal(entries.length, 1, 'not one on arrival and another on completion')
  t.match(entries[0], {
    msg: new RegExp(`^GET /rounds/${round!.slug}/vote \\d{3} \\d+ ms$`),
    req: { method: 'GET', path: `/rounds/${round!.slug}/vote` },
    res: { statusCode: Number },
    responseTime: Number,
  })
  t.notMatch(lines.join(''), 'ABCD', 'the code in the QR link is not logged')
})

t.test('a receipt and an address no route knows reach the log as a pattern and a first segment', async (t) => {
  lines.length = 0
  const visitor = new Visitor(app)
  await visitor.get('/receipts/ABCDE-FGHJK')
  await visitor.get('/stemcode/ABCD-EFGH-JKMN-PQRS')
  const paths = lines.map((line) => (JSON.parse(line) as { req: { path: string } }).req.path)
  t.same(paths, ['/receipts/:receipt', '/stemcode/…'])
  t.notMatch(lines.join(''), /ABCDE|ABCD-EFGH/, 'neither code is logged')
})

t.test('on a terminal a request is one short line', async (t) => {
  const pretty = prettyFactory(PRETTY)
  const entry = {
    level: 30,
    time: Date.now(),
    pid: 1,
    hostname: 'h',
    reqId: 'req-1',
    req: { method: 'GET', path: '/' },
    res: { statusCode: 200 },
    responseTime: 3,
    msg: 'GET / 200 3 ms',
  }
  const line = pretty(entry)
  t.equal(line.trim().split('\n').length, 1, line)
  t.match(line, 'GET / 200 3 ms')
})
