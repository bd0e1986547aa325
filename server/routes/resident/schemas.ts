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

/** "View project" on the ballot names the project by its id; the route answers 404 for one not on the ballot. */
export const LookPath = Type.Object({ slug: Type.String(), id: Type.String({ maxLength: 12 }) })

export const ReceiptQuery = Type.Object({ receipt: textField(64) })
export const ReceiptPath = Type.Object({ receipt: Type.String({ maxLength: 64 }) })
export const NewQuery = Type.Object({ new: textField(1) })
