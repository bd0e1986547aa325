import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hostCookie } from '../../plugins/security.js'

/** How long a browser stays known after a complete sign-in there. */
const KNOWN_DAYS = 90
const KNOWN_MS = KNOWN_DAYS * 24 * 60 * 60 * 1000

const cookieName = (app: FastifyInstance) => hostCookie('device', app.secureCookies)

/**
 * A browser an official completed a sign-in on (password and, where enrolled, second factor) gets
 * a signed cookie naming them. From there the account's throttle does not apply: someone who only
 * knows the address cannot keep its owner out.
 */
export function rememberDevice(app: FastifyInstance, reply: FastifyReply, officialId: number) {
  reply.setCookie(cookieName(app), `${officialId}.${Date.now()}`, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: app.secureCookies,
    maxAge: KNOWN_DAYS * 24 * 60 * 60,
  })
}

export function isKnownDevice(app: FastifyInstance, request: FastifyRequest, officialId: number): boolean {
  const raw = request.cookies[cookieName(app)]
  if (!raw) return false
  const unsigned = request.unsignCookie(raw)
  if (!unsigned.valid || unsigned.value === null) return false
  const [id, issuedAt] = unsigned.value.split('.').map(Number)
  return id === officialId && Date.now() - issuedAt! < KNOWN_MS
}
