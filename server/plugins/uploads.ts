import fastifyMultipart from '@fastify/multipart'
import fp from 'fastify-plugin'
import { MAX_PHOTOS, MAX_UPLOAD_BYTES } from '../domain/photos/rules.js'

/** A file a form sent: its bytes, or only that it was larger than an upload may be (then it was not kept). */
export type Upload = { field: string; bytes: Buffer } | { field: string; tooLarge: true }

declare module 'fastify' {
  interface FastifyRequest {
    /** The files of a multipart form, in the order sent; empty file fields are left out. */
    uploads: Upload[] | null
  }
}

/** A multipart body that does not parse: the browser's fault, not ours. */
export class MalformedMultipartError extends Error {
  code = 'WB_MALFORMED_MULTIPART'
  statusCode = 400
  constructor() {
    super('malformed multipart body')
  }
}

// One more file than a form offers, so the rule (not the parser) says "at most three".
const LIMITS = { fileSize: MAX_UPLOAD_BYTES, files: MAX_PHOTOS + 1, fields: 100, fieldSize: 64 * 1024, parts: 110 }

/**
 * Multipart forms (photos), read as a stream with limits: a file over 10 MB is read to its limit and
 * dropped, so the form can re-render with everything else the resident typed. The text fields become
 * the body, as an ordinary form's, before the CSRF check reads it (this plugin's hook is added before
 * the security plugin's); only routes that declare multipart in `bodyTypes` get this far.
 */
export default fp(
  async (app) => {
    app.decorateRequest('uploads', null)
    await app.register(fastifyMultipart, { limits: LIMITS, throwFileSizeLimit: false })
    app.addHook('preValidation', async (request) => {
      if (!request.isMultipart()) return
      const body: Record<string, string | string[]> = {}
      const uploads: Upload[] = []
      try {
        for await (const part of request.parts({ limits: LIMITS })) {
          if (part.type === 'file') {
            const chunks: Buffer[] = []
            for await (const chunk of part.file) chunks.push(chunk as Buffer)
            if (part.file.truncated) uploads.push({ field: part.fieldname, tooLarge: true })
            else if (chunks.length > 0) uploads.push({ field: part.fieldname, bytes: Buffer.concat(chunks) })
          } else {
            const value = String(part.value)
            const had = body[part.fieldname]
            body[part.fieldname] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value]
          }
        }
      } catch (error) {
        // The parser's own limits say 413; a body that breaks off or names no boundary says nothing: 400.
        if ((error as { statusCode?: number }).statusCode) throw error
        throw new MalformedMultipartError()
      }
      request.body = body
      request.uploads = uploads
    })
  },
  { name: 'uploads' },
)
