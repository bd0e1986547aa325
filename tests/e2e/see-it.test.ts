import t from 'tap'
import { eq } from 'drizzle-orm'
import { officials, proposals, rounds } from '../../db/schema.js'
import { DEFAULT_MAP } from '../../server/config.js'
import { DEMO_OFFICIALS } from '../../server/data/demo.js'
import { publishResult } from '../../server/usecases/results.js'
import { browserSession } from '../helpers/browser.js'
import { MAIL_WORDS } from '../helpers/mail-words.js'
import { checkPage } from '../helpers/pages.js'
import { listPhotos, texturedJpeg } from '../helpers/photos.js'
import { postProgress } from '../../server/usecases/progress.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const session = await browserSession(t)
const TILE_HOST = new URL(DEFAULT_MAP.tilesUrl.replaceAll(/[{}]/g, '')).origin
const TITLE = 'Zonnedak op buurthuis De Horizon'
const ALT = 'Het platte dak van het buurthuis, met grind en een schoorsteen.'

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug } = round!

  t.test(
    'the whole story at 360 px: an idea with a photo and a point, read from the ballot and voted for, then followed on the progress page',
    async (t) => {
      await setPhase(db, roundId, 'proposing')
      const page = await session.newPage()
      // No network here, as on a train: the map's pictures fail and everything else works.
      await page.route(`${TILE_HOST}/**`, (route) => route.abort())

      // A resident proposes, with a photo from the phone and a point tapped on the map.
      await page.goto(`/rounds/${slug}/proposals/new`)
      await page.getByLabel('Titel', { exact: true }).fill(TITLE)
      await page.getByLabel('Korte samenvatting').fill('Het buurthuis wekt zijn eigen stroom op.')
      await page
        .getByLabel('Beschrijving')
        .fill('Op het platte dak passen 30 panelen; de stroom gaat naar het buurthuis.')
      await page.getByLabel('Kosten in euro').fill('9.500')
      await page.getByRole('radio', { name: /^Ruimtelijk/ }).check()
      await page.getByRole('checkbox', { name: 'Energiearmoede', exact: true }).check()
      await page.locator('details.proposal-more summary').tap()
      await page.getByLabel(/^Waar in de wijk\?/).fill('Buurthuis De Horizon')
      const canvas = page.locator('[data-map=pick] .map__canvas')
      await canvas.waitFor({ state: 'visible' })
      await canvas.tap({ position: { x: 160, y: 110 } })
      const point = [
        Number(await page.getByLabel(/^Breedtegraad/).inputValue()),
        Number(await page.getByLabel(/^Lengtegraad/).inputValue()),
      ]
      await page.locator('#photo1').setInputFiles({
        name: 'IMG_2041.jpg',
        mimeType: 'image/jpeg',
        buffer: await texturedJpeg(1600, 1200),
      })
      await page.locator('#photoAlt1').fill(ALT)
      await page.getByLabel('Uw naam').fill('Samira Bakker')
      await page.getByLabel(/^E-mailadres/).fill('samira@example.org')
      await page.getByRole('checkbox', { name: 'De gemeente mag contact met mij opnemen over dit idee.' }).check()
      await checkPage(t, page)
      await page.getByRole('button', { name: 'Stuur mijn idee in' }).tap()
      await page.waitForURL('**/status/*')
      const [idea] = await db.select().from(proposals).where(eq(proposals.title, TITLE))
      t.match(idea, { latitude: point[0], longitude: point[1] }, 'the point tapped is stored')
      const stored = (await listPhotos(db)).filter((p) => p.proposalId === idea!.id)
      t.same(
        stored.map((p) => p.alt),
        [ALT],
        'the photo is stored with what it shows',
      )

      // A moderator approves it (moderation has its own journeys), and voting opens.
      await db.update(proposals).set({ status: 'approved' }).where(eq(proposals.id, idea!.id))
      await setPhase(db, roundId, 'voting')
      const [code] = await createCodes(db, roundId, 1, '3024')
      await page.goto(`/rounds/${slug}/vote?code=${code}`)
      await page.waitForURL(`**/rounds/${slug}/vote/ballot`)
      const other = page.getByRole('checkbox', { name: /^Energiecoaches/ })
      await other.check()
      await page.getByRole('button', { name: new RegExp(`^Bekijk project\\s+${TITLE}`) }).tap()
      await page.waitForURL(`**/proposals/${idea!.reference}?from=ballot`)
      const photo = page.getByRole('img', { name: ALT })
      await photo.scrollIntoViewIfNeeded()
      t.ok(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the photo shows')
      const chosen = await photo.evaluate((img: HTMLImageElement) => img.currentSrc)
      // 360 px at twice the density wants 720 pixels: the 960 wide WebP, not the 1,600 one nor the JPEG.
      t.match(chosen, /\/960\.webp$/, `a phone gets a size for its screen in the modern format: ${chosen}`)
      const leaflet = page.locator('script[src*="/vendor/leaflet/"]')
      t.equal(await leaflet.count(), 0, 'the map is folded: no map code until the reader asks')
      await page.getByText('Bekijk de plek op de kaart').tap()
      await page.locator('[data-map=show] .map__canvas').waitFor({ state: 'visible' })
      t.equal(await leaflet.count(), 1, 'opened, it is fetched and drawn')
      const shown = page.locator('[data-lat]')
      t.equal(Number(await shown.getAttribute('data-lat')), point[0], 'its page shows the point')
      t.match(await page.locator('main').innerText(), 'Buurthuis De Horizon', 'and the place in words')
      await checkPage(t, page)

      await page.getByRole('link', { name: 'Terug naar mijn stembiljet' }).first().tap()
      await page.waitForURL(`**/rounds/${slug}/vote/ballot#project-${idea!.id}`)
      t.ok(await other.isChecked(), 'the choice made before reading is still there')
      await page.getByRole('checkbox', { name: new RegExp(`^${TITLE}`) }).check()
      await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
      await page.waitForURL('**/receipts/*?new=1')

      // Counted and published; an official reports the project under way; the resident reads what happened.
      await setPhase(db, roundId, 'closed')
      const admin = DEMO_OFFICIALS.find((o) => o.role === 'admin')!
      const [official] = await db.select().from(officials).where(eq(officials.email, admin.email))
      await publishResult(db, {
        roundId,
        actor: { kind: 'official', id: official!.id, role: 'admin' },
        official: official!,
        softwareVersion: 'test',
        mailer: MAIL_WORDS,
      })
      await postProgress(
        db,
        MAIL_WORDS,
        roundId,
        {
          proposalId: idea!.id,
          status: 'in_progress',
          text: 'De panelen zijn besteld.',
          on: '2027-03-01',
          spentCents: null,
          kwhReached: null,
          co2Reached: null,
          householdsReached: null,
        },
        official!,
      )
      await page.goto(`/rounds/${slug}/progress`)
      const project = page.locator(`#project-${idea!.id}`)
      t.match(await project.innerText(), 'De panelen zijn besteld.', 'the funded idea and its news')
      t.ok(
        await project.getByRole('link', { name: /^Volg dit project per e-mail/ }).isVisible(),
        'it can be followed from here',
      )
      await checkPage(t, page)
      await page.context().close()
    },
  )
}
