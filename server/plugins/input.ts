import fp from 'fastify-plugin'
import { hasAddressControl, hasFormControl } from '../domain/common/text.js'

/** Input no page can use: refused before any route sees it, so nothing is stored and nothing fails later. */
export class ControlCharacterError extends Error {
  code = 'WB_CONTROL_CHARACTER'
  constructor(readonly statusCode: 400 | 422) {
    super('control character in the request')
  }
}

function formHasControl(value: unknown): boolean {
  if (typeof value === 'string') return hasFormControl(value)
  if (Array.isArray(value)) return value.some(formHasControl)
  if (value !== null && typeof value === 'object') return Object.values(value).some(formHasControl)
  return false
}

export default fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      if (hasAddressControl(request.url)) throw new ControlCharacterError(400)
    })
    app.addHook('preValidation', async (request) => {
      if (formHasControl(request.body)) throw new ControlCharacterError(422)
    })
  },
  { name: 'input', dependencies: ['errors'] },
)
