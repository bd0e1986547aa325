import zlib from 'node:zlib'
import fastifyCompress from '@fastify/compress'
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Db } from '../db/client.js'
import { DEFAULT_MAP, DEMO_PRIVACY, type Config } from './config.js'
import { loggedError, loggedPath } from './domain/security/redact.js'
import authPlugin, { signedInPlugin } from './plugins/auth.js'
import closerPlugin from './plugins/closer.js'
import dailyMailsPlugin from './plugins/daily-mails.js'
import languageCountsPlugin from './plugins/language-counts.js'
import dbPlugin from './plugins/db.js'
import errorsPlugin from './plugins/errors.js'
import inputPlugin from './plugins/input.js'
import mailPlugin from './plugins/mail.js'
import metricsPlugin from './plugins/metrics.js'
import retentionPlugin from './plugins/retention.js'
import securityEventsPlugin from './plugins/security-events.js'
import securityPlugin from './plugins/security.js'
import sessionPlugin from './plugins/session.js'
import staticPlugin from './plugins/static.js'
import uploadsPlugin from './plugins/uploads.js'
import viewsPlugin from './plugins/views.js'
import authRoutes from './routes/auth/index.js'
import officialRoutes from './routes/official/index.js'
import publicRoutes from './routes/public/index.js'
import privacyRoutes from './routes/public/privacy.js'
import type { PasswordProblem } from './domain/access/password-policy.js'
import { passwordChecker, siteNames } from './passwords.js'
import residentRoutes from './routes/resident/index.js'

export type AppConfig = Pick<Config, 'sessionSecret' | 'codeKey' | 'publicUrl' | 'trustProxy'> &
  Partial<
    Pick<
      Config,
      | 'smtp'
      | 'mailPollMs'
      | 'officialMfa'
      | 'idleMinutes'
      | 'contactRetentionDays'
      | 'privacy'
      | 'metricsToken'
      | 'map'
    >
  >

declare module 'fastify' {
  interface FastifyInstance {
    /** Where residents reach the platform: links in mails and letters start here. */
    publicUrl: string
    /** A new password's problem for an official with `email`, or null; the site's own names count as easy to guess. */
    checkPassword(password: string, email: string): PasswordProblem | null
  }
}

// Query strings can carry voting codes, and a receipt's, a status page's, an invitation's, a follow's or a comment's
// path is its secret: such routes are logged by their pattern, unmatched addresses by their first segment (domain/redact.ts).
// An error's text can quote what a visitor typed or a query's parameters: it is redacted too.
export const serializers = {
  req: (request: { method: string; url: string; routeOptions?: { url?: string } }) => ({
    method: request.method,
    path: loggedPath(request.url, request.routeOptions?.url),
  }),
  err: loggedError,
}

/**
 * On a terminal each request is one short line (its message says it all) and the banner stays in
 * view; the collector's JSON keeps the fields. Errors still show their stack.
 */
export const PRETTY = {
  sync: true,
  translateTime: 'SYS:HH:MM:ss',
  ignore: 'pid,hostname,reqId,req,res,responseTime',
}

/**
 * One log entry per request, when it is answered: the redacted path, the status and how long it took
 * (Fastify writes two by default, on arrival and on completion). A 404 is said there too, without
 * Fastify's own line, which would quote the query string.
 */
class RequestLog extends LogController {
  override incomingRequest() {}
  override routeNotFound() {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const { method, path } = serializers.req(request)
    const ms = Math.round(reply.elapsedTime)
    const entry = { req: request, res: { statusCode: reply.statusCode }, responseTime: ms }
    const line = `${method} ${path} ${reply.statusCode} ${ms} ms`
    if (error) reply.log.error({ ...entry, err: error }, line)
    else reply.log.info(entry, line)
  }
}

/**
 * Logs are JSON lines for the municipality's log collector; on a terminal
 * (someone trying it out) pino-pretty makes them readable lines instead.
 * `to` is a terminal ('pretty'), a stream of our own (a test reading the lines) or stdout.
 */
async function logger(level: string | undefined, to: 'pretty' | NodeJS.WritableStream | undefined) {
  if (!level) return false
  // Both write synchronously (process.stdout is synchronous on Linux), so log lines keep their order with the banner.
  // pino-pretty is loaded only for a terminal: a server writing JSON does not hold it.
  const stream = to === 'pretty' ? (await import('pino-pretty')).default(PRETTY) : (to ?? process.stdout)
  return { level, serializers, stream }
}

const sizedFor = (buffer: Buffer, options: zlib.BrotliOptions): zlib.BrotliOptions => ({
  ...options,
  params: { ...options.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buffer.length },
})

export async function buildApp(
  config: AppConfig,
  db: Db,
  logLevel?: string,
  logTo?: 'pretty' | NodeJS.WritableStream,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: await logger(logLevel, logTo),
    logController: new RequestLog(),
    trustProxy: config.trustProxy,
    bodyLimit: 100 * 1024,
  })

  // Ecosystem and own plugins, in dependency order.
  // Residents are often on mobile data: pages and htmx go out compressed.
  await app.register(fastifyCompress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
    // Told each page's size, brotli sizes its tables to the page instead of to its 4 MB default window:
    // a quarter less time per page made for one visitor (bench:pages, code entry).
    zlib: {
      brotliCompressSync: (buffer: Buffer, options: zlib.BrotliOptions) =>
        zlib.brotliCompressSync(buffer, sizedFor(buffer, options)),
    },
  })
  await app.register(dbPlugin, { db })
  app.decorate('publicUrl', config.publicUrl)
  app.decorate('checkPassword', passwordChecker(siteNames(config.privacy ?? DEMO_PRIVACY)))
  const map = config.map ?? DEFAULT_MAP
  // Before the security plugin: a multipart form's _csrf field must be in the body when the token is checked.
  await app.register(uploadsPlugin)
  await app.register(securityPlugin, { sessionSecret: config.sessionSecret, publicUrl: config.publicUrl, map })
  await app.register(authPlugin, {
    sessionSecret: config.sessionSecret,
    officialMfa: config.officialMfa ?? 'optional',
    idleMinutes: config.idleMinutes ?? 30,
  })
  await app.register(staticPlugin)
  await app.register(viewsPlugin, { map })
  await app.register(errorsPlugin)
  await app.register(inputPlugin)
  await app.register(mailPlugin, { smtp: config.smtp, pollMs: config.mailPollMs ?? 5000 })
  const contactRetentionDays = config.contactRetentionDays ?? 90
  await app.register(retentionPlugin, { contactRetentionDays })
  await app.register(closerPlugin)
  await app.register(languageCountsPlugin)
  await app.register(dailyMailsPlugin)
  await app.register(securityEventsPlugin)
  await app.register(metricsPlugin, { token: config.metricsToken })

  // A voter is known by the signed cookie of the code they entered, never by a session: the voting pages live
  // outside the sessions' context, so a resident's request makes, signs and stores no session.
  await app.register(residentRoutes, { codeKey: config.codeKey })
  // Everything else may meet a signed-in official (whose public pages show their menu).
  await app.register(async (withSessions) => {
    await withSessions.register(sessionPlugin, { sessionSecret: config.sessionSecret, publicUrl: config.publicUrl })
    await withSessions.register(signedInPlugin, {
      officialMfa: config.officialMfa ?? 'optional',
      idleMinutes: config.idleMinutes ?? 30,
    })
    await withSessions.register(publicRoutes)
    await withSessions.register(privacyRoutes, { privacy: config.privacy ?? DEMO_PRIVACY, contactRetentionDays })
    await withSessions.register(authRoutes)
    await withSessions.register(officialRoutes, { prefix: '/official', codeKey: config.codeKey })
  })
  return app
}
