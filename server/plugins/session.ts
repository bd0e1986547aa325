import { randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Db } from '../../db/client.js'
import { deleteSession, loadSession, saveSession } from '../data/sessions.js'
import { hostCookie } from './security.js'

declare module 'fastify' {
  /** What a session carries; auth.ts adds the sign-in's fields. */
  interface Session {
    officialId?: number
  }
  interface FastifyRequest {
    session: Session & SessionHandle
  }
}

interface SessionHandle {
  /** The id in the table; made when first asked for, so a visitor who saves nothing costs no id. */
  readonly sessionId: string
  /** A new id for what the session carries (`keys` only, when given); the old row is deleted. */
  regenerate(keys?: string[]): Promise<void>
  /** Deletes the row; the browser goes on with an empty session. */
  destroy(): Promise<void>
}

const EIGHT_HOURS = 8 * 60 * 60 * 1000

/**
 * A session in our own table, made lazily: a request without a session cookie creates, signs and
 * stores nothing until something is written into it (most public pages never do). A session that
 * came from the table is only ever updated, never inserted: a request still running when it was
 * ended (a password change, "end other sessions") must not write it back.
 */
class TableSession implements SessionHandle {
  private id: string | undefined
  private stored: boolean

  constructor(
    private readonly db: Db,
    loaded?: { sid: string; data: Record<string, unknown> },
  ) {
    this.id = loaded?.sid
    this.stored = loaded !== undefined
    // Rows written by @fastify/session also hold its cookie's settings, which are no part of the session.
    if (loaded) Object.assign(this, { ...loaded.data, cookie: undefined })
  }

  get sessionId(): string {
    return (this.id ??= randomBytes(24).toString('base64url'))
  }

  /** What the session carries: every own field but the handle's. */
  data(): Record<string, unknown> {
    const { db: _db, id: _id, stored: _stored, ...data } = this as unknown as Record<string, unknown>
    return data
  }

  async regenerate(keys?: string[]): Promise<void> {
    const kept = keys ? Object.fromEntries(keys.map((k) => [k, this.data()[k]])) : {}
    if (this.stored) await deleteSession(this.db, this.id!)
    for (const key of Object.keys(this.data())) delete (this as unknown as Record<string, unknown>)[key]
    Object.assign(this, kept)
    this.id = undefined
    this.stored = false
  }

  destroy(): Promise<void> {
    return this.regenerate([])
  }

  /**
   * Saved when it carries something: a loaded one every time (its expiry moves on), a new one only then.
   * Returns whether it was (and its cookie set).
   */
  async save(reply: FastifyReply, cookieName: string): Promise<boolean> {
    const data = this.data()
    if (!this.stored && Object.values(data).every((value) => value === undefined)) return false
    const expires = new Date(Date.now() + EIGHT_HOURS)
    await saveSession(this.db, this.sessionId, data, expires, this.stored)
    reply.setCookie(cookieName, this.sessionId, {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: reply.server.secureCookies,
      path: '/',
      expires,
    })
    return true
  }
}

export default fp<{ publicUrl: string }>(
  async (app, opts) => {
    const cookieName = hostCookie('sid', opts.publicUrl.startsWith('https:'))
    app.decorateRequest('session', null as never)
    app.addHook('onRequest', async (request: FastifyRequest) => {
      const raw = request.cookies[cookieName]
      const unsigned = raw ? request.unsignCookie(raw) : undefined
      const sid = unsigned?.valid ? unsigned.value : null
      const data = sid ? ((await loadSession(app.db, sid)) as Record<string, unknown> | undefined) : undefined
      request.session = new TableSession(app.db, sid && data ? { sid, data } : undefined)
    })
    app.addHook('onSend', async (request, reply) => {
      // Null when the request was answered before the session was read (a refused onRequest hook).
      const session = request.session as unknown as TableSession | null
      const saved = session ? await session.save(reply, cookieName) : false
      // A cookie that names no session any more (ended, expired, signed out) goes.
      if (!saved && request.cookies[cookieName]) reply.clearCookie(cookieName, { path: '/' })
    })
  },
  { name: 'session', dependencies: ['db', 'security'] },
)
