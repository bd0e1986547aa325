import { brotliDecompressSync } from 'node:zlib'
import { eq } from 'drizzle-orm'
import t from 'tap'
import { proposals } from '../../../db/schema.js'
import { HTMX_PATH, LEAFLET_CSS_PATH, LEAFLET_JS_PATH } from '../../../server/assets.js'
import { DEFAULT_MAP } from '../../../server/config.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { proposingRound, SLUG } from '../../helpers/proposals.js'

const { app, db, round, inPhase, submit, submitted, byToken, countProposals } = await proposingRound(t)

const scripts = (page: ReturnType<typeof html>) => page.all('script[src]').map((s) => s.getAttribute('src')!)
/** The page loads map.js, which is told where Leaflet is (it fetches it when a map is drawn). */
const loadsLeaflet = (page: ReturnType<typeof html>) => {
  const script = page.all('script[src]').find((s) => s.getAttribute('src')!.startsWith('/static/map.js?v='))
  return (
    script?.getAttribute('data-leaflet-js') === LEAFLET_JS_PATH &&
    script.getAttribute('data-leaflet-css') === LEAFLET_CSS_PATH
  )
}

/** A Content-Security-Policy header as its directives, each with its sources. */
const directives = (header: unknown) =>
  new Map(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/ (.*)/) as [string, string]),
  )

t.test('a proposal with a point stores it, and its page shows the point, the place in words and the map', async (t) => {
  const { row } = await submitted({ lat: '51,9121', lng: '4.4383', location: 'Schiedamseweg 12' })
  t.match(row, { latitude: 51.9121, longitude: 4.4383, location: 'Schiedamseweg 12' })
  await db.update(proposals).set({ status: 'approved' }).where(eq(proposals.id, row.id))

  const page = html(await new Visitor(app).get(`/proposals/${row.reference}`))
  const map = page.get('[data-map=show]')
  t.equal(map.getAttribute('data-lat'), '51.9121')
  t.equal(map.getAttribute('data-lng'), '4.4383')
  t.equal(map.getAttribute('data-tiles'), DEFAULT_MAP.tilesUrl)
  t.equal(map.getAttribute('data-attribution'), 'Kaartgegevens © Kadaster')
  t.equal(page.text('[data-map=show] .map__message'), msg('map.show.noScript'))
  t.ok(page.texts('.facts dd').includes('Schiedamseweg 12'), 'the place in words')
  t.ok(loadsLeaflet(page), 'the page loads the map script, with Leaflet')
})

t.test('a proposal without a point has no map and loads no map code', async (t) => {
  const { row } = await submitted()
  t.equal(row.latitude, null)
  t.equal(row.longitude, null)
  const page = html(await new Visitor(app).get(`/proposals/${row.reference}`))
  t.notOk(page.has('[data-map]'))
  t.notOk(loadsLeaflet(page))
})

t.test('half a point or one outside the Netherlands is refused with a message, and what was typed stays', async (t) => {
  await inPhase('proposing')
  const cases = [
    [{ lat: '51.91', lng: '' }, 'pointHalf'],
    [{ lat: '', lng: '4.43' }, 'pointHalf'],
    [{ lat: '4.4383', lng: '51.9121' }, 'pointOutside'],
    [{ lat: '95', lng: '4.43' }, 'pointInvalid'],
  ] as const
  for (const [point, error] of cases) {
    const before = await countProposals()
    const res = await submit(new Visitor(app), { ...point, title: 'Bankje bij de halte' })
    t.equal(res.statusCode, 422, error)
    const page = html(res)
    t.match(page.field('lat'), { error: msg(`proposals.error.${error}`), invalid: true })
    t.equal(page.field('lat').value, point.lat)
    t.equal(page.field('lng').value, point.lng)
    t.equal(page.field('title').value, 'Bankje bij de halte', 'the rest is kept')
    t.ok(page.get('details.proposal-more').hasAttribute('open'), 'the folded part opens to show the mistake')
    t.equal(await countProposals(), before, 'nothing is stored')
  }
})

t.test('the form offers the map and the point fields, and a submitter editing keeps the point', async (t) => {
  const visitor = new Visitor(app)
  const form = html(await visitor.get(`/rounds/${SLUG}/proposals/new`))
  t.ok(form.has('[data-map=pick]'))
  t.equal(form.text('[data-map=pick] .map__message'), msg('map.pick.noScript'))
  t.ok(form.get('[data-map-search]').hasAttribute('hidden'), 'the address search needs script: hidden without it')
  t.ok(loadsLeaflet(form))

  const { token, row } = await submitted({ lat: '51.9139', lng: '4.4458' })
  await db.update(proposals).set({ status: 'needs_changes' }).where(eq(proposals.id, row.id))
  const editor = new Visitor(app)
  const edit = html(await editor.get(`/status/${token}/edit`))
  t.equal(edit.field('lat').value, '51.9139')
  t.equal(edit.field('lng').value, '4.4458')
  const res = await editor.post(`/status/${token}`, { ...edit.fields(edit.get('form.proposal-form')) })
  t.equal(res.statusCode, 303)
  t.match(await byToken(token), { latitude: 51.9139, longitude: 4.4458, status: 'submitted' })
})

t.test(
  'the round page switches between list and map; the map view without script is a list of every approved project',
  async (t) => {
    await inPhase('reviewing')
    const approved = await db.select().from(proposals).where(eq(proposals.status, 'approved'))
    const placed = approved.filter((p) => p.latitude !== null)
    t.ok(placed.length > 0 && placed.length < approved.length, 'the demo has projects with and without a point')

    const list = html(await new Visitor(app).get(`/rounds/${SLUG}`))
    t.same(
      list.all('.view-switch a').map((a) => [a.getAttribute('href'), a.getAttribute('aria-current')]),
      [
        [`/rounds/${SLUG}?view=list#ideas`, 'page'],
        [`/rounds/${SLUG}?view=map#ideas`, null],
      ],
    )
    t.notOk(list.has('[data-map]'))
    t.notOk(loadsLeaflet(list), 'the list view loads no map code')

    const page = html(await new Visitor(app).get(`/rounds/${SLUG}?view=map`))
    t.equal(page.get('.view-switch a[aria-current]').getAttribute('href'), `/rounds/${SLUG}?view=map#ideas`)
    t.equal(page.text('[data-map=points] .map__message'), msg('map.noScript'))
    t.ok(
      page.texts('main p').includes(msg('map.round.intro', { total: approved.length, placed: placed.length })),
      'it says how many projects there are and how many are on the map',
    )
    t.ok(page.get('[data-map=points] .map__canvas').hasAttribute('hidden'), 'no empty map box without script')
    const items = page.all('#map-points > li')
    t.same(
      items.map((li) => li.querySelector('a')!.getAttribute('href')).sort(),
      approved.map((p) => `/proposals/${p.reference}`).sort(),
      'every approved project, and only those',
    )
    const withPoint = items.filter((li) => li.hasAttribute('data-lat'))
    t.equal(withPoint.length, placed.length)
    for (const li of withPoint) {
      const stored = placed.find((p) => li.getAttribute('data-href') === `/proposals/${p.reference}`)!
      t.equal(Number(li.getAttribute('data-lat')), stored.latitude)
      t.equal(Number(li.getAttribute('data-lng')), stored.longitude)
      t.equal(li.getAttribute('data-title'), stored.title)
    }
    const without = items.filter((li) => !li.hasAttribute('data-lat'))
    t.ok(without.length > 0)
    for (const li of without) t.match(li.textContent, msg('map.round.noPoint'), 'says it has no place on the map')
    t.ok(loadsLeaflet(page))

    const odd = html(await new Visitor(app).get(`/rounds/${SLUG}?view=globe`))
    t.notOk(odd.has('[data-map]'), 'an unknown view is the list')
  },
)

t.test('Leaflet is served from node_modules, compressed, with a year of caching', async (t) => {
  for (const url of [LEAFLET_JS_PATH, LEAFLET_CSS_PATH]) {
    const res = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['content-encoding'], 'br')
    t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
  }
  t.match(LEAFLET_JS_PATH, /^\/vendor\/leaflet\/1\.9\.4\//)
})

t.test('the CSP allows the tile host for pictures and the geocoder for fetch, no more', async (t) => {
  const csp = directives((await app.inject(`/rounds/${SLUG}?view=map`)).headers['content-security-policy'])
  t.equal(csp.get('img-src'), "'self' data: https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/")
  t.equal(csp.get('connect-src'), "'self' https://api.pdok.nl/bzk/locatieserver/search/v3_1/free")
  t.equal(csp.get('script-src'), "'self'")

  const { app: other } = await testApp(t, {
    config: {
      map: {
        tilesUrl: 'https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png',
        attribution: '© OpenStreetMap',
        geocoderUrl: 'https://geo.example.org/search',
      },
    },
  })
  const configured = directives((await other.inject('/')).headers['content-security-policy'])
  t.equal(configured.get('img-src'), "'self' data: https://*.tiles.example.org/osm/")
  t.equal(configured.get('connect-src'), "'self' https://geo.example.org/search")
})

t.test('the ballot loads no map code and stays light', async (t) => {
  await inPhase('voting')
  const { createCodes } = await import('../../helpers/voting.js')
  const [code] = await createCodes(db, round!.id, 1, null)
  const v = new Visitor(app)
  await v.get(`/rounds/${SLUG}/vote`)
  await v.post(`/rounds/${SLUG}/vote`, { code: code! })
  const res = await v.get(`/rounds/${SLUG}/vote/ballot`, { 'accept-encoding': 'br' })
  t.equal(res.statusCode, 200)
  const page = html({ body: brotliDecompressSync(res.rawPayload).toString() })
  t.ok(page.has('#ballot'))
  t.notOk(
    scripts(page).some((src) => src.includes('map.js') || src.includes('leaflet')),
    'neither map.js nor Leaflet',
  )
  t.notOk(page.has('link[href*=leaflet]'))
  let total = res.rawPayload.length
  for (const url of ['/static/app.css', HTMX_PATH])
    total += (await app.inject({ url, headers: { 'accept-encoding': 'br' } })).rawPayload.length
  t.ok(total < 50 * 1024, `ballot with CSS and htmx: ${total} bytes brotli`)
})
