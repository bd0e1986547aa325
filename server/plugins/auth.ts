import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { findOfficial } from '../data/officials.js'
import type { Proposal, PublicProposal } from '../data/proposals.js'
import type { Round } from '../data/rounds.js'
import { canAtAll, type Action, type Actor, type Role } from '../domain/access/permissions.js'
import { officialGate, stepUpNeeded, type Gate } from '../domain/access/second-factor.js'
import { SecretBox } from '../secret-box.js'

export interface SignedInOfficial {
  id: number
  name: string
  email: string
  role: Role
  /** Whether the official has a confirmed second factor (TOTP). */
  enrolled: boolean
}

declare module 'fastify' {
  interface Session {
    officialId?: number
    /** Password accepted, code not yet: who is logging in, and since when (ms). */
    pendingOfficialId?: number
    pendingSince?: number
    /** When the second factor was last confirmed, and when the official last made a request (ms). */
    verifiedAt?: number
    seenAt?: number
    /** The browser the session was opened in, for the official's list of their sessions. */
    device?: string
  }
  interface FastifyRequest {
    official: SignedInOfficial | null
    /** What a signed-in official must do before anything else ('ok' when nothing). */
    officialGate: Gate
    /** What the path names, loaded by the route folder's guard before the handler runs. */
    round: Round | null
    proposal: Proposal | null
    publicProposal: PublicProposal | null
  }
  interface FastifyInstance {
    /** Before a sensitive action: a second-factor code confirmed in the last minutes, else back to `returnTo` after one. */
    requireFreshSecondFactor(returnTo: (request: FastifyRequest) => string): preHandlerAsyncHookHandler
    secretBox: SecretBox
    officialMfa: 'required' | 'optional'
  }
  interface FastifyContextConfig {
    /** The permission this route needs; its folder's guard asks the permission table about it. */
    action?: Action
  }
}

export class ForbiddenError extends Error {
  statusCode = 403
  code = 'FORBIDDEN'
}

/** Where each gate sends the official, and the only paths it leaves open. */
const GATE_PAGES: Record<Exclude<Gate, 'ok'>, string> = {
  'change-password': '/official/account/password',
  enrol: '/official/account/second-factor',
  verify: '/login/code',
}

/** Who is asking: the signed-in official's role, or a resident. */
export function actorOf(request: FastifyRequest): Actor {
  return request.official?.role ?? 'resident'
}

/** The round the guard loaded; a route under a round's path always has one. */
export function theRound(request: FastifyRequest): Round {
  if (!request.round) throw new Error(`no round loaded for ${request.routeOptions.url}`)
  return request.round
}

export function theProposal(request: FastifyRequest): Proposal {
  if (!request.proposal) throw new Error(`no proposal loaded for ${request.routeOptions.url}`)
  return request.proposal
}

export function thePublicProposal(request: FastifyRequest): PublicProposal {
  if (!request.publicProposal) throw new Error(`no proposal loaded for ${request.routeOptions.url}`)
  return request.publicProposal
}

/**
 * The official folder's admission, before any body is read: signed in, past the gate (a password
 * to change, an app to enrol, a code to confirm), and allowed `action` in some phase.
 */
export async function admitOfficial(request: FastifyRequest, reply: FastifyReply, action: Action) {
  const isPage = request.method === 'GET' || request.method === 'HEAD'
  if (!request.official) {
    // A page asks the person to log in; an action by someone not logged in is simply forbidden.
    if (!isPage) throw new ForbiddenError()
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303)
  }
  const gate = request.officialGate
  if (gate !== 'ok') {
    const page = GATE_PAGES[gate]
    if (request.url.split('?')[0]!.startsWith(page)) return
    if (!isPage) throw new ForbiddenError()
    return reply.redirect(gate === 'verify' ? `${page}?next=${encodeURIComponent(request.url)}` : page, 303)
  }
  if (!canAtAll(request.official.role, action)) throw new ForbiddenError()
}

export interface AuthOptions {
  sessionSecret: string
  officialMfa: 'required' | 'optional'
  idleMinutes: number
}

export default fp<AuthOptions>(
  async (app, opts) => {
    app.decorate('secretBox', new SecretBox(opts.sessionSecret))
    app.decorate('officialMfa', opts.officialMfa)
    app.decorateRequest('official', null)
    app.decorateRequest('officialGate', 'ok')
    app.decorateRequest('round', null)
    app.decorateRequest('proposal', null)
    app.decorateRequest('publicProposal', null)

    // The one place that decides who is signed in: a deactivated official's session is worth nothing.
    // Known before the body is read, so a guard on onRequest refuses a stranger's upload unread.
    app.addHook('onRequest', async (request: FastifyRequest) => {
      const id = request.session.officialId
      if (id === undefined) return
      const row = await findOfficial(app.db, id)
      if (!row || !row.active) return
      const now = Date.now()
      const enrolled = row.totpEnabledAt !== null
      request.official = { id: row.id, name: row.name, email: row.email, role: row.role, enrolled }
      request.officialGate = officialGate({
        mustChangePassword: row.mustChangePassword,
        enrolled,
        required: opts.officialMfa === 'required',
        seenAtMs: request.session.seenAt,
        nowMs: now,
        idleMinutes: opts.idleMinutes,
      })
      // An idle session keeps its old time until a code is confirmed, or the next request would pass.
      if (request.officialGate !== 'verify') request.session.seenAt = now
    })

    app.decorate(
      'requireFreshSecondFactor',
      (returnTo: (request: FastifyRequest) => string) => async (request: FastifyRequest, reply: FastifyReply) => {
        const official = request.official
        if (!official || !stepUpNeeded(official.enrolled, request.session.verifiedAt, Date.now())) return
        return reply.redirect(`/login/code?next=${encodeURIComponent(returnTo(request))}&reason=step-up`, 303)
      },
    )
  },
  { name: 'auth', dependencies: ['session'] },
)
