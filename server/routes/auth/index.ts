import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { recordAudit } from '../../data/audit.js'
import { findOfficialByEmail, recordLogin } from '../../data/officials.js'
import { hitRateLimit } from '../../data/rate-limits.js'
import { deleteExpiredSessions } from '../../data/sessions.js'
import { SECURITY_LIMITS } from '../../domain/security/events.js'
import { dummyHash, verifyPassword } from '../../passwords.js'
import { safeRedirect } from '../../domain/security/redirect.js'
import { FormInput, readForm } from '../forms.js'
import { recordSignInFailure, signInThrottled } from '../../usecases/sign-in-throttle.js'
import { isKnownDevice, rememberDevice } from './known-device.js'
import invitationRoutes from './invitation.js'
import { LoginForm, NextQuery } from './schemas.js'
import secondFactorRoutes, { startSession } from './second-factor.js'
import { LOGIN_RATE_LIMIT } from '../schemas.js'

export default async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/login',
    {
      schema: { querystring: NextQuery },
    },
    async (request, reply) => {
      return reply.render('pages/auth/login.hbs', {
        title: app.translate(request.lang, 'login.title'),
        next: safeRedirect(request.query.next, ''),
      })
    },
  )

  app.post(
    '/login',
    {
      schema: { body: FormInput },
      config: { rateLimit: LOGIN_RATE_LIMIT },
    },
    async (request, reply) => {
      const read = readForm(LoginForm, request.body)
      const rerender = (status: number, errors: Record<string, string>, messageKey?: string) =>
        reply.code(status).render('pages/auth/login.hbs', {
          title: app.translate(request.lang, 'login.title'),
          email: read.typed.email.slice(0, 254),
          next: safeRedirect(request.body.next, ''),
          errors,
          messageKey,
          hasErrors: Boolean(messageKey || errors.email || errors.password),
        })
      if (!read.ok) return rerender(422, read.errors)

      const { email, password } = read.value
      const found = await findOfficialByEmail(app.db, email.trim())
      // A deactivated account, or one whose invitation was never used, logs in as little as an unknown one.
      const official = found?.active && found.passwordHash ? found : undefined
      const throttled = await signInThrottled(
        app.db,
        request.ip,
        official && { lockedUntil: official.lockedUntil, knownDevice: isKnownDevice(app, request, official.id) },
      )
      const passwordOk = await verifyPassword(official?.passwordHash ?? (await dummyHash()), password)

      if (!official || throttled || !passwordOk) {
        // A throttled attempt is not counted: waiting it out is all it takes, whoever keeps trying.
        const { accountThrottleStarted } = throttled
          ? { accountThrottleStarted: false }
          : await recordSignInFailure(app.db, request.ip, official?.id)
        await recordAudit(app.db, {
          officialId: found?.id ?? null,
          actor: found ? found.email : 'anonymous',
          action: accountThrottleStarted ? 'login.failed.locked' : 'login.failed',
          object: found ? `official:${found.id}` : 'official:unknown',
          details: {
            reason: !found ? 'unknown-email' : !official ? 'inactive' : throttled ? 'throttled' : 'wrong-password',
            origin: request.ip,
          },
        })
        const { count: failures } = await hitRateLimit(app.db, 'loginfail:all', SECURITY_LIMITS.loginWindowMs)
        if (failures === SECURITY_LIMITS.loginBurst) {
          await app.securityEvent({
            action: 'security.login-burst',
            officialId: null,
            actor: 'anonymous',
            object: 'login',
            origin: request.ip,
            details: { failures },
          })
        }
        // The same words for every failure, so the form never tells which e-mail addresses exist.
        return rerender(401, {}, 'login.failed')
      }

      await request.session.regenerate()
      const next = safeRedirect(read.value.next, '/official')
      if (official.totpEnabledAt) {
        request.session.pendingOfficialId = official.id
        request.session.pendingSince = Date.now()
        return reply.redirect(`/login/code?next=${encodeURIComponent(next)}`, 303)
      }
      startSession(request, official.id, undefined)
      rememberDevice(app, reply, official.id)
      await recordLogin(app.db, official, { secondFactor: 'none' })
      await deleteExpiredSessions(app.db)
      return reply.redirect(next, 303)
    },
  )

  app.post('/logout', async (request, reply) => {
    const official = request.official
    if (official) {
      await recordAudit(app.db, {
        officialId: official.id,
        actor: official.email,
        action: 'logout',
        object: `official:${official.id}`,
      })
    }
    await request.session.destroy()
    return reply.redirect('/', 303)
  })

  await app.register(secondFactorRoutes)
  await app.register(invitationRoutes)
}
