import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { HTMX_PATH } from '../assets.js'
import { fromRoot } from '../paths.js'

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)

interface Asset {
  type: string
  etag: string
  /** In the page's links, so a changed file has a new address and a year of caching is safe. */
  version: string
  identity: Buffer
  br: Buffer
  gzip: Buffer
}

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' }
const YEAR = 'public, max-age=31536000, immutable'
// An address without the current version (an old page, a hand-typed link) is checked again after an hour.
const HOUR = 'public, max-age=3600'

declare module 'fastify' {
  interface FastifyInstance {
    /** The versioned address of a file in static/, for links in pages. */
    assetUrl(name: string): string
  }
}

/** Compressed once, at start-up, as hard as brotli and gzip go: every later request only sends bytes. */
async function load(file: URL): Promise<Asset> {
  const identity = readFileSync(file)
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 16)
  const extension = /\.[^.]+$/.exec(file.pathname)?.[0] ?? ''
  return {
    type: TYPES[extension] ?? 'application/octet-stream',
    etag: `"${hash}"`,
    version: hash,
    identity,
    br: await brotli(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
    gzip: await gzip(identity, { level: zlib.constants.Z_BEST_COMPRESSION }),
  }
}

/** The best encoding the client accepts (a q=0 refuses it). */
function encodingFor(header: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Set((header ?? '').split(',').map((part) => part.trim().toLowerCase()).filter((part) => !/;\s*q=0(\.0*)?$/.test(part)).map((part) => part.split(';')[0]!))
  if (accepted.has('br')) return 'br'
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip'
  return 'identity'
}

function send(asset: Asset, request: FastifyRequest, reply: FastifyReply) {
  const versioned = (request.query as { v?: string }).v === asset.version || request.url.startsWith(HTMX_PATH)
  reply.header('Cache-Control', versioned ? YEAR : HOUR).header('ETag', asset.etag).header('Vary', 'Accept-Encoding').type(asset.type)
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send()
  const encoding = encodingFor(request.headers['accept-encoding'])
  if (encoding !== 'identity') reply.header('Content-Encoding', encoding)
  return reply.send(asset[encoding])
}

export default fp(async (app) => {
  const staticDir = fromRoot('static/')
  const names = readdirSync(staticDir).filter((name) => !name.startsWith('.'))
  const [htmx, ...files] = await Promise.all([
    load(fromRoot('node_modules/htmx.org/dist/htmx.min.js')),
    ...names.map((name) => load(new URL(name, staticDir))),
  ])
  const assets = new Map(names.map((name, i) => [name, files[i]!]))

  app.decorate('assetUrl', (name: string) => {
    const asset = assets.get(name)
    if (!asset) throw new Error(`no file static/${name}`)
    return `/static/${name}?v=${asset.version}`
  })
  // @fastify/compress stays out: these bytes are compressed already.
  app.get<{ Params: { name: string } }>('/static/:name', { compress: false, schema: { params: { type: 'object', properties: { name: { type: 'string', maxLength: 100 } }, required: ['name'] } } }, async (request, reply) => {
    const asset = assets.get(request.params.name)
    if (!asset) return reply.callNotFound()
    return send(asset, request, reply)
  })
  app.get(HTMX_PATH, { compress: false }, async (request, reply) => send(htmx, request, reply))
}, { name: 'static' })
