import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { ballots, comments, proposals, rounds } from '../../db/schema.js'
import { CODE_LIMITS } from '../../server/domain/voting/code-guessing.js'
import { testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { demoRound } from '../helpers/fixtures.js'
import { openServer } from '../../db/client.js'
import { signedIn } from '../helpers/officials.js'

// Two instances behind one load balancer share nothing but the PostgreSQL server: only meaningful there.
if (!process.env.DATABASE_URL) {
  t.comment('two instances need the PostgreSQL server: set DATABASE_URL to run this file')
  t.pass('skipped without DATABASE_URL')
  t.end()
} else {
  const {
    app: a,
    db,
    round,
    byTitle,
    nextCode,
  } = await demoRound(t, { phase: 'voting', codes: 10, officials: ['admin'] })
  // Instance B: its own app and its own connection pool on the same database, as a second process would have.
  const url = new URL(process.env.DATABASE_URL)
  const rows: unknown = await db.execute(sql`select current_database() as name`)
  const [current] = rows as { name: string }[]
  url.pathname = `/${current!.name}`
  const poolB = await openServer(url.toString(), 3)
  t.teardown(() => poolB.close())
  const { app: b } = await testApp(t, { db: poolB.db })
  const vote = `/rounds/${round.slug}/vote`

  t.test('a session made on one instance works on the other', async (t) => {
    const admin = await signedIn(a, 'admin')
    const onB = admin.on(b)
    const page = await onB.get('/official')
    t.equal(page.statusCode, 200)
    t.match(page.body, 'Uitloggen')
    t.equal((await new Visitor(b, '10.12.1.9').get('/official')).statusCode, 303, 'without the cookie B asks to log in')
  })

  t.test('wrong codes count on both instances together: the limit holds across the load balancer', async (t) => {
    const resident = new Visitor(a, '10.12.2.1')
    await resident.get(vote)
    const statuses: number[] = []
    for (let i = 0; i < CODE_LIMITS.perBrowser; i++) {
      const res = await resident.on(i % 2 === 0 ? a : b).post(vote, { code: `WRONG-CODE-${i}` })
      statuses.push(res.statusCode)
    }
    t.same(
      statuses,
      Array(CODE_LIMITS.perBrowser).fill(422),
      `${CODE_LIMITS.perBrowser} wrong codes, half on each instance`,
    )
    t.equal(
      (await resident.on(a).post(vote, { code: nextCode() })).statusCode,
      429,
      'then even a right code waits, on A',
    )
    t.equal((await resident.on(b).post(vote, { code: nextCode() })).statusCode, 429, 'and on B')
  })

  t.test('the request rate limit is one count over both instances', async (t) => {
    const resident = new Visitor(a, '10.12.3.1')
    await resident.get(vote)
    let lastStatus = 0
    // The code form allows 60 a minute per address; 61 alternating requests must meet it.
    for (let i = 0; i < 61; i++)
      lastStatus = (await resident.on(i % 2 === 0 ? a : b).post(vote, { code: '' })).statusCode
    t.equal(lastStatus, 429)
  })

  t.test('a comment published on one instance shows at once in the other’s kept proposal page', async (t) => {
    const project = byTitle('Energiecoaches')
    const [proposal] = await db.select().from(proposals).where(eq(proposals.id, project.id))
    const page = `/proposals/${proposal!.reference}`
    const reader = new Visitor(b, '10.12.4.1')
    await reader.get(page) // B keeps the page before anything is said
    const resident = new Visitor(a, '10.12.4.2')
    await resident.get(`${page}/conversation/new?kind=comment`)
    await resident.post(`${page}/conversation`, { kind: 'comment', text: 'Gezien op twee servers', lang: 'nl' })
    const [comment] = await db.select().from(comments).where(eq(comments.text, 'Gezien op twee servers'))
    const admin = await signedIn(a, 'admin')
    await admin.get(`/official/comments/${comment!.id}`)
    t.equal((await admin.post(`/official/comments/${comment!.id}/publish`, {})).statusCode, 303)
    t.match((await reader.get(page)).body, 'Gezien op twee servers', 'B shows it without waiting')
  })

  t.test('after the round closes on one instance, the other acknowledges no ballot', async (t) => {
    const resident = new Visitor(b, '10.12.4.1')
    await resident.get(vote)
    t.equal((await resident.post(vote, { code: nextCode() })).statusCode, 303)
    await resident.get(`${vote}/ballot`)
    const admin = await signedIn(a, 'admin')
    await admin.get(`/official/rounds/${round.id}/advance`)
    t.equal(
      (
        await admin.post(`/official/rounds/${round.id}/advance`, {
          from: 'voting',
          reason: 'Proef met twee instanties',
        })
      ).statusCode,
      303,
      'closed on A',
    )
    const [closed] = await db.select({ phase: rounds.phase }).from(rounds).where(eq(rounds.id, round.id))
    t.equal(closed!.phase, 'closed')
    const res = await resident.post(`${vote}/ballot`, {
      projects: [String(byTitle('Energiecoaches').id)],
      intent: 'submit',
    })
    t.not(res.statusCode, 303, 'B sends no receipt')
    t.notMatch(String(res.headers.location ?? ''), '/receipts/')
    t.equal((await db.select().from(ballots).where(eq(ballots.roundId, round.id))).length, 0, 'and stored no ballot')
  })
}
