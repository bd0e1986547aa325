import { brotliDecompressSync } from 'node:zlib'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposals, rounds } from '../../../db/schema.js'
import { seedDemo } from '../../../server/data/demo.js'
import { HTMX_PATH } from '../../../server/assets.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg, words } from '../../helpers/html.js'
import { LANGUAGE_LIST } from '../../../server/languages.js'
import { bumpContentVersion } from '../../../server/data/rounds.js'

const { app, db } = await testApp(t)
await seedDemo(db)

t.test('the home page lists the open rounds with budget and phase, in Dutch by default', async (t) => {
  const res = await new Visitor(app).get('/')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
  const page = html(res)
  t.equal(page.get('html').getAttribute('lang'), 'nl')
  t.equal(page.get('html').getAttribute('dir'), 'ltr')
  const card = page.get('.card')
  t.equal(card.querySelector('.card__title a')?.getAttribute('href'), '/rounds/bospolder-tussendijken')
  t.equal(card.querySelector('.card__title')?.text, 'Wijkbudget Energie Bospolder-Tussendijken')
  t.match(card.querySelector('dd')?.text, /€\s100\.000/)
  t.ok(card.querySelector('.badge--reviewing'), 'the phase')
})

t.test('a draft round is neither listed nor reachable', async (t) => {
  await db
    .insert(rounds)
    .values({ slug: 'concept', title: 'Concept Oude Westen', neighbourhood: 'Oude Westen', budgetCents: 5_000_000 })
  const visitor = new Visitor(app)
  t.notOk(html(await visitor.get('/')).links.includes('/rounds/concept'), 'not on the home page')
  const res = await visitor.get('/rounds/concept')
  t.equal(res.statusCode, 404)
  t.equal(html(res).text('h1'), msg('errors.notFound'))
})

t.test('the round page shows budget, timeline and every demo proposal without contact details', async (t) => {
  const res = await new Visitor(app).get('/rounds/bospolder-tussendijken')
  t.equal(res.statusCode, 200)
  const page = html(res)
  const all = await db.select().from(proposals)
  const links = page.links
  for (const p of all) t.ok(links.includes(`/proposals/${p.reference}`), `${p.title} is listed`)
  const card = page
    .all('.card')
    .find((c) => c.querySelector('.card__title')?.text === 'Zonnepanelen op het dak van het buurthuis')
  t.ok(words(card).includes(msg('proposal.by', { organisation: 'Stichting Buurthuis BTD' })), 'with the organisation')
  t.match(card?.querySelector('dd')?.text, /€\s28\.000/, 'and its cost')
  t.equal(
    page.get('[aria-current=step]').classList.contains('timeline__step'),
    true,
    'the timeline marks the current phase',
  )
  t.notMatch(res.body, 'example.org', 'no submitter e-mail')
  t.notMatch(res.body, 'Demo bewoner', 'no submitter name')
  for (const p of all) t.notMatch(res.body, p.statusToken, 'no status token')
})

t.test('user text is escaped, never run', async (t) => {
  const [round] = await db.select().from(rounds).where(eq(rounds.slug, 'bospolder-tussendijken'))
  await db.insert(proposals).values({
    roundId: round!.id,
    reference: 'XSS-1',
    statusToken: 'xss-token',
    title: '<script>alert(1)</script>',
    summary: '<img src=x onerror=alert(2)>',
    description: 'd',
    costCents: 100,
    track: 'social',
    themes: ['other'],
    contactName: 'x',
  })
  await bumpContentVersion(db, round!.id)
  const page = html(await new Visitor(app).get('/rounds/bospolder-tussendijken'))
  t.ok(page.texts('.card__title').includes('<script>alert(1)</script>'), 'shown as text')
  t.notOk(
    page.all('script').some((s) => s.text.includes('alert(1)')),
    'no script element',
  )
  t.notOk(page.has('img[onerror]'), 'no image with a handler')
})

t.test('an unknown round is a friendly 404', async (t) => {
  const res = await new Visitor(app).get('/rounds/does-not-exist')
  t.equal(res.statusCode, 404)
  t.equal(html(res).text('h1'), msg('errors.notFound'))
  t.ok(html(res).links.includes('/'), 'with a way back to the start')
})

t.test('switching to English is remembered and returns to the same page', async (t) => {
  const visitor = new Visitor(app)
  const res = await visitor.get('/language/en?next=%2Frounds%2Fbospolder-tussendijken')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/rounds/bospolder-tussendijken')
  t.equal(visitor.cookie('lang'), 'en')
  const page = html(await visitor.get('/rounds/bospolder-tussendijken'))
  t.equal(page.get('html').getAttribute('lang'), 'en')
  t.equal(page.get('html').getAttribute('dir'), 'ltr')
  t.equal(page.text('.badge--reviewing'), msg('phase.reviewing', {}, 'en'))
  t.equal(page.text('.facts--large dd'), '€100,000')
  t.ok(page.has('a[href^="/language/nl"][hreflang=nl]'), 'a way back to Dutch')
  const back = await visitor.get('/language/nl?next=/')
  t.equal(back.statusCode, 303)
  t.equal(
    html(await visitor.get('/'))
      .get('html')
      .getAttribute('lang'),
    'nl',
  )
})

t.test(
  'Arabic pages run right to left, Turkish ones left to right, each with its own numbers and plurals',
  async (t) => {
    const arabic = (await new Visitor(app).get('/rounds/bospolder-tussendijken?lang=ar')).body
    t.match(arabic, '<html lang="ar" dir="rtl">')
    t.match(arabic, 'ميزانية')
    const turkish = (
      await new Visitor(app).get('/rounds/bospolder-tussendijken', { 'accept-language': 'tr-TR,tr;q=0.9' })
    ).body
    t.match(turkish, '<html lang="tr" dir="ltr">')
    t.match(turkish.replace(/\u00a0/g, ' '), '€100.000')
  },
)

t.test('the language switch lists every language by its own name, as links that work without script', async (t) => {
  const page = html(await new Visitor(app).get('/rounds/bospolder-tussendijken?theme=green'))
  const links = page.all('details.language-switch a')
  for (const l of LANGUAGE_LIST) {
    const link = links.find((a) => a.getAttribute('hreflang') === l.code)
    t.equal(
      link?.getAttribute('href'),
      `/language/${l.code}?next=%2Frounds%2Fbospolder-tussendijken%3Ftheme%3Dgreen`,
      l.code,
    )
    t.equal(link?.getAttribute('lang'), l.code)
    t.equal(link?.text.trim(), l.name)
  }
  t.same(
    links.filter((a) => a.getAttribute('aria-current') === 'true').map((a) => a.text.trim()),
    ['Nederlands'],
  )
})

t.test(
  "the page follows the link's lang, then the choice, then the browser, and a link's language is remembered",
  async (t) => {
    const langOf = (res: { body: string }) => html(res).get('html').getAttribute('lang')
    const browser = { 'accept-language': 'en-GB,en;q=0.9' }
    t.equal(langOf(await new Visitor(app).get('/', browser)), 'en')
    t.equal(langOf(await new Visitor(app).get('/', { 'accept-language': 'fr-FR' })), 'nl')
    const linked = new Visitor(app)
    t.equal(langOf(await linked.get('/?lang=en')), 'en')
    t.equal(linked.cookie('lang'), 'en')
    t.equal(
      langOf(await linked.get('/rounds/bospolder-tussendijken')),
      'en',
      "the next page stays in the letter's language",
    )
    const chosen = new Visitor(app)
    await chosen.get('/language/nl?next=/')
    t.equal(langOf(await chosen.get('/', browser)), 'nl', 'an explicit choice wins over the browser')
    t.equal(langOf(await chosen.get('/?lang=en', browser)), 'en', 'a later ?lang= link switches it again')
    t.equal(chosen.cookie('lang'), 'en')
    t.match(String((await chosen.get('/')).headers.vary), /Accept-Language/)
  },
)

t.test('the language switch refuses to redirect off the site and unknown languages', async (t) => {
  const visitor = new Visitor(app)
  for (const next of ['https://evil.example', '//evil.example', '/\\evil.example']) {
    const res = await visitor.get(`/language/en?next=${encodeURIComponent(next)}`)
    t.equal(res.headers.location, '/', `next=${next}`)
  }
  const res = await visitor.get('/language/fr?next=/')
  t.equal(res.statusCode, 400)
  t.equal(visitor.cookie('lang'), 'en')
})

t.test('pages carry security headers with a CSP that allows no inline script', async (t) => {
  const res = await new Visitor(app).get('/')
  const csp = String(res.headers['content-security-policy'])
  t.match(csp, "script-src 'self'")
  t.notMatch(csp, 'unsafe-inline')
  t.match(csp, "frame-ancestors 'none'")
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['referrer-policy'], 'no-referrer')
  const vary = String(res.headers.vary).split(/,\s*/)
  for (const header of ['HX-Request', 'Accept-Language', 'Cookie']) t.ok(vary.includes(header), `varies by ${header}`)
  const page = html(res)
  t.same(
    page.all('script').filter((s) => !s.hasAttribute('src') || s.text.trim() !== ''),
    [],
    'no inline script',
  )
  t.same(
    page.all('*').flatMap((e) => Object.keys(e.attributes).filter((a) => /^on/i.test(a))),
    [],
    'no inline event handlers',
  )
})

t.test('htmx 2 is served from node_modules with a year of caching', async (t) => {
  t.match(HTMX_PATH, /^\/vendor\/htmx\/2\.\d+\.\d+\/htmx\.min\.js$/)
  const res = await new Visitor(app).get(HTMX_PATH)
  t.equal(res.statusCode, 200)
  t.match(res.headers['cache-control'], /max-age=31536000/)
  t.match(res.headers['cache-control'], /immutable/)
  t.match(res.body, 'htmx')
  t.equal((await new Visitor(app).get('/vendor/htmx/2.0.0/package.json')).statusCode, 404)
})

t.test('the stylesheet is served', async (t) => {
  const res = await new Visitor(app).get('/static/app.css')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/css/)
})

t.test('the health check reports the database', async (t) => {
  const res = await app.inject('/healthz')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', database: 'ok' })
})

t.test('pages, the stylesheet and htmx go out compressed, and a resident page weighs well under 50 KB', async (t) => {
  let total = 0
  for (const url of ['/rounds/bospolder-tussendijken', '/static/app.css', HTMX_PATH]) {
    const res = await app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } })
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['content-encoding'], 'br', url)
    total += res.rawPayload.length
  }
  t.ok(total < 50 * 1024, `round page with CSS and htmx: ${total} bytes compressed`)
})

t.test('a page made for one visitor goes out brotli-compressed and reads back whole', async (t) => {
  const res = await app.inject({ url: '/login', headers: { 'accept-encoding': 'br' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-encoding'], 'br')
  t.match(res.headers.vary, /accept-encoding/i)
  const page = brotliDecompressSync(res.rawPayload).toString()
  t.match(page, /<\/html>\s*$/, 'the whole page')
  t.ok(html({ body: page }).get('input[name="_csrf"]').getAttribute('value'), 'with its form token')
  t.ok(res.rawPayload.length < page.length / 2, `${res.rawPayload.length} bytes for ${page.length}`)
})

t.test(
  'a page without a form that posts sets no CSRF cookie; a page with one sets it and writes its token',
  async (t) => {
    const visitor = new Visitor(app)
    for (const path of ['/', '/rounds/bospolder-tussendijken', '/toegankelijkheid']) {
      const res = await visitor.get(path)
      t.equal(res.statusCode, 200, path)
      t.same(
        (res.cookies as { name: string }[]).map((c) => c.name).filter((n) => n.includes('csrf')),
        [],
        `${path} sets no CSRF cookie`,
      )
      t.equal(html(res).all('input[name="_csrf"]').length, 0, `${path} has no form that posts`)
    }
    const form = await visitor.get('/login')
    t.ok(
      (form.cookies as { name: string }[]).some((c) => c.name === 'csrf'),
      'the login form sets the CSRF cookie',
    )
    const token = html(form).get('input[name="_csrf"]').getAttribute('value')
    t.ok(token && token.length > 10, 'and writes its token into the form')
  },
)

t.test('pages kept for every visitor are made again as soon as what they show changes', async (t) => {
  const visitor = new Visitor(app)
  const [round] = await db.select().from(rounds).where(eq(rounds.slug, 'bospolder-tussendijken'))
  const [proposal] = await db.select().from(proposals).where(eq(proposals.roundId, round!.id)).limit(1)
  const pages = { home: '/', round: `/rounds/${round!.slug}`, proposal: `/proposals/${proposal!.reference}` }
  const before = Object.fromEntries(
    await Promise.all(Object.entries(pages).map(async ([name, url]) => [name, (await visitor.get(url)).body] as const)),
  )
  t.same(
    Object.fromEntries(
      await Promise.all(
        Object.entries(pages).map(async ([name, url]) => [name, (await new Visitor(app).get(url)).body] as const),
      ),
    ),
    before,
    'another visitor gets the very same pages',
  )
  // Written as the data layer writes: the change and the round's content version in one transaction.
  await db.transaction(async (tx) => {
    await bumpContentVersion(tx, round!.id)
    await tx.update(rounds).set({ title: 'Wijkbudget Energie (hernoemd)' }).where(eq(rounds.id, round!.id))
    await tx
      .update(proposals)
      .set({ title: 'Zonnepanelen op de sporthal (nieuwe titel)' })
      .where(eq(proposals.id, proposal!.id))
  })
  t.match((await visitor.get(pages.home)).body, 'Wijkbudget Energie (hernoemd)')
  t.match((await visitor.get(pages.round)).body, 'Zonnepanelen op de sporthal (nieuwe titel)')
  t.match((await visitor.get(pages.proposal)).body, 'Zonnepanelen op de sporthal (nieuwe titel)')
  t.match((await visitor.get(pages.proposal)).body, 'Wijkbudget Energie (hernoemd)')
  await db.update(rounds).set({ title: round!.title }).where(eq(rounds.id, round!.id))
  await db.update(proposals).set({ title: proposal!.title }).where(eq(proposals.id, proposal!.id))
  await bumpContentVersion(db, round!.id)
})
