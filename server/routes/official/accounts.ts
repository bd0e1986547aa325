import { randomBytes } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { inviteOfficial, listOfficialsForReview } from '../../data/accounts.js'
import { changeAccount } from '../../usecases/accounts.js'
import { findOfficial } from '../../data/officials.js'
import { resetSecondFactor } from '../../data/second-factor.js'
import {
  accountChangeProblem,
  invitationExpiry,
  INVITED_ROLE,
  type AccountChange,
} from '../../domain/access/accounts.js'
import { isRole, ROLES } from '../../domain/access/permissions.js'
import { hashPassword, sha256, temporaryPassword } from '../../passwords.js'
import { FormInput, readForm, type FieldErrors } from '../forms.js'
import auditExportRoutes from './audit-export.js'
import reviewRoutes from './access-review.js'
import { AccountChangePath, INVITE_METHODS, InviteForm, OfficialPath, RoleForm } from './schemas.js'
import { theOfficial, type SignedInOfficial } from '../../plugins/auth.js'

/** What a refused change or invitation adds to the list: the message, and the invitation as typed. */
interface ListExtra {
  messageKey?: string
  errors?: FieldErrors
  form?: { name?: string; email?: string; role?: string; method?: string }
}

/** Admins manage officials: invite, change role, deactivate and reactivate, reset a second factor. */
export default async function accountsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  async function renderList(request: FastifyRequest, reply: FastifyReply, extra: ListExtra = {}) {
    const me = theOfficial(request)
    const rows = await listOfficialsForReview(app.db)
    const form = extra.form ?? { method: 'link', role: INVITED_ROLE }
    return reply.header('Cache-Control', 'no-store').render('pages/official/accounts/index.hbs', {
      title: app.translate(request.lang, 'accounts.title'),
      officials: rows.map((row) => ({
        ...row,
        self: row.id === me.id,
        roleKey: `role.${row.role}`,
        roles: ROLES.map((role) => ({ value: role, key: `role.${role}`, selected: role === row.role })),
      })),
      roles: ROLES.map((role) => ({ value: role, key: `role.${role}`, checked: role === form.role })),
      methods: INVITE_METHODS.map((method) => ({
        value: method,
        key: `accounts.invite.methods.${method}`,
        checked: method === form.method,
      })),
      ...extra,
      form,
    })
  }

  app.get('/accounts', { config: { action: 'officials.manage' } }, async (request, reply) => renderList(request, reply))

  app.post(
    '/accounts',
    { schema: { body: FormInput }, config: { action: 'officials.manage' } },
    async (request, reply) => {
      const read = readForm(InviteForm, request.body)
      const { typed } = read
      const form = {
        name: typed.name.slice(0, 120),
        email: typed.email.slice(0, 254),
        role: typed.role.slice(0, 20),
        method: typed.method.slice(0, 20),
      }
      const refuse = (errors: FieldErrors) => renderList(request, reply.code(422), { form, errors })
      if (!read.ok) return refuse(read.errors)
      const { name, email, role, method } = read.value
      const person = { name: name.trim(), email: email.trim(), role }
      const token = randomBytes(32).toString('base64url')
      const password = temporaryPassword()
      const access =
        method === 'link'
          ? { kind: 'link' as const, tokenHash: sha256(token), expiresAt: invitationExpiry(new Date()) }
          : { kind: 'password' as const, passwordHash: await hashPassword(password) }
      const official = await inviteOfficial(app.db, theOfficial(request), person, access)
      if (!official) return refuse({ email: 'accounts.emailTaken' })
      // The link or password is shown in this response only; the database keeps a hash.
      return reply.header('Cache-Control', 'no-store').render('pages/official/accounts/invited.hbs', {
        title: app.translate(request.lang, 'accounts.invited.title'),
        person,
        link: access.kind === 'link' ? `${app.publicUrl}/invite/${token}` : undefined,
        password: access.kind === 'password' ? password : undefined,
      })
    },
  )

  async function change(request: FastifyRequest, reply: FastifyReply, targetId: number, what: AccountChange) {
    const me = theOfficial(request)
    const problem =
      what.kind === 'reset-second-factor'
        ? await resetOther(me, targetId)
        : await changeAccount(app.db, me, targetId, what)
    if (problem === 'accounts.unknown') return reply.callNotFound()
    if (problem) return renderList(request, reply.code(409), { messageKey: problem })
    return reply.redirect(`/official/accounts?done=${what.kind}`, 303)
  }

  /**
   * An admin resets someone else's second factor (they enrol again at their next login). It opens
   * an account to whoever knows its password, so only an admin with a second factor of their own,
   * confirmed in the last minutes (the route's step-up), may do it.
   */
  async function resetOther(me: SignedInOfficial, targetId: number) {
    const target = await findOfficial(app.db, targetId)
    if (!target) return 'accounts.unknown' as const
    const problem = accountChangeProblem(me.id, target, { kind: 'reset-second-factor' }, 1)
    if (problem) return problem
    if (!me.enrolled) return 'accounts.resetNeedsOwnFactor' as const
    await resetSecondFactor(app.db, me, target, new Date())
    return null
  }

  app.post(
    '/accounts/:official/role',
    {
      config: { action: 'officials.manage' },
      schema: { params: OfficialPath, body: RoleForm },
    },
    async (request, reply) => {
      const role = request.body.role
      if (!isRole(role)) return renderList(request, reply.code(422), { messageKey: 'form.invalid' })
      return change(request, reply, request.params.official, { kind: 'role', role })
    },
  )

  const freshCode = app.requireFreshSecondFactor(() => '/official/accounts')
  app.post(
    '/accounts/:official/:change',
    {
      config: { action: 'officials.manage' },
      schema: { params: AccountChangePath },
      preHandler: async function (request, reply) {
        if (request.params.change === 'reset-second-factor') return freshCode.call(this, request, reply)
      },
    },
    async (request, reply) => change(request, reply, request.params.official, { kind: request.params.change }),
  )

  await app.register(reviewRoutes)
  await app.register(auditExportRoutes)
}
