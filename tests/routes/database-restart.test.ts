import t from 'tap'
import { and, eq } from 'drizzle-orm'
import postgres from 'postgres'
import { openServer } from '../../db/client.js'
import { ballots, votingCodes } from '../../db/schema.js'
import { hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { TEST_CONFIG, testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { databaseUrlOf } from '../helpers/db.js'
import { demoRound } from '../helpers/fixtures.js'
import { html, msg } from '../helpers/html.js'
import { databaseProxy } from '../helpers/proxy.js'

// A database that goes away and comes back is a server's: PGlite lives in the process.
if (!process.env.DATABASE_URL) {
  t.comment('a restarting database needs the PostgreSQL server: set DATABASE_URL to run this file')
  t.pass('skipped without DATABASE_URL')
  t.end()
} else {
  const { db, round, byTitle, nextCode } = await demoRound(t, { phase: 'voting', codes: 5, officials: [] })
  // The instance under test reaches the database through a proxy the test can cut, as a restart does.
  const proxy = await databaseProxy(process.env.DATABASE_URL)
  const pool = await openServer(proxy.url(await databaseUrlOf(db)), 3)
  t.teardown(async () => {
    await pool.close()
    await proxy.cut()
  })
  const { app } = await testApp(t, { db: pool.db })
  const vote = `/rounds/${round.slug}/vote`
  const chosen = [String(byTitle('Energiecoaches').id), String(byTitle('Zonnepanelen').id)]

  t.test(
    'connections a restart ended between two requests fail neither the next page nor the next ballot',
    async (t) => {
      // The test's own connection to the same database, not through the proxy and not in the app's pool.
      const admin = postgres(await databaseUrlOf(db), { max: 1, onnotice: () => {} })
      t.teardown(() => admin.end())
      const endOthers = async () => {
        const ended = await admin`
        select pg_terminate_backend(pid) as ended from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`
        return ended.length
      }
      const code = nextCode()
      const resident = new Visitor(app)
      await resident.get(vote)
      await resident.post(vote, { code })
      // Every connection of the app's pool in use once, so each is there to be ended.
      const pages = await Promise.all([1, 2, 3].map(() => app.inject(`/rounds/${round.slug}`)))
      t.same(
        pages.map((p) => p.statusCode),
        [200, 200, 200],
      )
      t.equal((await resident.get(`${vote}/ballot`)).statusCode, 200)

      t.ok((await endOthers()) >= 3, 'the server ended the pooled connections (57P01)')
      const page = await resident.get(`/rounds/${round.slug}`)
      t.equal(page.statusCode, 200, 'the next page is read on a fresh connection')

      await Promise.all([1, 2, 3].map(() => app.inject(`/rounds/${round.slug}`)))
      t.ok((await endOthers()) >= 3, 'and again, before the ballot')
      const ballot = await resident.post(`${vote}/ballot`, { projects: chosen.slice(0, 1), intent: 'submit' })
      t.equal(ballot.statusCode, 303, 'the ballot is stored')
      const [stored] = await admin`
      select b.project_ids from ballots b join voting_codes c on c.id = b.code_id where c.code_hash = ${hashCode(
        TEST_CONFIG.codeKey,
        normaliseCode(code)!,
      )}`
      t.same(stored?.project_ids, [Number(chosen[0])], 'once, with the choice made')
    },
  )

  t.test(
    'while the database is away: 503 with Retry-After, a translated page, not ready; then it recovers',
    async (t) => {
      const code = nextCode()
      const resident = new Visitor(app)
      await resident.get(vote)
      t.equal((await resident.post(vote, { code })).statusCode, 303)
      t.equal((await resident.get(`${vote}/ballot`)).statusCode, 200)

      await proxy.cut()
      const ballot = await resident.post(`${vote}/ballot`, { projects: chosen, intent: 'submit' })
      t.equal(ballot.statusCode, 503, 'the ballot could not be stored: 503, not 500')
      t.equal(ballot.headers['retry-after'], '60')
      const page = html(ballot)
      t.equal(page.text('h1'), msg('errors.unavailable'))
      t.match(page.text(), msg('errors.unavailableKept'), 'it says plainly the ballot is not stored yet')
      const form = page.get(`form[action="${vote}/ballot"]`)
      t.same(
        form.querySelectorAll('input[name=projects]').map((input) => input.getAttribute('value')),
        chosen,
        'the choices are kept in the form that sends them again',
      )
      t.equal(form.querySelector('input[name=intent]')?.getAttribute('value'), 'submit')

      for (const lang of ['en', 'ar', 'tr'] as const) {
        const res = await app.inject({ url: `/rounds/${round.slug}`, headers: { cookie: `lang=${lang}` } })
        t.equal(res.statusCode, 503, `a page in ${lang}: 503`)
        t.equal(res.headers['retry-after'], '60')
        t.equal(html(res).text('h1'), msg('errors.unavailable', {}, lang), `the page in ${lang}`)
        t.match(html(res).text(), msg('errors.unavailableHelp', {}, lang))
      }
      const health = await app.inject('/healthz')
      t.equal(health.statusCode, 503, 'the health check says not ready')
      t.equal(health.headers['retry-after'], '60')

      await proxy.restore()
      // The pool reconnects after its back-off (at most two seconds, db/client.ts).
      const back = Date.now()
      let ready = 0
      while (ready !== 200 && Date.now() - back < 20_000) ready = (await app.inject('/healthz')).statusCode
      t.equal(ready, 200, 'ready again once the database is back')
      t.comment(`ready again ${Date.now() - back} ms after the database came back`)
      // The resident presses "send again": the kept fields, the same session and token.
      const fields = Object.fromEntries(
        ['_csrf', 'intent'].map((name) => [name, form.querySelector(`input[name=${name}]`)!.getAttribute('value')!]),
      )
      const again = await resident.post(`${vote}/ballot`, { ...fields, projects: chosen })
      t.equal(again.statusCode, 303, 'the kept ballot is stored')
      t.match(String(again.headers.location), /^\/receipts\//)
      const [codeRow] = await db
        .select()
        .from(votingCodes)
        .where(eq(votingCodes.codeHash, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!)))
      const stored = await db
        .select()
        .from(ballots)
        .where(and(eq(ballots.roundId, round.id), eq(ballots.codeId, codeRow!.id)))
      t.equal(stored.length, 1)
      t.same([...stored[0]!.projectIds].map(String).sort(), [...chosen].sort())
    },
  )
}
