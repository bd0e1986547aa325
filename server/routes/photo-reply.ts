import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ServedVariant } from '../data/photos.js'
import type { VariantFormat } from '../domain/photos/rules.js'

const TYPES: Record<VariantFormat, string> = { webp: 'image/webp', jpeg: 'image/jpeg' }

/**
 * Sends a photo's bytes with their hash as ETag. The address carries the photo's hash, so a public
 * copy never changes: browsers keep it a year without asking. `privately`: an official's preview of a
 * photo the public may not see yet, which no shared cache may keep.
 */
export function sendPhoto(
  request: FastifyRequest,
  reply: FastifyReply,
  variant: ServedVariant,
  format: VariantFormat,
  privately = false,
) {
  const etag = `"${variant.etag}"`
  reply
    .header('ETag', etag)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', privately ? 'private, no-store' : 'public, max-age=31536000, immutable')
  const asked = request.headers['if-none-match']
  if (asked !== undefined && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))
    return reply.code(304).send()
  return reply.type(TYPES[format]).send(variant.bytes)
}
