import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import postgres from 'postgres'
import { openServer } from '../../db/client.js'
import { auditLog, ballots, rounds } from '../../db/schema.js'
import { closeDueRounds } from '../../server/usecases/phases.js'
import { testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { databaseUrlOf } from '../helpers/db.js'
import { demoRound } from '../helpers/fixtures.js'
import { html, msg } from '../helpers/html.js'

const run = promisify(execFile)

// pg_dump and pg_restore work on a PostgreSQL server; PGlite lives in the process and has neither.
if (!process.env.DATABASE_URL) {
  t.comment('backup and restore need the PostgreSQL server and its pg_dump: set DATABASE_URL to run this file')
  t.pass('skipped without DATABASE_URL')
  t.end()
} else {
  const { app, db, round, roundId, byTitle, nextCode, signedIn } = await demoRound(t, {
    phase: 'voting',
    codes: 4,
    officials: ['admin'],
  })

  t.test(
    "a published round dumped with pg_dump and restored into an empty database: the restored app's transparency page finds the audit chain and the ballots intact",
    async (t) => {
      const choices = [['Energiecafé'], ['Energiecoaches'], ['Energiecafé', 'Energiecoaches'], ['Energiecafé']]
      for (const [i, titles] of choices.entries()) {
        const resident = new Visitor(app)
        await resident.get(`/rounds/${round.slug}/vote?lang=${i === 1 ? 'ar' : 'nl'}`)
        await resident.post(`/rounds/${round.slug}/vote`, { code: nextCode() })
        await resident.get(`/rounds/${round.slug}/vote/ballot`)
        const projects = titles.map((title) => String(byTitle(title).id))
        const cast = await resident.post(`/rounds/${round.slug}/vote/ballot`, { projects, intent: 'submit' })
        t.equal(cast.statusCode, 303)
      }
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
      await db.update(rounds).set({ votingUntil: yesterday }).where(eq(rounds.id, roundId))
      t.same(await closeDueRounds(db, new Date()), [roundId])
      // What the instance does within half a minute of the close: the language counts that waited.
      await app.languageCounts.flushClosed()
      const admin = await signedIn('admin')
      await admin.get(`/official/rounds/${roundId}/results`)
      t.equal((await admin.post(`/official/rounds/${roundId}/publish`, {})).statusCode, 303)

      // The commands README.md gives for a round's archive.
      const folder = mkdtempSync(join(tmpdir(), 'wijkbudget-backup-'))
      t.teardown(() => rmSync(folder, { recursive: true, force: true }))
      const archive = join(folder, 'round.dump')
      await run('pg_dump', ['--format=custom', '--no-owner', `--file=${archive}`, await databaseUrlOf(db)])
      const name = `wijkbudget_restore_${randomBytes(6).toString('hex')}`
      const server = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
      await server.unsafe(`create database ${name} template template0`)
      const url = new URL(process.env.DATABASE_URL!)
      url.pathname = `/${name}`
      await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${url.toString()}`, archive])

      const restored = await openServer(url.toString(), 3)
      t.teardown(async () => {
        await restored.close()
        await server.unsafe(`drop database if exists ${name} with (force)`)
        await server.end()
      })
      // As main.ts starts: migrations first (none left to run), then the app.
      await restored.migrate()
      const { app: again } = await testApp(t, { db: restored.db })

      const page = html(await new Visitor(again).get(`/rounds/${round.slug}/transparency`))
      const entries = await restored.db.select({ id: auditLog.id }).from(auditLog)
      t.ok(entries.length > 0)
      t.equal(
        page.text('#audit + .alert'),
        msg('transparency.audit.ok', { count: entries.length }),
        'the whole audit chain verifies',
      )
      t.equal(
        page.text('#check + .alert'),
        msg('transparency.check.ok', { count: choices.length }),
        'the ballots still match the published fingerprint',
      )
      const [stored] = await restored.db
        .select({ n: sql<number>`count(*)::int` })
        .from(ballots)
        .where(eq(ballots.roundId, roundId))
      t.equal(stored?.n, choices.length, 'every ballot is restored')

      const original = await new Visitor(app).get(`/rounds/${round.slug}/ballots.pb`)
      const copy = await new Visitor(again).get(`/rounds/${round.slug}/ballots.pb`)
      t.equal(copy.statusCode, 200)
      t.equal(copy.body, original.body, 'the open data is the same file')
      const languages = html(await new Visitor(again).get(`/rounds/${round.slug}/transparency`)).text()
      t.match(languages, msg('turnoutLanguage.heading'), 'and the language counts came along')
    },
  )
}
