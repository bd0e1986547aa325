import t from 'tap'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { ballots, proposals, proposalTranslations, rounds } from '../../db/schema.js'
import { browserSession } from '../helpers/browser.js'
import { checkPage, login } from '../helpers/pages.js'
import { DEMO_OFFICIALS } from '../../server/data/demo.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const session = await browserSession(t)

/** What a resident reads in each language, and the translated demo project they tick. */
const JOURNEYS = [
  {
    lang: 'ar',
    locale: 'ar',
    dir: 'rtl',
    title: 'إضاءة موفرة في المداخل',
    cost: '٢٬٥٠٠',
    cents: 250_000,
    project: 'مدربو الطاقة بلغتك',
  },
  {
    lang: 'tr',
    locale: 'tr-TR',
    dir: 'ltr',
    title: 'Apartman girişlerinde tasarruflu aydınlatma',
    cost: '2.500',
    cents: 250_000,
    project: 'Kendi dilinizde enerji koçları',
  },
] as const

const html = (page: Page) => page.locator('html')

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug } = round!
  const codes = await createCodes(db, roundId, JOURNEYS.length)

  for (const [i, journey] of JOURNEYS.entries()) {
    t.test(
      `a resident whose phone reads ${journey.lang} proposes, enters the letter code, votes and sees the receipt at 360 px`,
      async (t) => {
        await setPhase(db, roundId, 'proposing')
        const page = await session.newPage({ locale: journey.locale })
        await page.goto(`/rounds/${slug}`)
        t.equal(await html(page).getAttribute('lang'), journey.lang, "the browser's language is chosen")
        t.equal(await html(page).getAttribute('dir'), journey.dir)
        await checkPage(t, page)

        await page.goto(`/rounds/${slug}/proposals/new`)
        t.equal(
          await page.locator('#writtenIn').inputValue(),
          journey.lang,
          "the idea is taken to be written in the page's language",
        )
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
        t.match(
          stored,
          { lang: journey.lang, costCents: journey.cents },
          'stored with its language and the amount as typed',
        )
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
        t.equal(await translated.getAttribute('lang'), journey.lang, "the project is shown in the resident's language")
        await translated.click()
        await checkPage(t, page)
        await page.locator('button[value="submit"]').click()
        await page.waitForURL('**/receipts/*?new=1')
        t.equal(await html(page).getAttribute('lang'), journey.lang)
        t.ok(await page.locator('.receipt-code').isVisible(), 'the receipt code is shown')
        t.equal((await db.select().from(ballots)).length, i + 1, 'the ballot is stored')
        await checkPage(t, page)
        await page.context().close()
      },
    )
  }

  t.test('the paper ballot in Arabic fits a phone and passes axe', async (t) => {
    const page = await session.newPage()
    await page.goto(`/rounds/${slug}/paper-ballot/ar`)
    t.equal(await html(page).getAttribute('dir'), 'rtl')
    await checkPage(t, page)
    await page.context().close()
  })

  t.test('a language coach and an admin work on the official pages in Arabic at 360 px', async (t) => {
    await setPhase(db, roundId, 'reviewing')
    const coach = DEMO_OFFICIALS.find((o) => o.role === 'coach')!
    const page = await session.newPage()
    await login(page, coach.email)
    // The switch is a plain link: the official's choice is remembered like a resident's.
    await page.goto('/language/ar?next=/official')
    await page.waitForURL('**/official')
    t.equal(await html(page).getAttribute('dir'), 'rtl')
    await checkPage(t, page)
    await page.goto(`/official/rounds/${roundId}/translations`)
    t.equal(await html(page).getAttribute('lang'), 'ar')
    await checkPage(t, page)
    await page.locator('a[href^="/official/proposals/"][href*="/translate"]').first().click()
    await page.waitForURL('**/translate**')
    await checkPage(t, page)
    await page.locator('#lang').selectOption('pl')
    await page.locator('#title').fill('Oświetlenie oszczędne na klatkach')
    await page.locator('#summary').fill('Lampy LED z czujnikiem ruchu.')
    await page.locator('#description').fill('Lampy zapalają się tylko wtedy, gdy ktoś przechodzi.')
    await page.locator('form[action$="/translate"] button[type="submit"]').click()
    await page.locator('.alert--ok').waitFor()
    const saved = await db.select().from(proposalTranslations).where(eq(proposalTranslations.lang, 'pl'))
    t.ok(
      saved.some((row) => row.title === 'Oświetlenie oszczędne na klatkach'),
      "the coach's translation is stored",
    )
    await checkPage(t, page)
    await page.context().close()

    const admin = DEMO_OFFICIALS.find((o) => o.role === 'admin')!
    const desk = await session.newPage()
    await login(desk, admin.email)
    await desk.goto('/language/ar?next=/official')
    await desk.waitForURL('**/official')
    for (const path of [
      `/official/rounds/${roundId}`,
      '/official/moderation',
      `/official/rounds/${roundId}/turnout`,
      `/official/rounds/${roundId}/codes`,
      `/official/rounds/${roundId}/help-desk`,
    ]) {
      await desk.goto(path)
      t.equal(await html(desk).getAttribute('dir'), 'rtl', path)
      await checkPage(t, desk)
    }
    await desk.context().close()
  })
}
