import { Type } from '@sinclair/typebox'
import { csrf, text } from '../schemas.js'

export const NextQuery = Type.Object({ next: text(2000) })

export const LoginForm = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  next: text(2000),
  ...csrf,
})
