import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { changeAccount, inviteOfficial, listOfficialsForReview } from '../../data/accounts.js'
import { findOfficial } from '../../data/officials.js'
import { resetSecondFactor } from '../../data/second-factor.js'
import { accountChangeProblem, invitationExpiry, type AccountChange } from '../../domain/accounts.js'
import { isRole, ROLES } from '../../domain/permissions.js'
import { hashPassword, sha256, temporaryPassword } from '../../passwords.js'
import { fieldErrors, type FieldErrors } from '../forms.js'
import auditExportRoutes from './audit-export.js'
import reviewRoutes from './access-review.js'

interface InviteBody { name?: string; email?: string; role?: string; method?: string }

const METHODS = ['link', 'password'] as const

const inviteBody = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 120, pattern: '\\S' },
    email: { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' },
    role: { type: 'string', enum: [...ROLES] },
    method: { type: 'string', enum: [...METHODS] },
    _csrf: { type: 'string' },
  },
  required: ['name', 'email', 'role', 'method'],
} as const

const idParams = { type: 'object', properties: { official: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } }, required: ['official'] } as const
const CHANGES = ['deactivate', 'reactivate', 'reset-second-factor'] as const

/** Admins manage officials: invite, change role, deactivate and reactivate, reset a second factor. */
export default async function accountsRoutes(app: FastifyInstance) {
  async function renderList(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const me = request.official!
    const rows = await listOfficialsForReview(app.db)
    return reply.header('Cache-Control', 'no-store').render('pages/official/accounts/index.hbs', {
      title: app.translate(request.lang, 'accounts.title'),
      officials: rows.map((row) => ({ ...row, self: row.id === me.id, roles: ROLES })),
      roles: ROLES,
      methods: METHODS,
      form: { method: 'link', role: 'moderator' },
      ...extra,
    })
  }

  app.get('/accounts', { config: { action: 'officials.manage' } }, async (request, reply) => renderList(request, reply))

  app.post<{ Body: InviteBody }>('/accounts', { schema: { body: inviteBody }, attachValidation: true, config: { action: 'officials.manage' } }, async (request, reply) => {
    const body = (request.body ?? {})
    const form = { name: body.name?.slice(0, 120), email: body.email?.slice(0, 254), role: body.role, method: body.method }
    const refuse = (errors: FieldErrors) => renderList(request, reply.code(422), { form, errors })
    if (request.validationError) return refuse(fieldErrors(request.validationError.validation))
    const role = body.role
    if (!isRole(role)) return refuse({ role: 'form.invalid' })

    const person = { name: body.name!.trim(), email: body.email!.trim(), role }
    const token = randomBytes(32).toString('base64url')
    const password = temporaryPassword()
    const access = body.method === 'link'
      ? { kind: 'link' as const, tokenHash: sha256(token), expiresAt: invitationExpiry(new Date()) }
      : { kind: 'password' as const, passwordHash: await hashPassword(password) }
    const official = await inviteOfficial(app.db, request.official!, person, access)
    if (!official) return refuse({ email: 'accounts.emailTaken' })
    // The link or password is shown in this response only; the database keeps a hash.
    return reply.header('Cache-Control', 'no-store').render('pages/official/accounts/invited.hbs', {
      title: app.translate(request.lang, 'accounts.invited.title'),
      person,
      link: access.kind === 'link' ? `${app.publicUrl}/invite/${token}` : undefined,
      password: access.kind === 'password' ? password : undefined,
    })
  })

  async function change(request: FastifyRequest, reply: FastifyReply, targetId: number, what: AccountChange) {
    const me = request.official!
    const problem = what.kind === 'reset-second-factor'
      ? await resetOther(me, targetId)
      : await changeAccount(app.db, me, targetId, what)
    if (problem === 'accounts.unknown') return reply.callNotFound()
    if (problem) return renderList(request, reply.code(409), { messageKey: problem })
    return reply.redirect(`/official/accounts?done=${what.kind}`, 303)
  }

  /** An admin resets someone else's second factor (they enrol again at their next login). */
  async function resetOther(me: { id: number; email: string }, targetId: number) {
    const target = await findOfficial(app.db, targetId)
    if (!target) return 'accounts.unknown' as const
    const problem = accountChangeProblem(me.id, target, { kind: 'reset-second-factor' }, 1)
    if (problem) return problem
    await resetSecondFactor(app.db, me, target)
    return null
  }

  app.post<{ Params: { official: number }; Body: { role?: string } }>('/accounts/:official/role', {
    config: { action: 'officials.manage' },
    schema: { params: idParams, body: { type: 'object', properties: { role: { type: 'string', maxLength: 20 }, _csrf: { type: 'string' } } } },
  }, async (request, reply) => {
    const role = request.body.role
    if (!isRole(role)) return renderList(request, reply.code(422), { messageKey: 'form.invalid' })
    return change(request, reply, request.params.official, { kind: 'role', role })
  })

  app.post<{ Params: { official: number; change: (typeof CHANGES)[number] } }>('/accounts/:official/:change', {
    config: { action: 'officials.manage' },
    schema: { params: { ...idParams, properties: { ...idParams.properties, change: { type: 'string', enum: [...CHANGES] } }, required: ['official', 'change'] } },
  }, async (request, reply) => change(request, reply, request.params.official, { kind: request.params.change }))

  await app.register(reviewRoutes)
  await app.register(auditExportRoutes)
}
