import fastifySession from '@fastify/session'
import fp from 'fastify-plugin'
import type { Db } from '../../db/client.js'
import { deleteSession, loadSession, saveSession } from '../data/sessions.js'
import { hostCookie, secureEveryCookie } from './security.js'

declare module 'fastify' {
  interface Session {
    officialId?: number
  }
}

const EIGHT_HOURS = 8 * 60 * 60 * 1000

type Callback = (error?: unknown, result?: unknown) => void

/** Marks a session that came from the table: saving it again may only update its row, never bring it back. */
const STORED = 'stored'

/** A store on our own table: works on PGlite and on the server, and leaves no state in the process. */
function pgSessionStore(db: Db) {
  const settle = (promise: Promise<unknown>, callback: Callback) =>
    void promise.then(
      (result) => callback(null, result),
      (error) => callback(error),
    )
  return {
    get: (sid: string, callback: Callback) =>
      settle(
        loadSession(db, sid).then((data) => (data ? { ...data, [STORED]: true } : null)),
        callback,
      ),
    set: (sid: string, session: { cookie: { expires?: Date | null }; [STORED]?: boolean }, callback: Callback) => {
      const { [STORED]: existing = false, ...data } = session
      const expires = session.cookie.expires ?? new Date(Date.now() + EIGHT_HOURS)
      settle(saveSession(db, sid, data, expires, existing), callback)
    },
    destroy: (sid: string, callback: Callback) => settle(deleteSession(db, sid), callback),
  }
}

export default fp<{ sessionSecret: string; publicUrl: string }>(
  async (app, opts) => {
    const overHttps = opts.publicUrl.startsWith('https:')
    await app.register(fastifySession, {
      secret: opts.sessionSecret,
      cookieName: hostCookie('sid', overHttps),
      store: pgSessionStore(app.db) as never,
      saveUninitialized: false,
      // Left false here: the session library would drop a Secure cookie on a request that reached us over http
      // from a TLS-terminating proxy. The hook below marks every cookie Secure instead.
      cookie: { secure: false, httpOnly: true, sameSite: 'lax', maxAge: EIGHT_HOURS, path: '/' },
    })
    // Runs after the session's own hook: with an https PUBLIC_URL its cookie leaves Secure too, whatever the proxy says.
    if (overHttps) app.addHook('onSend', secureEveryCookie)
  },
  { name: 'session', dependencies: ['db', 'security'] },
)
