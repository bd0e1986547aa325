import { Type } from '@sinclair/typebox'
import { form, oneOf, SlugPath, textField, ticks } from '../schemas.js'

export { SlugPath }

/** A scanned letter arrives with its code in the address. */
export const CodeQuery = Type.Object({ code: textField(64) })
export const CodeForm = form({ code: textField(64) })
export const BallotForm = form({
  projects: ticks(12, 500),
  points: ticks(12, 500),
  intent: Type.Optional(oneOf(['check', 'submit'] as const)),
})

export const ReceiptQuery = Type.Object({ receipt: textField(64) })
export const ReceiptPath = Type.Object({ receipt: Type.String({ maxLength: 64 }) })
export const NewQuery = Type.Object({ new: textField(1) })
