import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { openEmbedded } from '../../db/client.js'
import { findOfficialByEmail } from '../../server/data/officials.js'
import { listAudit } from '../../server/data/audit.js'
import { verifyPassword } from '../../server/passwords.js'

const root = new URL('../..', import.meta.url)
const dataDir = mkdtempSync(join(tmpdir(), 'wb-cli-'))

function official(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/official.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
  })
}

t.test('creates an official with an argon2id password, audited', async (t) => {
  const run = official(['--email', 'wethouder@rotterdam.example', '--role', 'admin', '--name', 'Wethouder'], {
    OFFICIAL_PASSWORD: 'a long enough password',
  })
  t.equal(run.status, 0, run.stderr)
  t.match(run.stdout, 'created admin wethouder@rotterdam.example')
  t.notMatch(run.stdout, 'a long enough password')

  const generated = official(['--email', 'raad@rotterdam.example', '--role', 'council'])
  t.equal(generated.status, 0, generated.stderr)
  const shown = /password \(shown once\): (\S+)/.exec(generated.stdout)?.[1]
  t.ok(shown && shown.length >= 20, 'a strong password is generated and shown once')

  const again = official(['--email', 'WETHOUDER@rotterdam.example', '--role', 'moderator'])
  t.equal(again.status, 1)
  t.match(again.stderr, 'exists already')

  const database = await openEmbedded(join(dataDir, 'pglite'))
  t.teardown(() => database.close())
  const row = await findOfficialByEmail(database.db, 'wethouder@rotterdam.example')
  t.equal(row?.role, 'admin')
  t.match(row?.passwordHash, /^\$argon2id\$/)
  t.ok(await verifyPassword(row!.passwordHash!, 'a long enough password'))
  t.ok(await verifyPassword((await findOfficialByEmail(database.db, 'raad@rotterdam.example'))!.passwordHash!, shown!))
  t.same(
    (await listAudit(database.db)).map((e) => e.action),
    ['official.create', 'official.create'],
  )
})

t.test('bad arguments print the usage and change nothing', async (t) => {
  for (const args of [[], ['--email', 'x', '--role', 'admin'], ['--email', 'a@b.example', '--role', 'root']]) {
    const run = official(args)
    t.equal(run.status, 2, args.join(' '))
    t.match(run.stderr, 'usage: npm run official')
  }
  const short = official(['--email', 'kort@rotterdam.example', '--role', 'admin'], { OFFICIAL_PASSWORD: 'short' })
  t.equal(short.status, 2)
  t.match(short.stderr, 'at least 12 characters')
})
