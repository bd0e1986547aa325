/**
 * A PostgreSQL cluster of the rehearsal's own, under /tmp and on a port of its own, so restarting
 * it disturbs nobody else's database on this machine. Owned by the postgres user, as the server
 * refuses to run as root.
 */
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const INSTALLED = '/usr/lib/postgresql'
/** Debian's newest PostgreSQL, as .ci/run starts the newest cluster. */
const BIN = `${INSTALLED}/${readdirSync(INSTALLED).sort((a, b) => Number(b) - Number(a))[0]}/bin`

export interface Cluster {
  url: string
  /** A fast shutdown, `downMs` without a server, and a start: every connection is ended, as in a production restart. */
  restart(downMs: number): Promise<void>
  /** Stops the server and deletes its files; safe to call twice. */
  remove(): void
}

function asPostgres(command: string, args: string[]): string {
  const run = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
  return execFileSync(run[0] as string, run[1] as string[], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

export function createCluster(port: number): Cluster {
  const dir = mkdtempSync(join(tmpdir(), 'wijkbudget-election-pg-'))
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  chownSync(dir, uid, uid)
  const data = join(dir, 'data')
  asPostgres(`${BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'])
  // Sockets in the cluster's folder: the machine's own server keeps /var/run/postgresql.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60`
  const pgCtl = (...args: string[]) => asPostgres(`${BIN}/pg_ctl`, ['-D', data, '-l', join(dir, 'log'), ...args])
  pgCtl('-o', options, '-w', 'start')
  let removed = false
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(downMs) {
      pgCtl('-m', 'fast', '-w', 'stop')
      await new Promise((r) => setTimeout(r, downMs))
      pgCtl('-o', options, '-w', 'start')
    },
    remove() {
      if (removed) return
      removed = true
      if (existsSync(join(data, 'postmaster.pid'))) {
        try {
          pgCtl('-m', 'immediate', '-w', 'stop')
        } catch {
          // Already stopped: the files go all the same.
        }
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
