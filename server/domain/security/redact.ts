/**
 * What may go into a log line. Logs are read by more people than the database, and kept
 * elsewhere: no voting code, status token, contact detail or SQL parameter may reach them.
 */

const REPLACEMENTS: [RegExp, string][] = [
  // drizzle's "Failed query: … params: …" carries the statement's values: keep the statement, drop the values.
  [/(\bparams:)[^\n]*/gi, '$1 [redacted]'],
  // PostgreSQL's detail text quotes the offending values: "Key (email)=(a@b.nl) already exists".
  [/(\bKey \([^)]*\)=)\([^\n]*\)/g, '$1([redacted])'],
  [/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+/g, '[email]'],
  [/\/status\/[^\s/?"']+/g, '/status/…'],
  [/\?[^\s"']*/g, '?…'],
  // Letter codes (16 characters in groups of four) and receipts, with or without dashes.
  [/\b[2-9A-HJ-NP-Z]{4}(?:-?[2-9A-HJ-NP-Z]{4}){3}\b/g, '[code]'],
  [/\b[2-9A-HJ-NP-Z]{5}-?[2-9A-HJ-NP-Z]{5}\b/g, '[receipt]'],
  [/\+?\d[\d ()-]{6,}\d/g, '[number]'],
]

export function redact(text: string): string {
  return REPLACEMENTS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text)
}

/** Route parameters that are a secret or a code: a receipt, a status, invitation, follow or conversation key. */
const SECRET_PARAM = /:(receipt|token|secret|key|code)\b/

/**
 * The path a request log shows. A route whose address carries a secret or a code is logged by its
 * pattern (`/receipts/:receipt`); an address no route matched, which may hold anything a person
 * typed, only by its first segment (itself redacted). The query string never.
 */
export function loggedPath(url: string, route: string | undefined): string {
  const path = url.split('?')[0]!
  if (route !== undefined) return SECRET_PARAM.test(route) ? route : path
  const [, first = '/', rest] = /^(\/[^/]*)(\/.*)?$/.exec(path) ?? []
  return `${redact(first)}${rest ? '/…' : ''}`
}

export type LoggedError = {
  type: string
  message: string
  stack: string
  code?: string
  statusCode?: number
  /** PostgreSQL's error code (SQLSTATE) when a query failed: enough to know what went wrong. */
  sqlState?: string
  [key: string]: unknown
}

/** An error as a log may hold it: redacted message, stack frames only, codes kept, causes' texts left out. */
export function loggedError(error: unknown): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: redact(String(error)), stack: '' }
  const { code, statusCode, cause, query } = error as Error & {
    code?: unknown
    statusCode?: unknown
    cause?: { code?: unknown }
    query?: unknown
  }
  // drizzle keeps the statement apart from its parameters: log the statement alone.
  const message = typeof query === 'string' ? `Failed query: ${query}` : error.message
  // The stack's first lines repeat the message (values included); the frames say where.
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  const out: LoggedError = { type: error.name, message: redact(message), stack: redact(frames.join('\n')) }
  if (typeof code === 'string') out.code = code
  if (typeof statusCode === 'number') out.statusCode = statusCode
  if (cause && typeof cause === 'object' && typeof cause.code === 'string') out.sqlState = cause.code
  return out
}
