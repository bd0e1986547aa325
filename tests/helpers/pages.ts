import type { Test } from 'tap'
import type { Page } from 'playwright-core'
import { DEMO_PASSWORD } from '../../server/data/demo.js'
import { checkA11y, scrollWidth, type BrowserSession } from './browser.js'

const path = (page: Page) => new URL(page.url()).pathname

/**
 * What every page must pass: no axe violations, and nothing to scroll sideways at the width the
 * page is shown at (360 px for a page from newPage(); an official's desktop page is checked at its own width).
 */
export async function checkPage(t: Test, page: Page): Promise<void> {
  await checkA11y(page)
  t.pass(`no axe violations on ${path(page)}`)
  const { width } = page.viewportSize()!
  const scrolled = await scrollWidth(page)
  t.ok(scrolled <= width, `${path(page)} fits ${width} px (document is ${scrolled} px wide)`)
}

/** A phone like newPage() gives, with scripts switched off: the journey a resident without JavaScript takes. */
export function phoneWithoutScripts(session: BrowserSession): Promise<Page> {
  return session.newPage({ javaScriptEnabled: false })
}

/**
 * checkPage() for a page reached without JavaScript. axe cannot run where scripts are off (its
 * promises never settle there), so the page is checked again in a phone with scripts on. A page that
 * answered a POST cannot be fetched again with a GET, so the HTML the script-less phone got is served
 * once more at its own address, and the check sees exactly what that phone showed.
 */
export async function checkPageWithScripts(t: Test, session: BrowserSession, from: Page): Promise<void> {
  const url = from.url()
  const html = await from.content()
  const page = await session.newPage()
  await page.route(
    url,
    (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    { times: 1 },
  )
  await page.goto(url)
  await checkPage(t, page)
  await page.context().close()
}

/** Logs an official in with the demo password, through the login form, and waits for the dashboard. */
export async function login(page: Page, email: string): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('E-mailadres').fill(email)
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click()
  await page.waitForURL('**/official')
}

/**
 * Logs an official in with the demo password after switching the interface with the language link,
 * as an official who reads another language does. The form is found by its field names, so no
 * label in any one language is assumed; the login page is checked in that language on the way.
 */
export async function loginInLanguage(t: Test, page: Page, email: string, lang: string): Promise<void> {
  await page.goto(`/language/${lang}?next=/login`)
  await page.waitForURL('**/login')
  t.equal(await page.locator('html').getAttribute('lang'), lang, `the login page is in ${lang}`)
  await checkPage(t, page)
  await page.locator('input[name="email"]').fill(email)
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD)
  await page.locator('form[action="/login"] button[type="submit"]').click()
  await page.waitForURL('**/official')
}
