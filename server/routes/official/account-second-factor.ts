import { randomBytes } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findOfficial } from '../../data/officials.js'
import { confirmEnrolment, resetSecondFactor, startEnrolment } from '../../data/second-factor.js'
import { RECOVERY_CODE_COUNT, recoveryCodeFromBytes } from '../../domain/access/recovery-codes.js'
import { checkCode, groupsOfFour, otpauthUri, secretFromBytes } from '../../domain/access/totp.js'
import { sha256 } from '../../passwords.js'
import { FormInput, readForm } from '../forms.js'
import { verifySecondFactor } from '../shared/verify-code.js'
import { EnrolForm, RecoveryForm } from './schemas.js'
import { theOfficial } from '../../plugins/auth.js'
import { LOGIN_RATE_LIMIT } from '../schemas.js'

const ISSUER = 'Wijkbudget'

/** Enrolling an authenticator app, and replacing one with a recovery code. */
export default async function enrolmentRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  /** The pending secret, made once and kept (sealed) so a reload shows the same QR code. */
  async function pendingSecret(officialId: number): Promise<string> {
    const row = (await findOfficial(app.db, officialId))!
    if (row.totpSecret) return app.secretBox.open(row.totpSecret)
    const secret = secretFromBytes(randomBytes(20))
    await startEnrolment(app.db, officialId, app.secretBox.seal(secret))
    return secret
  }

  async function renderEnrol(request: FastifyRequest, reply: FastifyReply, messageKey?: string) {
    const official = theOfficial(request)
    const secret = await pendingSecret(official.id)
    // Loaded when an official enrols, not held by every instance.
    const { default: QRCode } = await import('qrcode')
    const qr = await QRCode.toDataURL(otpauthUri(secret, official.email, ISSUER), {
      margin: 2,
      width: 240,
      errorCorrectionLevel: 'M',
    })
    return reply.header('Cache-Control', 'no-store').render('pages/official/account/enrol.hbs', {
      title: app.translate(request.lang, 'enrol.title'),
      qr,
      secretGroups: groupsOfFour(secret),
      required: app.officialMfa === 'required',
      messageKey,
    })
  }

  app.get('/account/second-factor', { config: { action: 'account.own' } }, async (request, reply) => {
    if (theOfficial(request).enrolled) return reply.redirect('/official/account', 303)
    return renderEnrol(request, reply)
  })

  app.post(
    '/account/second-factor',
    {
      schema: { body: FormInput },
      config: { action: 'account.own' },
    },
    async (request, reply) => {
      const official = theOfficial(request)
      if (official.enrolled) return reply.redirect('/official/account', 303)
      const secret = await pendingSecret(official.id)
      const read = readForm(EnrolForm, request.body)
      const check = checkCode(secret, read.ok ? (read.value.code ?? '') : '', Date.now(), null)
      if (!check.ok) return renderEnrol(request, reply.code(422), 'enrol.wrong')

      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => recoveryCodeFromBytes(randomBytes(16)))
      if (!(await confirmEnrolment(app.db, official, check.step, codes.map(sha256))))
        return reply.redirect('/official/account', 303)
      // The account is worth more from here: a session id anyone saw before enrolment opens nothing.
      await request.session.regenerate(['officialId', 'startedAt', 'seenAt', 'device'])
      request.session.verifiedAt = Date.now()
      // Shown once, in this response only: only their hashes are stored.
      return reply.header('Cache-Control', 'no-store').render('pages/official/account/recovery-codes.hbs', {
        title: app.translate(request.lang, 'enrol.codesTitle'),
        codes,
      })
    },
  )

  app.post(
    '/account/second-factor/reset',
    {
      schema: { body: FormInput },
      config: {
        action: 'account.own',
        rateLimit: LOGIN_RATE_LIMIT,
      },
    },
    async (request, reply) => {
      const official = theOfficial(request)
      const row = (await findOfficial(app.db, official.id))!
      if (!row.totpEnabledAt) return reply.redirect('/official/account/second-factor', 303)
      const read = readForm(RecoveryForm, request.body)
      const result = await verifySecondFactor(app, request, row, {
        recoveryCode: read.ok ? (read.value.recoveryCode ?? '') : '',
      })
      if (!result.ok) {
        return reply
          .code(422)
          .header('Cache-Control', 'no-store')
          .render('pages/official/account/reset.hbs', {
            title: app.translate(request.lang, 'account.reset.title'),
            messageKey: result.messageKey,
          })
      }
      const at = new Date()
      await resetSecondFactor(app.db, official, official, at, request.session.sessionId)
      request.session.startedAt = at.getTime()
      delete request.session.verifiedAt
      return reply.redirect('/official/account/second-factor', 303)
    },
  )

  app.get('/account/second-factor/reset', { config: { action: 'account.own' } }, async (request, reply) =>
    reply
      .header('Cache-Control', 'no-store')
      .render('pages/official/account/reset.hbs', { title: app.translate(request.lang, 'account.reset.title') }),
  )
}
