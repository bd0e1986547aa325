import t from 'tap'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { proposals, rounds } from '../../db/schema.js'
import { DEFAULT_MAP } from '../../server/config.js'
import { browserSession } from '../helpers/browser.js'
import { checkPage, phoneWithoutScripts } from '../helpers/pages.js'
import { msg } from '../helpers/html.js'
import { setPhase } from '../helpers/voting.js'

const session = await browserSession(t)
const TILE_HOST = new URL(DEFAULT_MAP.tilesUrl.replaceAll(/[{}]/g, '')).origin
const GEOCODER = DEFAULT_MAP.geocoderUrl

/** A phone whose map pictures cannot load, as on a train or behind a strict firewall. */
async function phoneWithoutTiles(): Promise<{ page: Page; tiles: string[] }> {
  const page = await session!.newPage()
  const tiles: string[] = []
  await page.route(`${TILE_HOST}/**`, (route) => {
    tiles.push(route.request().url())
    return route.abort()
  })
  return { page, tiles }
}

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug } = round!
  await setPhase(db, roundId, 'reviewing')
  const approved = await db.select().from(proposals).where(eq(proposals.status, 'approved'))
  const placed = approved.filter((p) => p.latitude !== null)

  t.test('the map view when the map pictures cannot load: the message shows and the list works', async (t) => {
    const { page, tiles } = await phoneWithoutTiles()
    await page.goto(`/rounds/${slug}?view=map`)
    const message = page.locator('[data-map=points] .map__message')
    await message.waitFor({ state: 'visible' })
    t.equal(await message.innerText(), msg('map.failed'), 'it says the map cannot load')
    t.ok(tiles.length > 0, 'the tiles were asked for, and failed')
    t.ok(await page.locator('[data-map=points] .map__canvas').isVisible(), 'the map still takes taps and keys')

    const markers = page.locator('a.map-pin')
    t.equal(await markers.count(), placed.length, 'a marker for every project with a point')
    t.same(
      (await markers.evaluateAll((links) => links.map((a) => a.getAttribute('aria-label')))).sort(),
      placed.map((p) => p.title).sort(),
      'each marker is named by its project',
    )
    t.equal(await page.locator('#map-points > li').count(), approved.length, 'the list has every approved project')
    await checkPage(t, page)

    // A marker is a link: reached with the keyboard and followed with Enter.
    const first = markers.first()
    const href = (await first.getAttribute('href'))!
    await first.focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(`**${href}`)
    t.equal(new URL(page.url()).pathname, href, 'Enter on a marker opens its proposal')

    await page.goBack()
    const withoutPoint = approved.find((p) => p.latitude === null)!
    await page.getByRole('link', { name: withoutPoint.title }).tap()
    await page.waitForURL(`**/proposals/${withoutPoint.reference}`)
    t.pass('the list leads to a project without a point')
    await page.context().close()
  })

  t.test('the map view in Arabic, right to left, is as accessible', async (t) => {
    const page = await session.newPage({ locale: 'ar' })
    await page.route(`${TILE_HOST}/**`, (route) => route.abort())
    await page.goto(`/rounds/${slug}?view=map`)
    t.equal(await page.locator('html').getAttribute('dir'), 'rtl')
    await page.locator('[data-map=points] .map__message').waitFor({ state: 'visible' })
    t.equal(await page.locator('.leaflet-control-zoom-in').getAttribute('aria-label'), msg('map.zoomIn', {}, 'ar'))
    await checkPage(t, page)
    await page.context().close()
  })

  t.test('without JavaScript the map view says so and lists every approved project', async (t) => {
    const page = await phoneWithoutScripts(session)
    await page.goto(`/rounds/${slug}?view=map`)
    t.equal(await page.locator('[data-map=points] .map__message').innerText(), msg('map.noScript'))
    t.notOk(await page.locator('[data-map=points] .map__canvas').isVisible(), 'no empty map box')
    t.equal(await page.locator('#map-points > li').count(), approved.length)
    await page.getByRole('link', { name: 'Lijst', exact: true }).tap()
    await page.waitForURL(`**/rounds/${slug}?view=list#ideas`)
    t.ok(await page.locator('#proposal-list .card').first().isVisible(), 'the switch goes back to the list')
    await page.context().close()
  })

  t.test('a resident sets the point by tapping the map, or with the keyboard, and it is stored', async (t) => {
    await setPhase(db, roundId, 'proposing')
    const { page } = await phoneWithoutTiles()
    await page.route(`${GEOCODER}*`, (route) => route.abort())
    await page.goto(`/rounds/${slug}/proposals/new`)
    const leafletScripts = page.locator('script[src*="/vendor/leaflet/"]')
    t.equal(await leafletScripts.count(), 0, 'Leaflet is not fetched while the map is folded away')
    await page.locator('details.proposal-more summary').tap()
    const canvas = page.locator('[data-map=pick] .map__canvas')
    await canvas.waitFor({ state: 'visible' })
    const lat = page.getByLabel(/^Breedtegraad/)
    const lng = page.getByLabel(/^Lengtegraad/)
    t.equal(await lat.inputValue(), '')
    t.equal(await leafletScripts.count(), 1, 'opening the part fetches it')

    await canvas.tap({ position: { x: 150, y: 120 } })
    const tapped = [Number(await lat.inputValue()), Number(await lng.inputValue())]
    t.ok(
      tapped[0]! > 50.7 && tapped[0]! < 53.7 && tapped[1]! > 3.2 && tapped[1]! < 7.3,
      `a tap sets ${tapped.join(', ')}`,
    )
    await t.resolves(page.locator('.leaflet-marker-icon').waitFor(), 'and puts a marker there')

    // The keyboard: the map has focus, an arrow moves it, and the button takes its middle.
    await canvas.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowDown')
    await page.getByRole('button', { name: msg('map.pick.centre') }).focus()
    await page.keyboard.press('Enter')
    const centred = [Number(await lat.inputValue()), Number(await lng.inputValue())]
    t.not(centred.join(), tapped.join(), `the middle of the moved map: ${centred.join(', ')}`)

    // Address search fails here (no network): it says so, and the map keeps working.
    await page.getByLabel(msg('map.search.label')).fill('Mathenesserplein Rotterdam')
    await page.keyboard.press('Enter')
    await t.resolves(page.getByText(msg('map.search.failed')).waitFor(), 'a failed search says so')
    t.equal(new URL(page.url()).pathname, `/rounds/${slug}/proposals/new`, 'Enter in the search sends no proposal')
    await checkPage(t, page)

    await page.getByLabel('Titel', { exact: true }).fill('Bankje met zonnelader')
    await page.getByLabel('Korte samenvatting').fill('Een bankje waar je je telefoon oplaadt met zonnestroom.')
    await page.getByLabel('Beschrijving').fill('Bij de halte komt een bankje met een klein zonnepaneel.')
    await page.getByLabel('Kosten in euro').fill('1.200')
    await page.getByRole('radio', { name: /^Ruimtelijk/ }).check()
    await page.getByRole('checkbox', { name: 'Groen', exact: true }).check()
    await page.getByLabel('Uw naam').fill('Samira Bakker')
    await page.getByLabel(/^E-mailadres/).fill('samira@example.org')
    await page.getByRole('checkbox', { name: 'De gemeente mag contact met mij opnemen over dit idee.' }).check()
    await page.getByRole('button', { name: 'Stuur mijn idee in' }).tap()
    await page.waitForURL('**/status/*')
    const [stored] = await db.select().from(proposals).where(eq(proposals.title, 'Bankje met zonnelader'))
    t.match(stored, { latitude: centred[0], longitude: centred[1] }, 'the point is stored')
    await page.context().close()
  })
}
