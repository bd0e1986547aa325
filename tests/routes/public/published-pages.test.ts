import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t from 'tap'
import { postUpdate, publishedDemo } from '../../helpers/progress.js'
import type { Db } from '../../../db/client.js'
import { testApp } from '../../helpers/app.js'
import { html } from '../../helpers/html.js'
import { signedIn } from '../../helpers/officials.js'

const {
  db,
  round,
  officials: { admin },
} = await publishedDemo(t)

// Counts the queries the app builds with drizzle (prepared hot-path statements aside), so a test sees what a visit reads.
let queries = 0
const counting = new Proxy<Db>(db, {
  get(target, name, receiver) {
    const value: unknown = Reflect.get(target, name, receiver)
    if (['select', 'selectDistinct', 'execute', 'transaction'].includes(String(name)) && typeof value === 'function') {
      return (...args: unknown[]): unknown => (queries++, Reflect.apply(value, target, args))
    }
    return value
  },
})
const { app } = await testApp(t, { db: counting })

for (const page of ['results', 'transparency']) {
  t.test(`a published round's ${page} page is computed once, not on every visit`, async (t) => {
    const url = `/rounds/${round.slug}/${page}`
    const first = await app.inject(url)
    t.equal(first.statusCode, 200)
    const afterFirst = queries
    const again = await Promise.all(Array.from({ length: 20 }, () => app.inject(url)))
    t.same(
      again.map((r) => r.statusCode),
      Array(20).fill(200),
    )
    t.same(
      new Set(again.map((r) => r.body.replace(/name="_csrf" value="[^"]+"/, ''))).size,
      1,
      'the same page each time',
    )
    const perVisit = (queries - afterFirst) / 20
    t.ok(
      perVisit <= 1,
      `${perVisit} queries per later visit (the live progress updates at most), against ${afterFirst} for the first`,
    )
  })
}

t.test('a progress update posted after the page was first seen shows at once', async (t) => {
  const url = `/rounds/${round.slug}/results`
  t.notMatch((await app.inject(url)).body, 'Aannemer gekozen')
  const funded = await db.query.results.findFirst()
  const projectId = Number((funded!.outcome as { selected: string[] }).selected[0])
  await postUpdate(
    app,
    round.id,
    {
      proposalId: projectId,
      status: 'in_progress',
      text: 'Aannemer gekozen',
      on: '2027-01-10',
    },
    admin,
  )
  t.match((await app.inject(url)).body, 'Aannemer gekozen')
})

t.test(
  'a published page is sent as bytes made once: compressed as asked, with an ETag a browser can revalidate',
  async (t) => {
    const url = `/rounds/${round.slug}/results`
    const plain = await app.inject(url)
    const br = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
    const gzip = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate' } })
    t.equal(br.headers['content-encoding'], 'br')
    t.equal(gzip.headers['content-encoding'], 'gzip')
    t.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body)
    t.equal(gunzipSync(gzip.rawPayload).toString(), plain.body)
    t.match(plain.headers.vary, /Accept-Encoding/)
    const etag = plain.headers.etag as string
    t.match(etag, /^"[\w-]+"$/)
    const again = await app.inject({ url, headers: { 'if-none-match': etag } })
    t.equal(again.statusCode, 304)
    t.equal(again.body, '')
    t.same((plain.cookies as unknown[]).length, 0, 'no cookie: the page is the same for everyone')
    const english = await app.inject({ url, headers: { 'accept-language': 'en' } })
    t.equal(english.statusCode, 200)
    t.not(english.headers.etag, etag, 'each language is its own page')
    t.match(english.body, /<html lang="en"/)
  },
)

t.test(
  'a signed-in official reading a published page sees their own menu, and no visitor after them does',
  async (t) => {
    const official = await signedIn(app, 'admin')
    for (const page of ['results', 'transparency']) {
      const url = `/rounds/${round.slug}/${page}`
      const theirs = await official.get(url)
      t.equal(theirs.statusCode, 200)
      t.ok(html(theirs).form('/logout'), `${page}: the official can log out`)
      const resident = await app.inject(url)
      t.notOk(html(resident).all('form[action="/logout"]').length, `${page}: a resident after them has no logout form`)
      t.notMatch(resident.body, admin.name)
    }
  },
)
