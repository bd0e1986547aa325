import { readFileSync } from 'node:fs'
import zlib from 'node:zlib'
import t from 'tap'
import { HTMX_PATH } from '../../server/assets.js'
import { testApp } from '../helpers/app.js'

// Counts brotli compressions; wrapped before the app starts, since @fastify/compress keeps the functions it finds then.
let compressions = 0
for (const name of ['createBrotliCompress', 'brotliCompressSync', 'brotliCompress'] as const) {
  const original = zlib[name] as (...args: unknown[]) => unknown
  Object.defineProperty(zlib, name, {
    value: (...args: unknown[]) => (compressions++, original(...args)),
    configurable: true,
  })
}
const { app } = await testApp(t)
const css = readFileSync(new URL('../../static/app.css', import.meta.url))

/** The stylesheet's address as the page links it. */
async function linkedCss(): Promise<string> {
  const page = await app.inject('/')
  const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)?.[1]
  if (!href) throw new Error('no stylesheet link on the home page')
  return href.replaceAll('&#x3D;', '=')
}

t.test('pages link the stylesheet at a versioned address that is cached for a year', async (t) => {
  const href = await linkedCss()
  t.match(href, /^\/static\/app\.css\?v=[\w-]{16}$/)
  const res = await app.inject(href)
  t.equal(res.statusCode, 200)
  t.match(res.headers['cache-control'], /max-age=31536000/)
  t.match(res.headers['cache-control'], /immutable/)
  t.match(res.headers['content-type'], /^text\/css/)
  t.same(res.rawPayload, css, 'uncompressed when the browser asks for no encoding')
})

t.test(
  'an address without the current version is cached for an hour only, so a changed file reaches everyone',
  async (t) => {
    for (const url of ['/static/app.css', '/static/app.css?v=old']) {
      const res = await app.inject(url)
      t.equal(res.statusCode, 200, url)
      t.equal(res.headers['cache-control'], 'public, max-age=3600', url)
    }
    t.equal((await app.inject('/static/nothing.css')).statusCode, 404)
    t.equal((await app.inject('/static/..%2Fpackage.json')).statusCode, 404)
  },
)

t.test('brotli, gzip or plain as the browser asks, each decoding to the file itself', async (t) => {
  const href = await linkedCss()
  const br = await app.inject({ url: href, headers: { 'accept-encoding': 'gzip, deflate, br' } })
  t.equal(br.headers['content-encoding'], 'br')
  t.equal(br.headers.vary, 'Accept-Encoding')
  t.same(zlib.brotliDecompressSync(br.rawPayload), css)
  const gz = await app.inject({ url: href, headers: { 'accept-encoding': 'gzip, br;q=0' } })
  t.equal(gz.headers['content-encoding'], 'gzip')
  t.same(zlib.gunzipSync(gz.rawPayload), css)
  t.ok(
    br.rawPayload.length < gz.rawPayload.length && gz.rawPayload.length < css.length / 3,
    `br ${br.rawPayload.length}, gzip ${gz.rawPayload.length}, plain ${css.length} bytes`,
  )
  const plain = await app.inject({ url: href, headers: { 'accept-encoding': 'identity' } })
  t.equal(plain.headers['content-encoding'], undefined)
  t.same(plain.rawPayload, css)
})

t.test('static files and htmx are compressed once at start-up, not again per request', async (t) => {
  const href = await linkedCss()
  const before = compressions
  await app.inject({ url: '/login', headers: { 'accept-encoding': 'br' } })
  t.ok(compressions > before, 'a page with a form (its own CSRF token) is compressed per request: the count sees it')
  const counted = compressions
  for (let i = 0; i < 5; i++) {
    for (const url of [href, HTMX_PATH]) {
      const res = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
      t.equal(res.headers['content-encoding'], 'br', url)
    }
  }
  t.equal(compressions, counted, 'no brotli stream was made for a static file')
})

t.test('a browser holding the current file gets 304 Not Modified by its ETag', async (t) => {
  for (const url of [await linkedCss(), HTMX_PATH]) {
    const first = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
    t.match(first.headers.etag, /^"[\w-]+"$/, url)
    const again = await app.inject({
      url,
      headers: { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) },
    })
    t.equal(again.statusCode, 304, url)
    t.equal(again.rawPayload.length, 0, url)
    t.equal((await app.inject({ url, headers: { 'if-none-match': '"stale"' } })).statusCode, 200, url)
  }
})

t.test('every page names its icon, and /favicon.ico leads to the same picture', async (t) => {
  const page = await app.inject('/')
  const href = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml">/.exec(page.body)?.[1]?.replaceAll('&#x3D;', '=')
  t.match(href, /^\/static\/favicon\.svg\?v=[\w-]{16}$/)
  const icon = await app.inject(href!)
  t.equal(icon.statusCode, 200)
  t.equal(icon.headers['content-type'], 'image/svg+xml')
  t.match(icon.body, /^<svg /)
  const ico = await app.inject('/favicon.ico')
  t.equal(ico.statusCode, 301)
  t.equal(ico.headers.location, href)
})
