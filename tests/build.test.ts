import { execFile, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { freePort, productionFlags } from '../bench/http.js'

const root = new URL('..', import.meta.url)

t.test(
  'production runs the compiled build with plain node: JSON logs, then the banner with the start-up time',
  async (t) => {
    await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: root })
    const port = await freePort()
    // With the memory settings `npm start` gives node (package.json).
    const child = spawn(process.execPath, [...productionFlags(), 'build/server/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        LOG_LEVEL: 'info',
        DEMO: 'off',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'wb-build-')),
      },
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    const deadline = Date.now() + 90_000
    while (!/started in .*\n/.test(output) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100))

    t.notMatch(child.spawnargs.join(' '), 'tsx', 'no TypeScript loader')
    t.match(child.spawnargs.join(' '), '--max-semi-space-size=8', 'the memory settings of npm start')
    t.notMatch(output, /unrecognized flag|bad option/i, 'node takes every flag')
    const [logs = '', banner = ''] = output.split('\nWijkbudget runs at ')
    const lines = logs.split('\n').filter(Boolean)
    t.ok(lines.length >= 2, 'start-up logs come before the banner')
    for (const line of lines) t.doesNotThrow(() => JSON.parse(line) as unknown, `a JSON line: ${line.slice(0, 80)}`)
    const ready = lines.map((l) => JSON.parse(l) as { msg: string; startupMs?: number }).find((l) => l.msg === 'ready')
    t.ok(ready && ready.startupMs! > 0, 'the start-up time is logged')
    t.match(banner, /^http:\/\/localhost:\d+ \(started in \d+\.\d s\)\n/, 'the banner says where and how fast')
    t.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200)
    child.kill('SIGTERM')
    t.equal(await exited, 0)
  },
)
