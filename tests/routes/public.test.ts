import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposals, rounds } from '../../db/schema.js'
import { seedDemo } from '../../db/seed.js'
import { HTMX_PATH } from '../../server/assets.js'
import { testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'

const { app, db } = await testApp(t)
await seedDemo(db)

t.test('the home page lists the open rounds with budget and phase, in Dutch by default', async (t) => {
  const res = await new Visitor(app).get('/')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
  t.match(res.body, '<html lang="nl">')
  t.match(res.body, 'Wijkbudget Energie Bospolder-Tussendijken')
  t.match(res.body, /€\s100\.000/)
  t.match(res.body, 'Ideeën worden bekeken')
})

t.test('a draft round is neither listed nor reachable', async (t) => {
  await db.insert(rounds).values({ slug: 'concept', title: 'Concept Oude Westen', neighbourhood: 'Oude Westen', budgetCents: 5_000_000 })
  const visitor = new Visitor(app)
  t.notMatch((await visitor.get('/')).body, 'Concept Oude Westen')
  const res = await visitor.get('/rounds/concept')
  t.equal(res.statusCode, 404)
  t.match(res.body, 'Deze pagina bestaat niet')
})

t.test('the round page shows budget, timeline and every demo proposal without contact details', async (t) => {
  const res = await new Visitor(app).get('/rounds/bospolder-tussendijken')
  t.equal(res.statusCode, 200)
  t.match(res.body, 'Energiecoaches in je eigen taal')
  t.match(res.body, 'Zonnepanelen op het dak van het buurthuis')
  t.match(res.body, 'Ingediend door Stichting Buurthuis BTD')
  t.match(res.body, /€\s18\.000/)
  t.match(res.body, 'aria-current="step"')
  t.notMatch(res.body, 'example.org', 'no submitter e-mail')
  t.notMatch(res.body, 'Demo bewoner', 'no submitter name')
  const all = await db.select().from(proposals)
  t.equal(all.length, 10)
  for (const p of all) t.notMatch(res.body, p.statusToken, 'no status token')
})

t.test('user text is escaped, never run', async (t) => {
  const [round] = await db.select().from(rounds).where(eq(rounds.slug, 'bospolder-tussendijken'))
  await db.insert(proposals).values({
    roundId: round!.id, reference: 'XSS-1', statusToken: 'xss-token', title: '<script>alert(1)</script>', summary: '<img src=x onerror=alert(2)>',
    description: 'd', costCents: 100, track: 'social', themes: ['other'], contactName: 'x',
  })
  const res = await new Visitor(app).get('/rounds/bospolder-tussendijken')
  t.notMatch(res.body, '<script>alert(1)</script>')
  t.match(res.body, '&lt;script&gt;alert(1)&lt;/script&gt;')
  t.notMatch(res.body, '<img src=x')
})

t.test('an unknown round is a friendly 404', async (t) => {
  const res = await new Visitor(app).get('/rounds/does-not-exist')
  t.equal(res.statusCode, 404)
  t.match(res.body, 'Deze pagina bestaat niet')
})

t.test('switching to English is remembered and returns to the same page', async (t) => {
  const visitor = new Visitor(app)
  const res = await visitor.get('/language/en?next=%2Frounds%2Fbospolder-tussendijken')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/rounds/bospolder-tussendijken')
  t.equal(visitor.cookie('lang'), 'en')
  const page = await visitor.get('/rounds/bospolder-tussendijken')
  t.match(page.body, '<html lang="en">')
  t.match(page.body, 'Ideas being checked')
  t.match(page.body, '€100,000')
  t.match(page.body, 'Nederlands')
  const back = await visitor.get('/language/nl?next=/')
  t.equal(back.statusCode, 303)
  t.match((await visitor.get('/')).body, '<html lang="nl">')
})

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
  t.equal(res.headers.vary, 'HX-Request')
  t.notMatch(res.body, /<script>(?!<\/script>)/, 'no inline script')
  t.notMatch(res.body, /\son[a-z]+=/, 'no inline event handlers')
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
