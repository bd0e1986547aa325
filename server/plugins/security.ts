import fastifyCookie from '@fastify/cookie'
import csrfTokens from '@fastify/csrf'
import fastifyCsrf from '@fastify/csrf-protection'
import fastifyFormbody from '@fastify/formbody'
import fastifyRateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet from 'helmet'
import type { Db } from '../../db/client.js'
import type { MapConfig } from '../config.js'
import { hitRateLimit } from '../data/rate-limits.js'
import { isPrivatePath } from '../domain/security/events.js'

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Rate-limit counters live in PostgreSQL so every app instance sees the same count. */
function pgStore(db: Db) {
  return class PgRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ) {
      hitRateLimit(db, key, timeWindow).then(
        ({ count, resetAt }) => callback(null, { current: count, ttl: Math.max(0, resetAt.getTime() - Date.now()) }),
        (error: Error) => callback(error),
      )
    }
    child(): FastifyRateLimitStore {
      return this
    }
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * False only where a secret in the path is the proof and a mail client posts without a form:
     * RFC 8058's one-click unsubscribe carries no cookie and no token.
     */
    csrf?: false
  }
  interface FastifyReply {
    /** This visitor's CSRF token for a form that posts; sets the signed cookie with its secret on a first visit. */
    csrfToken(): string
  }
  interface FastifyInstance {
    /** True when PUBLIC_URL is https: every cookie is then Secure, whatever a proxy says about the request. */
    secureCookies: boolean
  }
}

/** The headers a Helmet middleware sets (none of ours depends on the request). */
export function headersOf(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void,
): [string, string | number | readonly string[]][] {
  const headers = new Map<string, string | number | readonly string[]>()
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, value),
    removeHeader: (name: string) => headers.delete(name),
  }
  middleware({} as IncomingMessage, res as unknown as ServerResponse, (error) => {
    if (error) throw new Error('Helmet refused its options', { cause: error })
  })
  return [...headers]
}

const PLAIN_SEGMENT = /^[\w.~-]*$/

/**
 * What a CSP source needs to allow `url` (a tile template or the geocoder): its host (a `{s}`
 * subdomain as `*.`) and the plain part of its path before the first placeholder, so the page may
 * load the map's pictures and nothing else from that host. A path without placeholders is allowed
 * exactly; a segment with other characters (EPSG:3857) ends the prefix.
 */
export function cspSource(url: string): string {
  const parsed = new URL(url.replaceAll(/\{[^}]*\}/g, 'x-placeholder-x'))
  const host = parsed.host.replace(/^[^.]*x-placeholder-x[^.]*\./, '*.')
  const segments = parsed.pathname.split('/').slice(1)
  const stop = segments.findIndex((segment) => segment.includes('x-placeholder-x') || !PLAIN_SEGMENT.test(segment))
  const path =
    stop < 0
      ? parsed.pathname
      : `/${segments
          .slice(0, stop)
          .map((segment) => `${segment}/`)
          .join('')}`
  return `${parsed.protocol}//${host}${path}`
}

/** An onSend hook: every cookie the answer sets is marked Secure (a TLS-terminating proxy may say http). */
export async function secureEveryCookie(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const cookies = reply.getHeader('set-cookie')
  if (cookies === undefined) return
  const secured = (Array.isArray(cookies) ? cookies : [String(cookies)]).map((c) =>
    /;\s*secure\s*(;|$)/i.test(c) ? c : `${c}; Secure`,
  )
  // reply.header adds to set-cookie rather than replacing it.
  reply.removeHeader('set-cookie')
  reply.header('set-cookie', secured)
}

/** A cookie named `__Host-…` is refused by browsers unless it is Secure, for the whole site, for this host only. */
export const hostCookie = (name: string, overHttps: boolean) => (overHttps ? `__Host-${name}` : name)

export default fp<{ sessionSecret: string; publicUrl: string; map: MapConfig }>(
  async (app, opts) => {
    const overHttps = opts.publicUrl.startsWith('https:')
    app.decorate('secureCookies', overHttps)
    await app.register(fastifyCookie, { secret: opts.sessionSecret })
    await app.register(fastifyFormbody)
    // Every page posts an HTML form: no route reads JSON or plain text, so neither is ever parsed.
    app.removeContentTypeParser(['application/json', 'text/plain'])
    // Helmet's middleware is made once here; @fastify/helmet made it again on every request (5 % of a page's CPU).
    const securityHeaders = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', cspSource(opts.map.tilesUrl)],
          connectSrc: ["'self'", cspSource(opts.map.geocoderUrl)],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          upgradeInsecureRequests: overHttps ? [] : null,
        },
      },
      strictTransportSecurity: overHttps,
    })
    // Helmet decides the headers; they are the same for every request, so they are asked of it once and set as they are.
    const headers = headersOf(securityHeaders)
    app.addHook('onRequest', (_request, reply, done) => {
      for (const [name, value] of headers) reply.raw.setHeader(name, value)
      done()
    })
    const csrfCookie = hostCookie('csrf', overHttps)
    const csrfCookieOpts = { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: overHttps } as const
    await app.register(fastifyCsrf, { cookieKey: csrfCookie, cookieOpts: csrfCookieOpts })
    // The library's default tokens (as fastifyCsrf makes them above), so its check accepts what this makes.
    const tokens = csrfTokens()
    app.decorateReply('csrfToken', function (this: FastifyReply) {
      if (this.request.cookies[csrfCookie] !== undefined) return this.generateCsrf()
      // A first visit has no secret yet: the library would still check the absent cookie's signature (an HMAC of nothing).
      const secret = tokens.secretSync()
      this.setCookie(csrfCookie, secret, csrfCookieOpts)
      return tokens.create(secret)
    })
    // With an https PUBLIC_URL every cookie leaves Secure, whatever the proxy says. The sessions' context adds this
    // hook again after its own (plugins/session.ts): pages without sessions get it here.
    if (overHttps) app.addHook('onSend', secureEveryCookie)
    // Official pages and pages with contact details, a status token or a ballot never go into a shared or back-button cache.
    app.addHook('onSend', async (request, reply) => {
      if (isPrivatePath(request.url.split('?')[0]!)) reply.header('Cache-Control', 'no-store')
    })
    // Checked after the body is parsed, so a plain form's hidden _csrf field counts.
    app.addHook('preValidation', (request, reply, done) => {
      if (UNSAFE_METHODS.has(request.method) && request.routeOptions.config.csrf !== false)
        app.csrfProtection(request, reply, done)
      else done()
    })
    await app.register(fastifyRateLimit, { global: false, store: pgStore(app.db) })
  },
  { name: 'security', dependencies: ['db'] },
)
