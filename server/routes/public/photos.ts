import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { findVariant } from '../../data/photos.js'
import { parseVariantName, photosArePublic } from '../../domain/photos/rules.js'
import { allowed } from '../../plugins/auth.js'
import { sendPhoto } from '../photo-reply.js'
import { parseId } from '../schemas.js'
import { PhotoPath } from './schemas.js'

/**
 * A photo's bytes, by its id, its hash and the variant (`960.webp`). Only what the public may see:
 * the photo of an approved proposal, or of a progress update once the result is out. Everything
 * else names nothing (404), as the proposal's own page would.
 */
export default async function photoRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/photos/:photo/:hash/:variant', { schema: { params: PhotoPath } }, async (request, reply) => {
    const id = parseId(request.params.photo)
    const variant = parseVariantName(request.params.variant)
    const found =
      id !== null && variant && /^[0-9a-f]{16}$/.test(request.params.hash)
        ? await findVariant(app.db, id, request.params.hash, variant.width, variant.format)
        : undefined
    if (!found || !variant) return reply.callNotFound()
    request.round = found.round
    const visible =
      allowed(request, 'round.view') &&
      (found.progressUpdateId === null ? photosArePublic(found) : allowed(request, 'results.view'))
    if (!visible) return reply.callNotFound()
    return sendPhoto(request, reply, found, variant.format)
  })
}
