import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { recordAudit } from '../../data/audit.js'
import { unusedRecoveryCodes } from '../../data/second-factor.js'
import { endAllOfficialSessions, endOfficialSession, listOfficialSessions } from '../../data/sessions.js'
import passwordRoutes from './account-password.js'
import enrolmentRoutes from './account-second-factor.js'
import { FormInput, readQuery } from '../forms.js'
import { AccountQuery, EndSessionForm } from './schemas.js'
import { theOfficial } from '../../plugins/auth.js'

/** An official's own account: password, second factor, sessions. */
export default async function accountRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/account',
    {
      config: { action: 'account.own' },
      schema: { querystring: FormInput },
    },
    async (request, reply) => {
      const official = theOfficial(request)
      const query = readQuery(AccountQuery, request.query)
      const sessions = await listOfficialSessions(app.db, official.id, request.session.sessionId)
      return reply.header('Cache-Control', 'no-store').render('pages/official/account/index.hbs', {
        title: app.translate(request.lang, 'account.title'),
        me: { ...official, roleKey: `role.${official.role}` },
        sessions,
        others: sessions.some((s) => !s.current),
        recoveryLeft: official.enrolled ? await unusedRecoveryCodes(app.db, official.id) : undefined,
        doneKey: query.done && `account.done.${query.done}`,
        afterRecovery: query.recovery,
      })
    },
  )

  app.post(
    '/account/sessions/end',
    {
      config: { action: 'account.own' },
      schema: { body: EndSessionForm },
    },
    async (request, reply) => {
      const official = theOfficial(request)
      if (await endOfficialSession(app.db, official.id, request.body.session)) {
        await recordAudit(app.db, {
          officialId: official.id,
          actor: official.email,
          action: 'session.ended',
          object: `official:${official.id}`,
        })
      }
      return reply.redirect('/official/account?done=session', 303)
    },
  )

  app.post('/account/sessions/end-others', { config: { action: 'account.own' } }, async (request, reply) => {
    const official = theOfficial(request)
    const at = new Date()
    const ended = await endAllOfficialSessions(app.db, official.id, at, request.session.sessionId)
    request.session.startedAt = at.getTime()
    await recordAudit(app.db, {
      officialId: official.id,
      actor: official.email,
      action: 'session.ended',
      object: `official:${official.id}`,
      details: { count: ended },
    })
    return reply.redirect('/official/account?done=others', 303)
  })

  await app.register(passwordRoutes)
  await app.register(enrolmentRoutes)
}
