import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import http from 'node:http'
import { createServer } from 'node:net'
import { SECRETS } from './secrets.js'

export interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  /** The bytes as they came over the wire: compressed when the server compressed them. */
  body: Buffer
}

/** One request with node:http, nothing decoded, so sizes are what a phone downloads. */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        )
        response.on('error', reject)
      },
    )
    request.on('error', reject)
    request.end(options.body)
  })
}

/**
 * A CSRF cookie and its token, from one visit to the code page: the token is
 * valid for every request that carries that cookie.
 */
export async function csrfPair(base: string, slug: string): Promise<{ cookie: string; token: string }> {
  const page = await send(`${base}/rounds/${slug}/vote`)
  const setCookie = page.headers['set-cookie'] ?? []
  const cookie = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('csrf='))
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body.toString())?.[1]
  if (!cookie || !token) throw new Error(`no CSRF cookie and token on the code page (status ${page.status})`)
  return { cookie, token }
}

/** A free port on 127.0.0.1, for a child that must be told its port up front. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Polls until the server answers, so a restart is measured from the moment it serves again. */
export async function waitUntilServing(base: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before serving`)
    try {
      await send(`${base}/`)
      return
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`the server did not answer at ${base} within ${timeoutMs / 1000} s`)
}

/** The node flags `npm start` runs the app with (package.json), so a bench's app has the memory settings production has. */
export function productionFlags(): string[] {
  const start = (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }
  ).scripts.start
  return start.split(/\s+/).filter((word) => word.startsWith('--'))
}

/**
 * Starts a server entry in a child node process — a TypeScript one through tsx, the compiled app's
 * app-server.js on plain node — with the bench secrets, and waits for it to report its port over IPC.
 */
export function forkServer(
  entry: URL,
  args: string[],
  execArgv: string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  const loader = entry.pathname.endsWith('.ts') ? ['--import', 'tsx'] : []
  const child = fork(entry, args, {
    execArgv: [...loader, ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, SESSION_SECRET: SECRETS.sessionSecret, CODE_KEY: SECRETS.codeKey },
  })
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve({ child, port: message.port }))
    child.once('exit', (code) => reject(new Error(`${entry.pathname} exited with code ${code} before listening`)))
  })
}

/** The child's side of forkServer: listen on a free port, tell it over IPC, close cleanly on SIGTERM (so a --cpu-prof profile gets written). */
export async function serveChild({
  server,
  close,
}: {
  server: FastifyInstance
  close: () => Promise<unknown>
}): Promise<void> {
  await server.listen({ host: '127.0.0.1', port: 0 })
  const address = server.server.address()
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 })
  process.on('SIGTERM', () => {
    void server
      .close()
      .then(close)
      .then(() => process.exit(0))
  })
}
