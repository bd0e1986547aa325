import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { findOfficial } from '../data/officials.js'
import type { Proposal, PublicProposal } from '../data/proposals.js'
import type { Round } from '../data/rounds.js'
import type { Comment } from '../data/comments.js'
import {
  can,
  canAtAll,
  isView,
  official,
  RESIDENT,
  type Action,
  type Actor,
  type Role,
  type Subject,
} from '../domain/access/permissions.js'
import { proposalIsTranslated } from '../domain/translations/texts.js'
import { phaseAt } from '../domain/rounds/phases.js'
import { officialGate, sessionEnded, stepUpNeeded, type Gate } from '../domain/access/second-factor.js'
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
    /** When the official signed in (ms), for their "sessions valid after" stamp. */
    startedAt?: number
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
    /** Who is asking, as the route folder's guard sees them: the signed-in official, or a resident. */
    actor: Actor
    /** What the path names, loaded by the route folder's guard before the handler runs. */
    round: Round | null
    proposal: Proposal | null
    publicProposal: PublicProposal | null
    /** A comment an official route names (/official/comments/:id). */
    comment: Comment | null
  }
  interface FastifyInstance {
    /** Before a sensitive action: a second-factor code confirmed in the last minutes, else back to `returnTo` after one. */
    requireFreshSecondFactor(returnTo: (request: FastifyRequest) => string): preHandlerAsyncHookHandler
    secretBox: SecretBox
    officialMfa: 'required' | 'optional'
  }
  interface FastifyContextConfig {
    /** The permission this route needs (or one of several); its folder's guard asks the permission table about it. */
    action?: Action | readonly Action[]
    /**
     * The answer when the guard refuses the action for the round the path names: a page that says
     * why (voting closed, proposals closed). Without one, a page to read does not exist (404) and
     * an action is forbidden (403).
     */
    refuse?: (request: FastifyRequest, reply: FastifyReply) => unknown
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

/** The signed-in official; the official folder's guard admits no one else. */
export function theOfficial(request: FastifyRequest): SignedInOfficial {
  if (!request.official) throw new Error(`no official signed in for ${request.routeOptions.url}`)
  return request.official
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

export function theComment(request: FastifyRequest): Comment {
  if (!request.comment) throw new Error(`no comment loaded for ${request.routeOptions.url}`)
  return request.comment
}

export function thePublicProposal(request: FastifyRequest): PublicProposal {
  if (!request.publicProposal) throw new Error(`no proposal loaded for ${request.routeOptions.url}`)
  return request.publicProposal
}

/**
 * The official folder's admission, before any body is read: signed in, past the gate (a password
 * to change, an app to enrol, a code to confirm), and allowed `action` in some phase.
 */
const anyOf = (action: Action | readonly Action[]): readonly Action[] =>
  typeof action === 'string' ? [action] : action

export async function admitOfficial(request: FastifyRequest, reply: FastifyReply, action: Action | readonly Action[]) {
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
  if (!anyOf(action).some((one) => canAtAll(request.actor, one))) throw new ForbiddenError()
}

/**
 * Whether the asker may do `action` now to what the guard loaded: the round in the phase it is in
 * at this moment, and the proposal where ownership matters. Also what a page's links are shown by.
 */
export function allowed(request: FastifyRequest, action: Action, now = new Date()): boolean {
  const proposal = request.proposal ?? request.publicProposal
  return allowedIn(request, theRound(request), action, now, {
    proposalId: proposal?.id,
    notPublic: proposal ? !proposalIsTranslated(proposal.status) : undefined,
  })
}

/** Whether the asker may do `action` in `round`, one of several a page lists (not the round the path names). */
export function allowedIn(
  request: FastifyRequest,
  round: Round,
  action: Action,
  now = new Date(),
  subject?: Subject,
): boolean {
  return can(request.actor, action, phaseAt(round, now), subject)
}

/** Whether the asker may do `action` in some round: the menus and pages not tied to one round. */
export function allowedAtAll(request: FastifyRequest, action: Action): boolean {
  return canAtAll(request.actor, action)
}

/** What any resident may do in `round` now: the links a page offers to the public. */
export function residentsMay(round: Round, action: Action, now = new Date()): boolean {
  return can(RESIDENT, action, phaseAt(round, now))
}

/**
 * The last step of every folder's guard, once what the path names is loaded: the route's declared
 * action, asked of the permission table once. Refused, the route's declared page answers; without
 * one, a page to read does not exist and an action is forbidden.
 */
export async function decide(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const { action, refuse } = request.routeOptions.config
  if (!action || !request.round || anyOf(action).some((one) => allowed(request, one))) return
  if (refuse) {
    await refuse(request, reply)
    return reply
  }
  if (!anyOf(action).every(isView) && request.actor.kind === 'official') throw new ForbiddenError()
  reply.callNotFound()
  return reply
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
    // Set on every request by the hook below (a decorated object would be shared by all requests).
    app.decorateRequest('actor', null as never)
    app.decorateRequest('round', null)
    app.decorateRequest('proposal', null)
    app.decorateRequest('publicProposal', null)
    app.decorateRequest('comment', null)

    // Who is signed in is decided where sessions exist (signedInPlugin below); elsewhere everyone is a resident.
    app.addHook('onRequest', (request, _reply, done) => {
      request.actor = RESIDENT
      done()
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
  { name: 'auth' },
)

/**
 * The one place that decides who is signed in, registered with the sessions (app.ts): a
 * deactivated official's session is worth nothing.
 */
export const signedInPlugin = fp<Pick<AuthOptions, 'officialMfa' | 'idleMinutes'>>(
  async (app, opts) => {
    // Known before the body is read, so a guard on onRequest refuses a stranger's upload unread.
    app.addHook('onRequest', async (request: FastifyRequest) => {
      const id = request.session.officialId
      if (id === undefined) return
      const row = await findOfficial(app.db, id)
      if (!row || !row.active) return
      // Ended elsewhere after it started: its row goes, and the browser goes on with an empty session (signed out).
      if (sessionEnded(request.session.startedAt, row.sessionsValidAfter)) return request.session.regenerate()
      const now = Date.now()
      const enrolled = row.totpEnabledAt !== null
      request.official = { id: row.id, name: row.name, email: row.email, role: row.role, enrolled }
      request.actor = official(row.role, row.id)
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
  },
  { name: 'signed-in', dependencies: ['auth', 'session'] },
)
