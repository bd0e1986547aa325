import { readdirSync, readFileSync } from 'node:fs'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { HTMX_PATH, LEAFLET_CSS_PATH, LEAFLET_JS_PATH } from '../assets.js'
import { encode, sendEncoded, type Encoded } from '../encoded.js'
import { fromRoot } from '../paths.js'

interface Asset extends Encoded {
  type: string
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
}
const YEAR = 'public, max-age=31536000, immutable'
// An address without the current version (an old page, a hand-typed link) is checked again after an hour.
const HOUR = 'public, max-age=3600'

declare module 'fastify' {
  interface FastifyInstance {
    /** The versioned address of a file in static/, for links in pages. */
    assetUrl(name: string): string
  }
}

/** Compressed once, at start-up: the address carries the hash, so a changed file has a new address and a year of caching is safe. */
async function load(file: URL): Promise<Asset> {
  const extension = /\.[^.]+$/.exec(file.pathname)?.[0] ?? ''
  return { type: TYPES[extension] ?? 'application/octet-stream', ...(await encode(readFileSync(file))) }
}

function send(asset: Asset, request: FastifyRequest, reply: FastifyReply) {
  // Files under /vendor/ carry their package's version in the path.
  const versioned = (request.query as { v?: string }).v === asset.hash || request.url.startsWith('/vendor/')
  reply
    .header('Cache-Control', versioned ? YEAR : HOUR)
    .header('Vary', 'Accept-Encoding')
    .type(asset.type)
  return sendEncoded(request, reply, asset)
}

export default fp(
  async (app) => {
    const staticDir = fromRoot('static/')
    const names = readdirSync(staticDir).filter((name) => !name.startsWith('.'))
    const [htmx, leafletJs, leafletCss, ...files] = await Promise.all([
      load(fromRoot('node_modules/htmx.org/dist/htmx.min.js')),
      load(fromRoot('node_modules/leaflet/dist/leaflet.js')),
      load(fromRoot('node_modules/leaflet/dist/leaflet.css')),
      ...names.map((name) => load(new URL(name, staticDir))),
    ])
    const assets = new Map(names.map((name, i) => [name, files[i]!]))

    app.decorate('assetUrl', (name: string) => {
      const asset = assets.get(name)
      if (!asset) throw new Error(`no file static/${name}`)
      return `/static/${name}?v=${asset.hash}`
    })
    // @fastify/compress stays out: these bytes are compressed already.
    app.get<{ Params: { name: string } }>(
      '/static/:name',
      {
        compress: false,
        schema: {
          params: { type: 'object', properties: { name: { type: 'string', maxLength: 100 } }, required: ['name'] },
        },
      },
      async (request, reply) => {
        const asset = assets.get(request.params.name)
        if (!asset) return reply.callNotFound()
        return send(asset, request, reply)
      },
    )
    // Browsers ask for /favicon.ico on pages that do not name an icon (a PDF, a JSON file): the same picture.
    app.get('/favicon.ico', async (_request, reply) => reply.redirect(app.assetUrl('favicon.svg'), 301))
    app.get(HTMX_PATH, { compress: false }, async (request, reply) => send(htmx, request, reply))
    app.get(LEAFLET_JS_PATH, { compress: false }, async (request, reply) => send(leafletJs, request, reply))
    app.get(LEAFLET_CSS_PATH, { compress: false }, async (request, reply) => send(leafletCss, request, reply))
  },
  { name: 'static' },
)
