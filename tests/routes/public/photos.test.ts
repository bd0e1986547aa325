import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import sharp from 'sharp'
import { proposals, rounds } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import {
  bombPng,
  hasGpsPointer,
  jpegWithGps,
  listPhotos,
  listVariants,
  sidewaysJpeg,
  smallPng,
  texturedJpeg,
} from '../../helpers/photos.js'
import { proposingRound, SLUG, VALID } from '../../helpers/proposals.js'

// A resident's photos: re-encoded without their metadata, refused when they are not photos, and
// served only once the public may see them.
const { app, db, round, inPhase, byToken } = await proposingRound(t)

const jpeg = { bytes: await jpegWithGps(), filename: 'IMG_0001.jpg', type: 'image/jpeg' }

async function send(files: Parameters<Visitor['postMultipart']>[2], fields: Record<string, string> = {}) {
  await inPhase('proposing')
  const visitor = new Visitor(app)
  await visitor.get(`/rounds/${SLUG}/proposals/new`)
  return visitor.postMultipart(`/rounds/${SLUG}/proposals`, { ...VALID, ...fields }, files)
}

/** A proposal sent in with these photos: its row, and the photos' rows. */
async function sentWith(files: Parameters<Visitor['postMultipart']>[2], fields: Record<string, string> = {}) {
  const res = await send(files, fields)
  if (res.statusCode !== 303) throw new Error(`not sent: ${res.statusCode}`)
  const row = await byToken(String(res.headers.location).replace('/status/', ''))
  return { row, photos: (await listPhotos(db)).filter((p) => p.proposalId === row.id) }
}

async function setStatus(id: number, values: Partial<typeof proposals.$inferInsert>) {
  await db.update(proposals).set(values).where(eq(proposals.id, id))
  await db
    .update(rounds)
    .set({ contentVersion: sql`${rounds.contentVersion} + 1` })
    .where(eq(rounds.id, round!.id))
}

const urlOf = (photo: { id: number; hash: string }, variant = '480.webp') =>
  `/photos/${photo.id}/${photo.hash}/${variant}`
const countPhotos = async () => (await listPhotos(db)).length

t.test(
  'the form offers three photo slots, each with a file field from camera or gallery and a described alt text',
  async (t) => {
    await inPhase('proposing')
    const page = html(await new Visitor(app).get(`/rounds/${SLUG}/proposals/new`))
    t.equal(page.get(`form[action="/rounds/${SLUG}/proposals"]`).getAttribute('enctype'), 'multipart/form-data')
    t.equal(page.all('input[type=file]').length, 3)
    t.ok(page.has('details.proposal-more #photo1'), 'optional: in the folded part of the form')
    t.match(page.get('#photo1').getAttribute('accept'), /image\/jpeg/)
    t.equal(page.text('label[for=photoAlt1]'), msg('photos.form.alt'))
    t.equal(
      page.text('#photoAlt1-hint'),
      msg('photos.form.altHint', { max: 200 }),
      'the form says what a good description is',
    )
    t.equal(page.get('#photoAlt1').getAttribute('dir'), 'auto')
  },
)

t.test('a photo comes out upright, at most 1,600 px, without EXIF or its GPS location, in WebP and JPEG', async (t) => {
  t.ok(hasGpsPointer((await sharp(jpeg.bytes).metadata()).exif!), 'the upload carries a GPS location')
  const { row, photos: stored } = await sentWith(
    { photo1: jpeg, photo2: { bytes: await sidewaysJpeg() } },
    { photoAlt1: '  De gevel van het buurthuis  ', photoAlt2: 'Een raam van opzij' },
  )
  t.same(
    stored.map((p) => ({ alt: p.alt, width: p.width, height: p.height })),
    [
      { alt: 'De gevel van het buurthuis', width: 1600, height: 1200 },
      { alt: 'Een raam van opzij', width: 200, height: 400 },
    ],
    'the description trimmed; the sideways photo turned upright',
  )
  await setStatus(row.id, { status: 'approved' })
  const page = html(await new Visitor(app).get(`/proposals/${row.reference}`))
  const sources = page.all('ul.photos picture source[type="image/webp"]')
  const images = page.all('ul.photos picture img')
  t.equal(images.length, 2)
  t.equal(images[0]!.getAttribute('alt'), 'De gevel van het buurthuis')
  t.equal(images[0]!.getAttribute('width'), '1600')
  t.match(sources[0]!.getAttribute('srcset'), /480\.webp 480w, .*960\.webp 960w, .*1600\.webp 1600w/)
  t.match(images[0]!.getAttribute('srcset'), /480\.jpeg 480w, .*1600\.jpeg 1600w/)
  const urls = [sources[0]!, images[0]!].flatMap((e) =>
    e
      .getAttribute('srcset')!
      .split(', ')
      .map((s) => s.split(' ')[0]!),
  )
  t.equal(urls.length, 6)
  for (const url of urls) {
    const res = await new Visitor(app).get(url)
    t.equal(res.statusCode, 200, url)
    const served = await sharp(res.rawPayload).metadata()
    t.equal(served.format, url.endsWith('.webp') ? 'webp' : 'jpeg', url)
    t.equal(served.width, Number(/(\d+)\.\w+$/.exec(url)![1]), url)
    t.equal(served.exif, undefined, `${url}: no EXIF, so no GPS location`)
    t.notOk(res.rawPayload.includes(Buffer.from('TestCam')), `${url}: not even the camera's name`)
  }
})

t.test('photos answer 404 until the proposal is approved, and again once it is rejected or merged', async (t) => {
  const {
    row,
    photos: [photo],
  } = await sentWith({ photo1: jpeg }, { photoAlt1: 'Het dak' })
  const status = async () => (await new Visitor(app).get(urlOf(photo!))).statusCode
  t.equal(await status(), 404, 'submitted: not yet public')
  const waiting = html(await new Visitor(app).get(`/proposals/${row.reference}`))
  t.notOk(waiting.has('ul.photos'), 'nor on its page')
  t.ok(waiting.texts('p.muted').includes(msg('photos.waiting')), 'which says they wait for a moderator')
  await setStatus(row.id, { status: 'needs_changes' })
  t.equal(await status(), 404, 'waiting for changes')
  await setStatus(row.id, { status: 'approved' })
  t.equal(await status(), 200, 'approved')
  await setStatus(row.id, { status: 'rejected' })
  t.equal(await status(), 404, 'rejected')
  await setStatus(row.id, { status: 'approved', duplicateOfId: row.id })
  t.equal(await status(), 404, 'merged into another')
  await setStatus(row.id, { duplicateOfId: null })
  await db.update(rounds).set({ phase: 'draft' }).where(eq(rounds.id, round!.id))
  t.equal(await status(), 404, 'a draft round shows nothing')
  await inPhase('proposing')
  t.equal(await status(), 200)
  t.equal(
    (await new Visitor(app).get(urlOf(photo!).replace(photo!.hash, 'f'.repeat(16)))).statusCode,
    404,
    'a wrong hash',
  )
  t.equal((await new Visitor(app).get(urlOf(photo!, '480.png'))).statusCode, 404, 'a format not served')
  t.equal((await new Visitor(app).get(urlOf(photo!, '481.webp'))).statusCode, 404, 'a width not made')
})

t.test('a photo is served with its hash as ETag, kept a year, never sniffed; the same ETag answers 304', async (t) => {
  const {
    row,
    photos: [photo],
  } = await sentWith({ photo1: jpeg }, { photoAlt1: 'Het dak' })
  await setStatus(row.id, { status: 'approved' })
  const visitor = new Visitor(app)
  const res = await visitor.get(urlOf(photo!))
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'image/webp')
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.match(res.headers.etag, /^"[0-9a-f]{64}"$/)
  const again = await visitor.get(urlOf(photo!), { 'if-none-match': String(res.headers.etag) })
  t.equal(again.statusCode, 304)
  t.equal(again.rawPayload.length, 0)
  t.equal((await visitor.get(urlOf(photo!), { 'if-none-match': '"other"' })).statusCode, 200)
})

t.test(
  'an HTML page named .jpg and sent as image/jpeg is refused; nothing is stored and every field stays',
  async (t) => {
    const [before, proposalsBefore] = [await countPhotos(), (await db.select().from(proposals)).length]
    const page = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>')
    const res = await send(
      { photo1: { bytes: page, filename: 'photo.jpg', type: 'image/jpeg' } },
      { photoAlt1: 'Mijn foto' },
    )
    t.equal(res.statusCode, 422)
    const doc = html(res)
    t.equal(doc.text('#photo1-error'), msg('photos.error.notAnImage'))
    t.equal(doc.get('#photo1').getAttribute('aria-invalid'), 'true')
    t.equal(doc.get('#title').getAttribute('value'), VALID.title, 'the title stays')
    t.match(doc.get('#description').textContent, 'Op twee zaterdagen gaan we langs.', 'the description stays')
    t.equal(doc.get('#photoAlt1').getAttribute('value'), 'Mijn foto', 'the description of the photo stays')
    t.ok(doc.get('#themes-green').getAttribute('checked') !== undefined, 'ticked themes stay')
    t.match(doc.text('#error-summary'), msg('photos.error.notAnImage'))
    t.equal(await countPhotos(), before)
    t.equal((await db.select().from(proposals)).length, proposalsBefore, 'no proposal either')
  },
)

t.test('a 20,000 × 20,000 PNG is refused from its header, within a second', async (t) => {
  const bomb = bombPng()
  t.ok(bomb.length < 200_000, `the upload is small: ${bomb.length} bytes`)
  const before = await countPhotos()
  const started = performance.now()
  const res = await send({ photo1: { bytes: bomb, filename: 'bomb.png', type: 'image/png' } }, { photoAlt1: 'Groot' })
  const ms = performance.now() - started
  t.equal(res.statusCode, 422)
  t.equal(html(res).text('#photo1-error'), msg('photos.error.tooManyPixels'))
  t.ok(ms < 1000, `refused in ${Math.round(ms)} ms`)
  t.equal(await countPhotos(), before)
})

t.test('a file over 10 MB is refused with its own message; the rest of the form stays', async (t) => {
  const before = await countPhotos()
  const big = Buffer.concat([jpeg.bytes, Buffer.alloc(10 * 1024 * 1024)])
  const res = await send({ photo1: { bytes: big } }, { photoAlt1: 'Zwaar' })
  t.equal(res.statusCode, 422)
  const doc = html(res)
  t.equal(doc.text('#photo1-error'), msg('photos.error.tooLarge'))
  t.equal(doc.get('#title').getAttribute('value'), VALID.title)
  t.equal(await countPhotos(), before)
})

t.test('a photo needs its description, of at most 200 characters', async (t) => {
  const before = await countPhotos()
  for (const [alt, key] of [
    ['   ', 'photos.error.altRequired'],
    ['x'.repeat(201), 'photos.error.altTooLong'],
  ] as const) {
    const res = await send({ photo1: jpeg }, { photoAlt1: alt })
    t.equal(res.statusCode, 422, key)
    t.equal(html(res).text('#photo1-error'), msg(key, { max: 200 }), key)
  }
  t.equal(await countPhotos(), before)
  const ok = await sentWith({ photo1: jpeg }, { photoAlt1: 'é'.repeat(200) })
  t.equal(ok.photos.length, 1, '200 characters is enough')
})

t.test('a proposal takes at most three photos: a fourth file is refused and nothing is stored', async (t) => {
  const before = await countPhotos()
  const png = { bytes: await smallPng(), filename: 'p.png', type: 'image/png' }
  const res = await send(
    { photo1: png, photo2: png, photo3: png, photo4: png },
    { photoAlt1: 'een', photoAlt2: 'twee', photoAlt3: 'drie', photoAlt4: 'vier' },
  )
  t.equal(res.statusCode, 422)
  t.equal(html(res).text('#photo1-error'), msg('photos.error.tooMany'))
  t.equal(await countPhotos(), before)
})

t.test('when another field is wrong, the photos are asked for again and their descriptions stay', async (t) => {
  const res = await send({ photo1: jpeg }, { photoAlt1: 'Het dak', title: '' })
  t.equal(res.statusCode, 422)
  const doc = html(res)
  t.equal(doc.text('#photo1-again'), msg('photos.form.chooseAgain'))
  t.equal(doc.get('#photoAlt1').getAttribute('value'), 'Het dak')
  const alone = await send({}, { photoAlt1: 'Het dak' })
  t.equal(alone.statusCode, 422, 'a description without its photo')
  t.equal(html(alone).text('#photo1-error'), msg('photos.error.photoMissing'))
})

t.test('a multipart post without a valid form token is refused like any other, and nothing is stored', async (t) => {
  await inPhase('proposing')
  const [photosBefore, variantsBefore] = [await countPhotos(), (await listVariants(db)).length]
  const visitor = new Visitor(app)
  await visitor.get(`/rounds/${SLUG}/proposals/new`)
  for (const token of [null, 'forged']) {
    const res = await visitor.postMultipart(
      `/rounds/${SLUG}/proposals`,
      { ...VALID, photoAlt1: 'Het dak', _csrf: token },
      { photo1: jpeg },
    )
    t.equal(res.statusCode, 403, String(token))
  }
  t.equal(await countPhotos(), photosBefore)
  t.equal((await listVariants(db)).length, variantsBefore)
})

t.test('a page with three photos at 360 px: what a phone downloads', async (t) => {
  const photo = { bytes: await texturedJpeg() }
  const { row, photos: three } = await sentWith(
    { photo1: photo, photo2: photo, photo3: photo },
    { photoAlt1: 'De gevel', photoAlt2: 'Het dak', photoAlt3: 'De tuin' },
  )
  await setStatus(row.id, { status: 'approved' })
  const visitor = new Visitor(app)
  const page = await visitor.get(`/proposals/${row.reference}`, { 'accept-encoding': 'br' })
  const bytes = async (variant: string) => {
    let sum = 0
    for (const p of three) sum += (await visitor.get(urlOf(p, variant))).rawPayload.length
    return sum
  }
  // sizes is calc(100vw - 2rem) = 328 px: a 1x screen takes 480w, a 2x screen 960w.
  const [x1, x2] = [await bytes('480.webp'), await bytes('960.webp')]
  t.comment(
    `proposal page with 3 photos: HTML ${page.rawPayload.length} B (br); photos 480w WebP ${x1} B (1x), 960w WebP ${x2} B (2x)`,
  )
  t.ok(page.rawPayload.length + x1 < 150_000)
})
