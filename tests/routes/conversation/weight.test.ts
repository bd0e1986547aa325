import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposals } from '../../../db/schema.js'
import { seedConversation } from '../../../bench/conversation.js'
import { HTMX_PATH } from '../../../server/assets.js'
import { demoRound } from '../../helpers/fixtures.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg, type Html } from '../../helpers/html.js'

// A busy proposal: 300 published comments (long ones, six languages, official and submitter answers)
// keep its page light, paged and in the order asked for.
const { app, db, roundId, officials } = await demoRound(t, { phase: 'voting' })
const [proposal] = await db.select().from(proposals).where(eq(proposals.roundId, roundId)).orderBy(proposals.id)
const page = `/proposals/${proposal!.reference}`
const seeded = await seedConversation(db, {
  roundId,
  proposalId: proposal!.id,
  officialId: Object.values(officials)[0]!.id,
})

const idOf = (article: { getAttribute(name: string): string | undefined }) =>
  Number(/^comment-(\d+)$/.exec(article.getAttribute('id') ?? '')![1])
/** The ids of the threads a list shows, its answers left out. */
const listed = (doc: Html, pinned: boolean) =>
  doc
    .all(
      pinned ? 'ol.threads--pinned > li > article.comment' : 'ol.threads:not(.threads--pinned) > li > article.comment',
    )
    .map(idOf)
const hrefOf = (doc: Html, selector: string) =>
  doc
    .get(selector)
    .getAttribute('href')!
    .replace(/#conversation$/, '')

const answered = seeded.threads
  .filter((c) => c.answeredAt !== null)
  .sort((a, b) => b.answeredAt!.getTime() - a.answeredAt!.getTime() || b.id - a.id)
const pinnedIds = answered.slice(0, 3).map((c) => c.id)
const oldestFirst = seeded.threads.map((c) => c.id).filter((id) => !pinnedIds.includes(id))
const newestFirst = [...oldestFirst].reverse()

t.test('the seeded conversation is as busy as the issue asks', async (t) => {
  t.equal(seeded.published, 300)
  t.ok(
    seeded.threads.some((c) => c.text.length === 2000),
    'long texts of 2,000 characters',
  )
  t.ok(answered.length > 3, 'more answered questions than the page pins')
})

t.test('the first page with 300 comments weighs under 50 KB compressed with its CSS and htmx', async (t) => {
  for (const [encoding, lang] of [
    ['br', 'nl'],
    ['gzip', 'nl'],
    ['br', 'ar'],
  ] as const) {
    let total = 0
    for (const url of [page, '/static/app.css', HTMX_PATH]) {
      const res = await app.inject({ url, headers: { 'accept-encoding': encoding, 'accept-language': lang } })
      if (url === page) {
        const body = (encoding === 'br' ? brotliDecompressSync : gunzipSync)(res.rawPayload).toString()
        t.equal(html({ body }).get('html').getAttribute('lang'), lang)
      }
      t.equal(res.statusCode, 200, url)
      t.equal(res.headers['content-encoding'], encoding, url)
      total += res.rawPayload.length
    }
    t.ok(total < 50 * 1024, `proposal page with 300 comments in ${lang}, CSS and htmx: ${total} bytes ${encoding}`)
  }
})

t.test('page 1 pins the answered questions above 20 threads, newest first', async (t) => {
  const doc = html(await new Visitor(app).get(page))
  t.match(doc.text('#conversation-title'), msg('conversation.title', { count: seeded.threads.length }))
  t.match(doc.text('#conversation'), msg('conversation.pinned'))
  t.same(listed(doc, true), pinnedIds, 'the last answered questions, the latest answer first')
  t.same(listed(doc, false), newestFirst.slice(0, 20))
  t.equal(doc.all('ol.threads--pinned ol.answers').length, 3, 'each pinned question shows its answers')
  t.match(doc.text('#conversation'), msg('conversation.page', { page: 1, of: Math.ceil(oldestFirst.length / 20) }))
  t.notOk(doc.has('#conversation a[rel=prev]'), 'no page before the first')
})

t.test('paging leads to the following threads; the pinned ones stay on page 1 and never repeat', async (t) => {
  const visitor = new Visitor(app)
  let doc = html(await visitor.get(page))
  const seen: number[] = [...listed(doc, false)]
  for (let number = 2; doc.has('#conversation a[rel=next]'); number++) {
    const next = hrefOf(doc, '#conversation a[rel=next]')
    t.equal(next, `${page}?page=${number}`)
    const res = await visitor.get(next)
    t.equal(res.statusCode, 200)
    doc = html(res)
    t.notOk(doc.has('ol.threads--pinned'), `page ${number} pins nothing`)
    t.same(listed(doc, false), newestFirst.slice((number - 1) * 20, number * 20), `page ${number}`)
    t.equal(hrefOf(doc, '#conversation a[rel=prev]'), number === 2 ? page : `${page}?page=${number - 1}`)
    seen.push(...listed(doc, false))
  }
  t.same(seen, newestFirst, 'every thread once, in order, over all pages')
  t.notOk(
    seen.some((id) => pinnedIds.includes(id)),
    'no pinned question in the list',
  )
})

t.test('oldest first reverses the order, pages included', async (t) => {
  const visitor = new Visitor(app)
  const first = html(await visitor.get(page))
  const oldest = hrefOf(first, '.conversation__order a')
  t.equal(oldest, `${page}?order=oldest`)
  const doc = html(await visitor.get(oldest))
  t.same(listed(doc, true), pinnedIds, 'the same questions pinned')
  t.same(listed(doc, false), oldestFirst.slice(0, 20))
  t.equal(doc.text('.conversation__order strong'), msg('conversation.order.oldest'))
  const next = hrefOf(doc, '#conversation a[rel=next]')
  t.equal(next, `${page}?order=oldest&page=2`)
  t.same(listed(html(await visitor.get(next)), false), oldestFirst.slice(20, 40))
})

t.test('a long text and an answer in Arabic show whole under their thread', async (t) => {
  const long = seeded.threads.find((c) => c.text.length === 2000)!
  const number = Math.floor(newestFirst.indexOf(long.id) / 20) + 1
  const doc = html(await new Visitor(app).get(number === 1 ? page : `${page}?page=${number}`))
  const text = doc.get(`#comment-${long.id} .comment__text`)
  t.equal(text.textContent.trim(), long.text)
  t.ok(doc.all('.comment__text[lang=ar]').length > 0, 'Arabic comments carry their language')
})

t.test('a page past the end shows no threads but is still a page', async (t) => {
  const res = await new Visitor(app).get(`${page}?page=999`)
  t.equal(res.statusCode, 200)
  const doc = html(res)
  t.equal(listed(doc, false).length, 0)
  t.equal(listed(doc, true).length, 0)
  t.match(doc.text('#conversation-title'), msg('conversation.title', { count: seeded.threads.length }))
  t.equal(hrefOf(doc, '#conversation a[rel=prev]'), `${page}?page=998`)
})
