import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { changePassword, findOfficial } from '../../data/officials.js'
import { endAllOfficialSessions } from '../../data/sessions.js'
import { hashPassword, verifyPassword } from '../../passwords.js'
import { recordSignInFailure } from '../../usecases/sign-in-throttle.js'
import { FormInput, readForm, type FieldErrors } from '../forms.js'
import { PasswordChangeForm } from './schemas.js'
import { theOfficial } from '../../plugins/auth.js'
import { LOGIN_RATE_LIMIT } from '../schemas.js'

export default async function passwordRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const render = async (request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}) => {
    const row = await findOfficial(app.db, theOfficial(request).id)
    return reply.render('pages/official/account/password.hbs', {
      title: app.translate(request.lang, 'account.password.title'),
      temporary: row?.mustChangePassword ?? false,
      errors,
    })
  }

  app.get('/account/password', { config: { action: 'account.own' } }, async (request, reply) => render(request, reply))

  app.post(
    '/account/password',
    {
      schema: { body: FormInput },
      config: {
        action: 'account.own',
        rateLimit: LOGIN_RATE_LIMIT,
      },
    },
    async (request, reply) => {
      const official = theOfficial(request)
      // Passwords are never re-rendered: a refused form comes back with its fields empty.
      const read = readForm(PasswordChangeForm, request.body)
      if (!read.ok) return render(request, reply.code(422), { password: 'password.tooLong' })
      const { current = '', password = '', repeat = '' } = read.value
      const row = (await findOfficial(app.db, official.id))!
      const errors: FieldErrors = {}
      if (!row.passwordHash || !(await verifyPassword(row.passwordHash, current))) {
        await recordSignInFailure(app.db, request.ip, official.id)
        errors.current = 'account.password.currentWrong'
      }
      const problem = app.checkPassword(password, official.email)
      if (problem) errors.password = problem
      else if (password !== repeat) errors.repeat = 'password.mismatch'
      if (Object.keys(errors).length > 0) return render(request, reply.code(422), errors)

      await changePassword(app.db, official, await hashPassword(password))
      // Anyone who knew the old password is out; this browser stays signed in, as if it had started now.
      const at = new Date()
      await endAllOfficialSessions(app.db, official.id, at, request.session.sessionId)
      request.session.startedAt = at.getTime()
      return reply.redirect('/official/account?done=password', 303)
    },
  )
}
