import fastifySession from '@fastify/session'
import fp from 'fastify-plugin'
import type { Db } from '../../db/client.js'
import { deleteSession, loadSession, saveSession } from '../data/sessions.js'

declare module 'fastify' {
  interface Session {
    officialId?: number
  }
}

const EIGHT_HOURS = 8 * 60 * 60 * 1000

type Callback = (error?: unknown, result?: unknown) => void

/** A store on our own table: works on PGlite and on the server, and leaves no state in the process. */
function pgSessionStore(db: Db) {
  const settle = (promise: Promise<unknown>, callback: Callback) =>
    promise.then((result) => callback(null, result), (error) => callback(error))
  return {
    get: (sid: string, callback: Callback) => settle(loadSession(db, sid).then((data) => data ?? null), callback),
    set: (sid: string, session: { cookie: { expires?: Date | null } }, callback: Callback) =>
      settle(saveSession(db, sid, session, session.cookie.expires ?? new Date(Date.now() + EIGHT_HOURS)), callback),
    destroy: (sid: string, callback: Callback) => settle(deleteSession(db, sid), callback),
  }
}

export default fp<{ sessionSecret: string }>(async (app, opts) => {
  await app.register(fastifySession, {
    secret: opts.sessionSecret,
    cookieName: 'sid',
    store: pgSessionStore(app.db) as never,
    saveUninitialized: false,
    cookie: { secure: 'auto', httpOnly: true, sameSite: 'lax', maxAge: EIGHT_HOURS, path: '/' },
  })
}, { name: 'session', dependencies: ['db', 'security'] })
