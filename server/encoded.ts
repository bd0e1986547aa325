import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)

/** Bytes compressed once, as hard as brotli and gzip go, so every later request only sends them. */
export interface Encoded {
  etag: string
  /** A short hash of the bytes, for addresses that change when the bytes do. */
  hash: string
  identity: Buffer
  br: Buffer
  gzip: Buffer
}

export async function encode(identity: Buffer): Promise<Encoded> {
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 16)
  const [br, gz] = await Promise.all([
    brotli(identity, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
        // A window no larger than the bytes: the best quality's memory grows with the window, not with the page.
        [zlib.constants.BROTLI_PARAM_LGWIN]: Math.min(
          zlib.constants.BROTLI_MAX_WINDOW_BITS,
          Math.max(zlib.constants.BROTLI_MIN_WINDOW_BITS, Math.ceil(Math.log2(identity.length + 1))),
        ),
      },
    }),
    gzip(identity, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ])
  return { etag: `"${hash}"`, hash, identity, br, gzip: gz }
}

/** The best encoding the client accepts (a q=0 refuses it). */
export function encodingFor(header: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => !/;\s*q=0(\.0*)?$/.test(part))
      .map((part) => part.split(';')[0]!),
  )
  if (accepted.has('br')) return 'br'
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip'
  return 'identity'
}

/** Sends the encoding the client asks for, or 304 when it holds these bytes already. Set the type and caching first. */
export function sendEncoded(request: FastifyRequest, reply: FastifyReply, body: Encoded) {
  reply.header('ETag', body.etag)
  if (request.headers['if-none-match'] === body.etag) return reply.code(304).send()
  const encoding = encodingFor(request.headers['accept-encoding'])
  // @fastify/compress leaves a reply alone that says how it is encoded.
  if (encoding !== 'identity') reply.header('Content-Encoding', encoding)
  return reply.send(body[encoding])
}
