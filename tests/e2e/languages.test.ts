import t from 'tap'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { ballots, proposals, rounds } from '../../db/schema.js'
import { browserSession } from '../helpers/browser.js'
import { checkPage } from '../helpers/pages.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const session = await browserSession(t)

/** What a resident reads in each language, and the translated demo project they tick. */
const JOURNEYS = [
  { lang: 'ar', locale: 'ar', dir: 'rtl', title: 'إضاءة موفرة في المداخل', cost: '٢٬٥٠٠', cents: 250_000, project: 'مدربو الطاقة بلغتك' },
  { lang: 'tr', locale: 'tr-TR', dir: 'ltr', title: 'Apartman girişlerinde tasarruflu aydınlatma', cost: '2.500', cents: 250_000, project: 'Kendi dilinizde enerji koçları' },
] as const

const html = (page: Page) => page.locator('html')

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug } = round!
  const codes = await createCodes(db, roundId, JOURNEYS.length)

  for (const [i, journey] of JOURNEYS.entries()) {
    t.test(`a resident whose phone reads ${journey.lang} proposes, enters the letter code, votes and sees the receipt at 360 px`, async (t) => {
      await setPhase(db, roundId, 'proposing')
      const page = await session.newPage({ locale: journey.locale })
      await page.goto(`/rounds/${slug}`)
      t.equal(await html(page).getAttribute('lang'), journey.lang, 'the browser\'s language is chosen')
      t.equal(await html(page).getAttribute('dir'), journey.dir)
      await checkPage(t, page)

      await page.goto(`/rounds/${slug}/proposals/new`)
      t.equal(await page.locator('#writtenIn').inputValue(), journey.lang, 'the idea is taken to be written in the page\'s language')
      await page.locator('#title').fill(journey.title)
      await page.locator('#summary').fill(journey.title)
      await page.locator('#description').fill(journey.title)
      await page.locator('#cost').fill(journey.cost)
      await page.locator('input[name="track"][value="financial-technical"]').check()
      await page.locator('input[name="themes"][value="green"]').check()
      await page.locator('input[name="contactName"]').fill('Resident')
      await page.locator('input[name="contactEmail"]').fill(`resident-${journey.lang}@example.org`)
      await page.locator('input[name="consent"]').check()
      await checkPage(t, page)
      await page.locator('form.proposal-form button[type="submit"]').click()
      await page.waitForURL('**/status/*')
      t.equal(await html(page).getAttribute('lang'), journey.lang)
      const [stored] = await db.select().from(proposals).where(eq(proposals.title, journey.title))
      t.match(stored, { lang: journey.lang, costCents: journey.cents }, 'stored with its language and the amount as typed')
      await checkPage(t, page)

      await setPhase(db, roundId, 'voting')
      await page.goto(`/rounds/${slug}/vote`)
      t.ok(await page.locator('.help-desk a[href^="tel:"]').isVisible(), 'the help desk is at hand on the code page')
      await checkPage(t, page)
      await page.locator('#code').fill(codes[i]!)
      await page.locator('form[action$="/vote"] button[type="submit"]').click()
      await page.waitForURL('**/vote/ballot')
      t.equal(await html(page).getAttribute('dir'), journey.dir)
      const translated = page.locator('.project__title', { hasText: journey.project })
      t.equal(await translated.getAttribute('lang'), journey.lang, 'the project is shown in the resident\'s language')
      await translated.click()
      await checkPage(t, page)
      await page.locator('button[value="submit"]').click()
      await page.waitForURL('**/receipts/*?new=1')
      t.equal(await html(page).getAttribute('lang'), journey.lang)
      t.ok(await page.locator('.receipt-code').isVisible(), 'the receipt code is shown')
      t.equal((await db.select().from(ballots)).length, i + 1, 'the ballot is stored')
      await checkPage(t, page)
      await page.context().close()
    })
  }

  t.test('the paper ballot in Arabic fits a phone and passes axe', async (t) => {
    const page = await session.newPage()
    await page.goto(`/rounds/${slug}/paper-ballot/ar`)
    t.equal(await html(page).getAttribute('dir'), 'rtl')
    await checkPage(t, page)
    await page.context().close()
  })
}
