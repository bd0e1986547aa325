import t from 'tap'
import type { Page } from 'playwright-core'
import { DEMO_OFFICIALS, DEMO_PASSWORD } from '../../server/data/demo.js'
import { browserSession, PHONE } from '../helpers/browser.js'
import { checkPage } from '../helpers/pages.js'

const session = await browserSession(t)
const ROUND = 'Wijkbudget Energie Bospolder-Tussendijken'
const admin = DEMO_OFFICIALS.find((o) => o.role === 'admin')!

const path = (page: Page) => new URL(page.url()).pathname
// What a reader sees: the invisible isolate marks around names in sentences are not words.
const text = async (page: Page) => (await page.locator('main').innerText()).replace(/[\u2066-\u2069]/g, '')

if (session) {
  t.test('a resident opens the home page, follows the round and sees its budget and proposals', async (t) => {
    const page = await session.newPage()
    await page.goto('/')
    t.equal(await page.locator('html').getAttribute('lang'), 'nl', 'Dutch by default')
    t.equal(await page.locator('h1').innerText(), 'Wijkbudgetten')
    await checkPage(t, page)

    await page.getByRole('link', { name: ROUND }).click()
    await page.waitForURL('**/rounds/bospolder-tussendijken')
    t.equal(await page.locator('h1').innerText(), ROUND)
    const main = await text(page)
    t.match(main, /€\s?100\.000/, 'the budget is shown in euro')
    t.match(main, 'Ideeën worden bekeken', 'the phase is shown')
    t.ok(
      await page.getByRole('heading', { name: 'Energiecoaches in je eigen taal' }).isVisible(),
      'an approved proposal is listed',
    )
    t.ok(
      await page.getByRole('heading', { name: 'Groene daken op bushokjes' }).isVisible(),
      'a proposal under review is listed',
    )
    await checkPage(t, page)
    await page.context().close()
  })

  t.test(
    'a resident switches to English with the language switch, and the choice stays on the next page',
    async (t) => {
      const page = await session.newPage()
      await page.goto('/rounds/bospolder-tussendijken')
      await page.locator('.language-switch summary').click()
      await page.locator('.language-switch').getByRole('link', { name: 'English' }).click()
      await page.waitForURL('**/rounds/bospolder-tussendijken')
      t.equal(await page.locator('html').getAttribute('lang'), 'en')
      t.ok(
        await page.getByRole('heading', { name: 'Ideas', exact: true }).isVisible(),
        'the proposals heading is in English',
      )
      t.match(await text(page), 'Ideas being checked', 'the phase is in English')
      await checkPage(t, page)

      await page.getByRole('link', { name: 'Neighbourhood budgets' }).click()
      await page.waitForURL((url) => url.pathname === '/')
      t.equal(await page.locator('html').getAttribute('lang'), 'en', 'still English on the next page')
      t.equal(await page.locator('h1').innerText(), 'Neighbourhood budgets')
      await page.locator('.language-switch summary').click()
      t.ok(await page.getByRole('link', { name: 'Nederlands' }).isVisible(), 'the way back to Dutch is offered')
      await checkPage(t, page)
      await page.context().close()
    },
  )

  t.test('the demo admin logs in through the staff link, lands on the dashboard and logs out', async (t) => {
    const page = await session.newPage()
    await page.goto('/')
    await page.getByRole('link', { name: 'Inloggen medewerkers' }).click()
    await page.waitForURL('**/login')
    await checkPage(t, page)

    await page.getByLabel('E-mailadres').fill(admin.email)
    await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click()
    await page.waitForURL('**/official')
    t.equal(await page.locator('h1').innerText(), 'Beheer')
    t.match(await text(page), `Welkom, ${admin.name}.`)
    t.ok(await page.getByRole('link', { name: ROUND }).isVisible(), 'the round is on the dashboard')
    await checkPage(t, page)

    await page.getByRole('button', { name: 'Uitloggen' }).click()
    await page.waitForURL((url) => url.pathname === '/')
    t.ok(
      await page.getByRole('link', { name: 'Inloggen medewerkers' }).isVisible(),
      'logged out: the staff link is back',
    )
    await page.goto('/official')
    t.equal(path(page), '/login', 'the dashboard now asks for a login')
    await page.context().close()
  })

  t.test('the first Tab shows the skip link with a visible focus ring, and it jumps to the content', async (t) => {
    const page = await session.newPage()
    await page.goto('/rounds/bospolder-tussendijken')
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      const box = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      return {
        className: el.className,
        text: el.innerText,
        left: box.left,
        right: box.right,
        top: box.top,
        outline: style.outlineStyle,
        outlineWidth: style.outlineWidth,
      }
    })
    t.equal(focused.className, 'skip-link')
    t.equal(focused.text, 'Direct naar de inhoud')
    t.ok(focused.left >= 0 && focused.right <= PHONE.width && focused.top >= 0, 'the skip link is on screen')
    t.not(focused.outline, 'none', 'the focus has an outline')
    t.not(focused.outlineWidth, '0px', 'the outline has a width')
    await page.keyboard.press('Enter')
    t.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'focus moved to the main content')
    await page.context().close()
  })
}
