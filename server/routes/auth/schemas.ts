import { Type } from '@sinclair/typebox'
import { MAX_PASSWORD_LENGTH } from '../../domain/access/password-policy.js'
import { csrf, form, textField } from '../schemas.js'

export const NextQuery = Type.Object({ next: textField(2000) })

export const LoginForm = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  next: textField(2000),
  ...csrf,
})

/** Typed passwords are bounded generously: the policy's own message says what is too long. */
const typedPassword = textField(MAX_PASSWORD_LENGTH * 4)

export const TokenPath = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) })
export const NewPasswordForm = form({ password: typedPassword, repeat: typedPassword })

export const CodeQuery = Type.Object({ next: textField(2000), reason: textField(20) })
export const CodeForm = form({ code: textField(20), recoveryCode: textField(40), next: textField(2000) })
