import type { Sql } from 'postgres'
import { endedByServer, staleConnection } from './unavailable.js'

/**
 * More tries than a pool has connections (openServer's default is 10): a restart ends them all at
 * once, and each failed try takes one dead connection out of the pool, so the last goes out on a
 * fresh one.
 */
export const STALE_TRIES = 11

/** The pause before each retry (see below). */
const SETTLE_MS = 20

/**
 * Runs `attempt` again when it failed only because its pooled connection had been ended by the
 * server, until a connection that is alive answers. Only for work that is safe twice: a read, or
 * a write keyed so that a second run changes nothing the first did not (a ballot per code).
 */
export async function retriedOnStale<T>(
  attempt: () => Promise<T>,
  retries: (error: unknown) => boolean = staleConnection,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt()
    } catch (error) {
      if (tries >= STALE_TRIES || !retries(error)) throw error
      // The server's goodbye and the socket's close arrive apart: waiting a moment lets the pool
      // close the connection before the retry, or the retry could be written to that same socket
      // as it closes, which leaves postgres.js 3.4.9 with a connection that never writes again.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
    }
  }
}

/** A statement that only reads. */
const READ = /^\s*select\b/i

/**
 * The pool as drizzle sees it (drizzle sends each query through `unsafe`, then awaits it or asks
 * for `values()`), with each statement outside a transaction sent again on a fresh connection when
 * its own was dead: a read whatever the failure; a write only when the server answered that it had
 * ended the session (57P01, 57P02), so the write was not run. A transaction is not retried piecemeal.
 */
export function retryingReads(client: Sql): Sql {
  const unsafe = (query: string, params?: unknown[], options?: object) => {
    const send = () => client.unsafe(query, params as never, options)
    const retries = READ.test(query) ? staleConnection : endedByServer
    const run = (use: (pending: ReturnType<Sql['unsafe']>) => Promise<unknown>) =>
      retriedOnStale(() => use(send()), retries)
    return {
      then: (ok?: (rows: unknown) => unknown, fail?: (error: unknown) => unknown) =>
        run((pending) => pending.then((rows) => rows)).then(ok, fail),
      values: () => run((pending) => pending.values().then((rows) => rows)),
    }
  }
  return new Proxy(client, {
    get: (target, property, receiver): unknown =>
      property === 'unsafe' ? unsafe : Reflect.get(target, property, receiver),
  })
}
