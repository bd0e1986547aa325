import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hasAddressControl, hasFormControl } from '../domain/common/text.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The media types a route reads its body as; an HTML form's unless told. Only a route that a
     * client other than a browser's form posts to (a mail client's one-click request) names more.
     */
    bodyTypes?: readonly string[]
  }
}

export const FORM_TYPE = 'application/x-www-form-urlencoded'
const FORM_ONLY = [FORM_TYPE] as const

/** Input no page can use: refused before any route sees it, so nothing is stored and nothing fails later. */
export class ControlCharacterError extends Error {
  code = 'WB_CONTROL_CHARACTER'
  constructor(readonly statusCode: 400 | 422) {
    super('control character in the request')
  }
}

/** A body of a type the route does not read: refused before it is parsed. */
export class MediaTypeError extends Error {
  code = 'WB_MEDIA_TYPE'
  statusCode = 415
  constructor() {
    super('unsupported media type')
  }
}

const hasBody = (request: FastifyRequest) =>
  request.headers['transfer-encoding'] !== undefined ||
  (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0')

/** `Multipart/Form-Data; boundary=…` is `multipart/form-data`; a missing type is ''. */
const mediaType = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()

/**
 * A form's fields are texts or lists of texts (that is all the form parser makes). One level is
 * looked at, never more: anything else is left to the route's schema, which refuses it.
 */
function formHasControl(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false
  for (const field of Object.values(body)) {
    const values: unknown[] = Array.isArray(field) ? field : [field]
    if (values.some((value) => typeof value === 'string' && hasFormControl(value))) return true
  }
  return false
}

export default fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      if (hasAddressControl(request.url)) throw new ControlCharacterError(400)
      // GET and HEAD bodies are never read; a 404 says so whatever it was sent.
      if (request.method === 'GET' || request.method === 'HEAD' || request.is404 || !hasBody(request)) return
      const accepted = request.routeOptions.config.bodyTypes ?? FORM_ONLY
      if (!accepted.includes(mediaType(request))) throw new MediaTypeError()
    })
    app.addHook('preValidation', async (request) => {
      if (formHasControl(request.body)) throw new ControlCharacterError(422)
    })
  },
  { name: 'input', dependencies: ['errors'] },
)
