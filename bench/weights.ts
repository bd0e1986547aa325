/**
 * What a phone downloads for the pages issue 22 touched, brotli as a phone asks for it: the
 * ballot, a proposal page with three photos (its map folded until opened) and the round's map
 * view. HTML, CSS and scripts count against the 50 KB a resident page may weigh; photos are
 * counted apart, at the size a 360 px screen picks from their srcset at 1× and 2× (they load lazily).
 * Runs the demo on an embedded database. `npm run bench:weights`
 */
import { and, eq, isNotNull } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import sharp from 'sharp'
import { openEmbedded } from '../db/client.js'
import { proposals, rounds } from '../db/schema.js'
import { seedDemo, DEMO_OFFICIALS } from '../server/data/demo.js'
import { findOfficialByEmail } from '../server/data/officials.js'
import { buildApp } from '../server/app.js'
import { encodeImage } from '../server/images.js'
import { addProposalPhotos } from '../server/usecases/photos.js'
import { insertCodeBatch } from '../server/data/voting-codes.js'
import { generateCode, hashCode, normaliseCode } from '../server/domain/voting/codes.js'
import { randomInt } from 'node:crypto'
import { brotliDecompressSync } from 'node:zlib'

const BUDGET = 50 * 1024
const SECRETS = { sessionSecret: 'w'.repeat(40), codeKey: 'k'.repeat(40) }

/**
 * A stand-in for a phone's photo, 4,000 × 3,000: fine grain over smooth areas. Synthetic pictures
 * compress unlike real ones (a real 480 px WebP of a street weighs 10–40 KB): the photo column is a guide.
 */
async function cameraPhoto(seed: number): Promise<Buffer> {
  const grain = await sharp({
    create: {
      width: 800,
      height: 600,
      channels: 3,
      background: '#777',
      noise: { type: 'gaussian', mean: 110 + seed, sigma: 50 },
    },
  })
    .blur(2.5)
    .png()
    .toBuffer()
  return sharp(grain).resize(4000, 3000).jpeg({ quality: 88 }).toBuffer()
}

const brotli = { 'accept-encoding': 'br', 'accept-language': 'nl' }

async function bytesOf(app: FastifyInstance, url: string, cookie?: string): Promise<number> {
  const res = await app.inject({ url, headers: { ...brotli, ...(cookie ? { cookie } : {}) } })
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
  return res.rawPayload.length
}

const attr = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1]!.replaceAll('&#x3D;', '='))

/** The page and what it loads at once: its stylesheets, its scripts and, where a map is drawn, Leaflet. */
async function weigh(app: FastifyInstance, url: string, cookie: string | undefined, mapDrawn: boolean) {
  const res = await app.inject({ url, headers: { ...brotli, ...(cookie ? { cookie } : {}) } })
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
  const html = res.headers['content-encoding'] === 'br' ? brotliDecompressSync(res.rawPayload).toString() : res.body
  const assets = [
    ...attr(html, /<link rel="stylesheet" href="([^"]+)"/g),
    ...attr(html, /<script src="([^"]+)"/g),
    ...(mapDrawn ? [...attr(html, /data-leaflet-js="([^"]+)"/g), ...attr(html, /data-leaflet-css="([^"]+)"/g)] : []),
  ]
  const parts = [{ name: 'page', bytes: res.rawPayload.length }]
  for (const asset of [...new Set(assets)])
    parts.push({ name: asset.split('/').at(-1)!.split('?')[0]!, bytes: await bytesOf(app, asset) })
  return { html, parts, total: parts.reduce((sum, p) => sum + p.bytes, 0) }
}

/** The photos a 360 px phone loads: the WebP width its srcset picks at that density. */
async function photoBytes(app: FastifyInstance, html: string, density: 1 | 2) {
  const wanted = 360 * density
  let total = 0
  for (const srcset of attr(html, /<source type="image\/webp" srcset="([^"]+)"/g)) {
    const candidates = srcset.split(',').map((c) => {
      const [url, width] = c.trim().split(/\s+/)
      return { url: url!, width: Number.parseInt(width!, 10) }
    })
    const pick = candidates.find((c) => c.width >= wanted) ?? candidates.at(-1)!
    total += await bytesOf(app, pick.url)
  }
  return total
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

const database = await openEmbedded()
await database.migrate()
await seedDemo(database.db)
const app = await buildApp({ ...SECRETS, publicUrl: 'http://localhost', trustProxy: false }, database.db)
try {
  const db = database.db
  const [round] = await db.select().from(rounds)
  const [placed] = await db
    .select()
    .from(proposals)
    .where(and(eq(proposals.roundId, round!.id), eq(proposals.status, 'approved'), isNotNull(proposals.latitude)))
    .limit(1)
  const moderator = await findOfficialByEmail(db, DEMO_OFFICIALS.find((o) => o.role === 'moderator')!.email)
  const photos = []
  for (const seed of [0, 1, 2]) {
    const encoded = await encodeImage(await cameraPhoto(seed * 20))
    if ('refused' in encoded) throw new Error(`the camera photo was refused: ${encoded.refused}`)
    photos.push({ alt: `Foto ${seed + 1} van de plek`, encoded })
  }
  await addProposalPhotos(db, { roundId: round!.id, proposalId: placed!.id }, photos, moderator!)
  await db.update(rounds).set({ phase: 'voting' }).where(eq(rounds.id, round!.id))
  const code = generateCode(randomInt)
  await insertCodeBatch(db, {
    roundId: round!.id,
    groupLabel: null,
    hashes: [hashCode(SECRETS.codeKey, normaliseCode(code)!)],
    official: moderator!,
  })
  const entered = await app.inject({ url: `/rounds/${round!.slug}/vote?code=${code}` })
  const cookie = [entered.headers['set-cookie']]
    .flat()
    .map((c) => String(c).split(';')[0])
    .join('; ')

  const rows: string[][] = []
  const add = (name: string, w: Awaited<ReturnType<typeof weigh>>, photos = '–') =>
    rows.push([
      name,
      kb(w.total),
      w.total < BUDGET ? 'under' : 'OVER',
      w.parts.map((p) => `${p.name} ${kb(p.bytes)}`).join(', '),
      photos,
    ])
  const ballot = await weigh(app, `/rounds/${round!.slug}/vote/ballot`, cookie, false)
  add('ballot (no photos, no map code)', ballot)
  const proposal = await weigh(app, `/proposals/${placed!.reference}`, undefined, false)
  const photo1 = await photoBytes(app, proposal.html, 1)
  const photo2 = await photoBytes(app, proposal.html, 2)
  add('proposal with 3 photos, map folded', proposal, `${kb(photo1)} at 1×, ${kb(photo2)} at 2×`)
  add('the same with its map opened', await weigh(app, `/proposals/${placed!.reference}`, undefined, true))
  add('round, map view', await weigh(app, `/rounds/${round!.slug}?view=map`, undefined, true))
  add('round, list view', await weigh(app, `/rounds/${round!.slug}`, undefined, false))

  console.log('\nbrotli; the budget: a resident page (HTML, CSS, scripts) under 50 KB; map tiles not counted\n')
  const head = ['page', 'total', '50 KB', 'parts', 'photos (360 px phone)']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  for (const row of [head, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join('  '))
} finally {
  await app.close()
  await database.close()
}
