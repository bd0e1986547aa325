import { Type } from '@sinclair/typebox'
import { MAX_PASSWORD_LENGTH } from '../../domain/access/password-policy.js'
import { csrf, form, text } from '../schemas.js'

export const NextQuery = Type.Object({ next: text(2000) })

export const LoginForm = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  next: text(2000),
  ...csrf,
})

/** Typed passwords are bounded generously: the policy's own message says what is too long. */
const typedPassword = text(MAX_PASSWORD_LENGTH * 4)

export const TokenPath = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) })
export const NewPasswordForm = form({ password: typedPassword, repeat: typedPassword })

export const CodeQuery = Type.Object({ next: text(2000), reason: text(20) })
export const CodeForm = form({ code: text(20), recoveryCode: text(40), next: text(2000) })
