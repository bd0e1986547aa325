/**
 * Whether an error means the database could not be reached (down, restarting, or the connection
 * the query went out on was ended by the server), as opposed to a fault in the query itself.
 */

/** Node's socket errors, postgres.js's own codes, and the SQLSTATEs of a server going away. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // admin_shutdown, crash_shutdown, cannot_connect_now (starting or stopping), database_dropped
  '57P01',
  '57P02',
  '57P03',
  '57P04',
  // too_many_connections: a full server is unreachable for the moment too
  '53300',
])

/** Class 08 is "connection exception" (08000, 08003, 08006, …). */
const CONNECTION_CLASS = /^08[0-9A-Z]{3}$/

function unreachable(error: unknown): boolean {
  const value = (error as { code?: unknown } | null)?.code
  return typeof value === 'string' && (UNREACHABLE.has(value) || CONNECTION_CLASS.test(value))
}

/** Drizzle wraps the driver's error as its cause; a connection refused on two addresses is an AggregateError. */
export function databaseUnavailable(error: unknown): boolean {
  let current = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (unreachable(current)) return true
    if (current instanceof AggregateError && current.errors.some(unreachable)) return true
    current = current.cause
  }
  return false
}

/**
 * The query went out on a pooled connection the server had already ended (a restart, a terminated
 * backend, a network device that dropped it): the connection is gone from the pool now, and the
 * same query on another connection may well succeed. A refused connect is not one of these.
 */
const STALE = new Set(['CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02'])

/** The driver's error, or drizzle's with the driver's as its cause, carries one of `codes`. */
function codedAs(error: unknown, codes: ReadonlySet<string>): boolean {
  return [error, (error as { cause?: unknown } | null)?.cause].some((e) => {
    const value = (e as { code?: unknown } | null)?.code
    return typeof value === 'string' && codes.has(value)
  })
}

export const staleConnection = (error: unknown): boolean => codedAs(error, STALE)

/** The server's own word that it ended the session: the statement it answered was not run. */
const ENDED_BY_SERVER = new Set(['57P01', '57P02'])

export const endedByServer = (error: unknown): boolean => codedAs(error, ENDED_BY_SERVER)

/** Seconds a client is asked to wait before trying again while the database is away. */
export const RETRY_AFTER_SECONDS = 60
