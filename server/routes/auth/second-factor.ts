import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { findOfficial, recordLogin } from '../../data/officials.js'
import { unusedRecoveryCodes } from '../../data/second-factor.js'
import { deleteExpiredSessions } from '../../data/sessions.js'
import { safeRedirect } from '../../domain/security/redirect.js'
import { sessionEnded } from '../../domain/access/second-factor.js'
import { FormInput, readForm } from '../forms.js'
import { verifySecondFactor } from '../shared/verify-code.js'
import { CodeForm, CodeQuery } from './schemas.js'
import { rememberDevice } from './known-device.js'
import { LOGIN_RATE_LIMIT } from '../schemas.js'

/** Time between a correct password and its code before the login starts over. */
const PENDING_MS = 10 * 60 * 1000

/** Turns a session into a signed-in one; the browser's name is kept for the official's list of sessions. */
export function startSession(request: FastifyRequest, officialId: number, verifiedAt: number | undefined) {
  const now = Date.now()
  request.session.officialId = officialId
  request.session.startedAt = now
  request.session.verifiedAt = verifiedAt
  request.session.seenAt = now
  request.session.device = String(request.headers['user-agent'] ?? '').slice(0, 200)
  delete request.session.pendingOfficialId
  delete request.session.pendingSince
}

export default async function secondFactorRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  /** Who is confirming a code: someone halfway through logging in, or a signed-in official asked again. */
  const whoIsConfirming = async (request: FastifyRequest) => {
    const { pendingOfficialId, pendingSince } = request.session
    const id =
      request.official?.id ??
      (pendingOfficialId !== undefined && pendingSince !== undefined && Date.now() - pendingSince < PENDING_MS
        ? pendingOfficialId
        : undefined)
    if (id === undefined) return undefined
    const official = await findOfficial(app.db, id)
    // A password accepted before the official's sessions were ended (say, by a password change) opens nothing.
    const ended = !request.official && sessionEnded(pendingSince, official?.sessionsValidAfter ?? null)
    return official?.active && official.totpEnabledAt && !ended ? official : undefined
  }

  const title = (request: FastifyRequest) => app.translate(request.lang, 'secondFactor.title')

  app.get('/login/code', { schema: { querystring: CodeQuery } }, async (request, reply) => {
    const official = await whoIsConfirming(request)
    if (!official) return reply.redirect('/login', 303)
    return reply.render('pages/auth/code.hbs', {
      title: title(request),
      next: safeRedirect(request.query.next, '/official'),
      stepUp: request.query.reason === 'step-up',
      again: request.official !== null,
    })
  })

  app.post(
    '/login/code',
    {
      schema: { body: FormInput },
      config: { rateLimit: LOGIN_RATE_LIMIT },
    },
    async (request, reply) => {
      const official = await whoIsConfirming(request)
      if (!official) return reply.redirect('/login', 303)
      const read = readForm(CodeForm, request.body)
      const next = safeRedirect(request.body.next, '/official')
      const recoveryOpen = request.body.recoveryCode !== undefined
      const result = !read.ok
        ? { ok: false as const, messageKey: 'secondFactor.wrong' }
        : await verifySecondFactor(
            app,
            request,
            official,
            read.value.recoveryCode !== undefined
              ? { recoveryCode: read.value.recoveryCode }
              : { code: read.value.code ?? '' },
          )
      if (!result.ok) {
        return reply.code(401).render('pages/auth/code.hbs', {
          title: title(request),
          next,
          again: request.official !== null,
          messageKey: result.messageKey,
          recoveryOpen,
        })
      }
      if (request.official) {
        request.session.verifiedAt = Date.now()
        request.session.seenAt = Date.now()
      } else {
        await request.session.regenerate()
        startSession(request, official.id, Date.now())
        rememberDevice(app, reply, official.id)
        await recordLogin(app.db, official, { secondFactor: result.via })
        await deleteExpiredSessions(app.db)
      }
      if (result.via === 'recovery-code') {
        // After a recovery code the official sees how many are left and can set up a new authenticator.
        const left = await unusedRecoveryCodes(app.db, official.id)
        return reply.redirect(`/official/account?recovery=${left}`, 303)
      }
      return reply.redirect(next, 303)
    },
  )
}
