import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { acceptInvitation, findInvitation } from '../../data/accounts.js'
import { recordAudit } from '../../data/audit.js'
import { recordLogin } from '../../data/officials.js'
import { invitationProblem } from '../../domain/access/accounts.js'
import { hashPassword, sha256 } from '../../passwords.js'
import { FormInput, readForm, type FieldErrors } from '../forms.js'
import { NewPasswordForm, TokenPath } from './schemas.js'
import { startSession } from './second-factor.js'
import { LOGIN_RATE_LIMIT } from '../schemas.js'

/** A one-time invitation link: the new official chooses a password and is signed in. */
export default async function invitationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  async function load(token: string) {
    const invitation = await findInvitation(app.db, sha256(token))
    const problem = invitation && !invitation.active ? 'invitation.unknown' : invitationProblem(invitation, new Date())
    return { invitation, problem }
  }

  const refused = (request: FastifyRequest, reply: FastifyReply, messageKey: string) =>
    reply
      .code(410)
      .header('Cache-Control', 'no-store')
      .render('pages/auth/invitation.hbs', {
        title: app.translate(request.lang, 'invitation.title'),
        messageKey,
      })

  const form = (request: FastifyRequest, reply: FastifyReply, name: string, errors: FieldErrors = {}) =>
    reply.header('Cache-Control', 'no-store').render('pages/auth/invitation.hbs', {
      title: app.translate(request.lang, 'invitation.title'),
      name,
      errors,
      action: request.url,
      open: true,
    })

  app.get('/invite/:token', { schema: { params: TokenPath } }, async (request, reply) => {
    const { invitation, problem } = await load(request.params.token)
    if (problem || !invitation) return refused(request, reply, problem ?? 'invitation.unknown')
    return form(request, reply, invitation.name)
  })

  app.post(
    '/invite/:token',
    {
      schema: { params: TokenPath, body: FormInput },
      config: { rateLimit: LOGIN_RATE_LIMIT },
    },
    async (request, reply) => {
      const { invitation, problem } = await load(request.params.token)
      if (problem || !invitation) {
        await recordAudit(app.db, {
          officialId: invitation?.officialId ?? null,
          actor: invitation?.email ?? 'anonymous',
          action: 'invitation.refused',
          object: invitation ? `official:${invitation.officialId}` : 'official:unknown',
          details: { reason: problem },
        })
        return refused(request, reply, problem ?? 'invitation.unknown')
      }
      const read = readForm(NewPasswordForm, request.body)
      if (!read.ok) return form(request, reply.code(422), invitation.name, { password: 'password.tooLong' })
      const { password = '', repeat = '' } = read.value
      const bad = app.checkPassword(password, invitation.email)
      if (bad || password !== repeat) {
        return form(
          request,
          reply.code(422),
          invitation.name,
          bad ? { password: bad } : { repeat: 'password.mismatch' },
        )
      }
      if (!(await acceptInvitation(app.db, invitation, await hashPassword(password)))) {
        return refused(request, reply, 'invitation.used')
      }
      await request.session.regenerate()
      startSession(request, invitation.officialId, undefined)
      await recordLogin(
        app.db,
        { id: invitation.officialId, email: invitation.email },
        { secondFactor: 'none', via: 'invitation' },
      )
      return reply.redirect('/official', 303)
    },
  )
}
