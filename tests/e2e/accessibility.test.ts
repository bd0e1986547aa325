import t from 'tap'
import type { Page } from 'playwright-core'
import { proposals, rounds } from '../../db/schema.js'
import { DEMO_OFFICIALS } from '../../server/data/demo.js'
import { listBallotProjects } from '../../server/data/ballots.js'
import { browserSession, scrollWidth } from '../helpers/browser.js'
import { checkPage, login } from '../helpers/pages.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const session = await browserSession(t)
const admin = DEMO_OFFICIALS.find((o) => o.role === 'admin')!
const NARROW = { width: 320, height: 640 }
const LONG_TITLE = 'Energiebesparingsadviesgesprekkenreeksvoorverenigingenvaneigenaren in alle portiekflats van de wijk'

/** The elements that stick out past the right edge: what makes a page scroll sideways. */
const overflowing = (page: Page, width: number) =>
  page.evaluate(
    (w) =>
      [...document.querySelectorAll('body *')]
        .filter(
          (el) =>
            el.getBoundingClientRect().right > w ||
            (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0),
        )
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}.${el.className}: ${el.getBoundingClientRect().right} ${el.scrollWidth}/${el.clientWidth}`,
        )
        .slice(0, 8),
    width,
  )

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')
const project = (page: Page, title: string) => page.getByRole('checkbox', { name: new RegExp(`^${title}`) })

/** Text at 200 %, as a browser's text-size setting gives it: everything here is sized in rem and em. */
const largeText = (page: Page) =>
  page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%', 'important'))

/**
 * Every amount of money on the page stays on one line: the line boxes of each "€ …" in the text
 * all sit at one height. Returns how many amounts there are and those that broke.
 */
function amountsOnOneLine(page: Page): Promise<{ count: number; broken: string[] }> {
  return page.evaluate(() => {
    const broken: string[] = []
    let count = 0
    const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of (node.textContent ?? '').matchAll(/€\s?[\d.,]+/g)) {
        const range = document.createRange()
        range.setStart(node, match.index)
        range.setEnd(node, match.index + match[0].length)
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)))
        count++
        if (tops.size > 1) broken.push(match[0])
      }
    }
    return { count, broken }
  })
}

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug } = round!
  const [sample] = await db.select().from(proposals)
  // A project with a long unbroken word in its title: it must wrap, not push the page sideways.
  await db.insert(proposals).values({
    roundId,
    reference: 'WB-LONG01',
    statusToken: 'long-title-token-xxxxxxxxxxxxxxxxxxxx',
    title: LONG_TITLE,
    summary: 'Een reeks gesprekken.',
    description: 'Gesprekken.',
    costCents: 500_000,
    track: 'social',
    themes: ['energy-poverty'],
    contactName: 'x',
    status: 'approved',
    waitingSince: null,
    submittedAt: sample!.submittedAt,
  })
  await setPhase(db, roundId, 'voting')
  const projects = await listBallotProjects(db, roundId)
  const byTitle = (start: string) => projects.find((p) => p.title.startsWith(start))!
  const [narrowCode, keyboardCode, focusCode] = await createCodes(db, roundId, 3)

  /** Ticks projects with the keyboard, as someone without a mouse does, waiting for htmx after each. */
  async function tickAll(page: Page, titles: string[]) {
    for (const title of titles) {
      await project(page, title).focus()
      await page.keyboard.press('Space')
      await page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'))
    }
  }

  async function ballot(page: Page, code: string) {
    // The letter's QR link opens the ballot itself.
    await page.goto(`/rounds/${slug}/vote?code=${code}`)
    await page.waitForURL(`**/rounds/${slug}/vote/ballot`)
    await page.waitForFunction(() => 'htmx' in window)
  }

  t.test('320 px wide with text at 200 %: the ballot does not scroll sideways, long titles wrap', async (t) => {
    const context = await session.browser.newContext({
      baseURL: session.baseUrl,
      viewport: NARROW,
      isMobile: true,
      hasTouch: true,
      locale: 'nl-NL',
    })
    const page = await context.newPage()
    await ballot(page, narrowCode!)
    await largeText(page)
    t.equal(
      await page.evaluate(() => getComputedStyle(document.documentElement).fontSize),
      '32px',
      'the text is twice its size',
    )
    t.ok(await project(page, LONG_TITLE).isVisible(), 'the long title is on the ballot')
    t.ok(
      (await scrollWidth(page)) <= NARROW.width,
      `the ballot fits 320 px (document is ${await scrollWidth(page)} px wide)`,
    )
    // Over budget, the meter's words and mark must fit too.
    await tickAll(page, ['Isolatiehulp', 'Zonnepanelen', 'Energiecoaches', 'Energiecafé', 'Warmtescan'])
    await page.locator('.meter--over').waitFor()
    t.same(await overflowing(page, NARROW.width), [], 'over budget nothing sticks out')
    t.ok(
      (await scrollWidth(page)) <= NARROW.width,
      `over budget it still fits (document is ${await scrollWidth(page)} px wide)`,
    )
    await page.goto('/toegankelijkheid')
    await largeText(page)
    t.same(await overflowing(page, NARROW.width), [], 'nothing on the accessibility statement sticks out')
    t.ok((await scrollWidth(page)) <= NARROW.width, 'the accessibility statement fits too')
    await context.close()
  })

  t.test(
    'a project that no longer fits is reached by keyboard, says why, and the live region says it no longer fits',
    async (t) => {
      const page = await session.newPage()
      await ballot(page, keyboardCode!)
      await tickAll(page, ['Isolatiehulp', 'Zonnepanelen', 'Energiecoaches', 'Energiecafé'])
      const heatScan = byTitle('Warmtescan')
      await page.locator(`#project-${heatScan.id}[aria-disabled="true"]`).waitFor()
      t.equal(
        await page.locator(`#project-${heatScan.id}`).evaluate((box) => (box as HTMLInputElement).disabled),
        false,
        'not disabled: it stays in the tab order',
      )
      // Tab from the project before it, past that project's "view project" button, lands on it.
      await page.locator(`#project-${projects[projects.indexOf(heatScan) - 1]!.id}`).focus()
      await page.keyboard.press('Tab')
      t.match(await page.evaluate(() => document.activeElement?.className), 'project__look')
      await page.keyboard.press('Tab')
      t.equal(await focusedId(page), `project-${heatScan.id}`, 'Tab reaches the project that no longer fits')
      const description = await page.evaluate((id) => {
        const box = document.getElementById(id)!
        return (box.getAttribute('aria-describedby') ?? '')
          .split(' ')
          .map((ref) => document.getElementById(ref)?.textContent)
          .join(' ')
      }, `project-${heatScan.id}`)
      t.match(description, /^Past niet meer: u komt €\s[\d.]+ tekort/, 'its reason is its description')
      t.match(
        await page.locator('#ballot-announce').innerText(),
        /Projecten die niet meer passen: \d+\./,
        'the live region says projects no longer fit',
      )
      t.equal(await page.locator('#ballot-announce').getAttribute('aria-live'), 'polite')
      await checkPage(t, page)

      await page.keyboard.press('Space')
      await page.locator('.meter--over').waitFor()
      t.match(
        await page.locator('.meter').innerText(),
        /Boven het budget: €\s[\d.]+ te veel/,
        'ticked anyway, the meter says over budget in words',
      )
      t.match(
        await page.locator('#ballot-announce').innerText(),
        /Boven het budget: €\s[\d.]+ te veel\./,
        'and so does the live region',
      )
      t.equal(await page.locator('.meter__icon').getAttribute('aria-hidden'), 'true')
      await checkPage(t, page)
      await page.getByRole('button', { name: 'Stem uitbrengen' }).click()
      await page.waitForURL(`**/rounds/${slug}/vote/ballot`)
      t.equal(await focusedId(page), 'error-summary', 'the server refuses it and focus goes to the summary')
      await page.context().close()
    },
  )

  t.test('after a failed submit focus is on the error summary, whose link moves to the field', async (t) => {
    const page = await session.newPage()
    await page.goto(`/rounds/${slug}/vote`)
    await page.getByRole('button', { name: 'Verder' }).click()
    await page.locator('#error-summary').waitFor()
    t.equal(await focusedId(page), 'error-summary', 'focus moved to the summary at the top')
    t.match(await page.title(), /^Fout: Stemcode invullen – /)
    await checkPage(t, page)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    t.equal(new URL(page.url()).hash, '#code', 'the link leads to the field')
    await page.getByLabel('Uw stemcode').fill(focusCode!)
    await page.getByRole('button', { name: 'Verder' }).click()
    await page.waitForURL(`**/rounds/${slug}/vote/ballot`)
    await page.context().close()
  })

  t.test('the accessibility statement passes axe and is linked from the footer', async (t) => {
    const page = await session.newPage()
    await page.goto(`/rounds/${slug}`)
    await page.getByRole('contentinfo').getByRole('link', { name: 'Toegankelijkheid' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL('**/toegankelijkheid')
    t.equal(await page.locator('h1').innerText(), 'Toegankelijkheidsverklaring')
    await checkPage(t, page)
    await page.context().close()
  })

  t.test('official pages at 360 px keep every amount on one line', async (t) => {
    const page = await session.newPage()
    await login(page, admin.email)
    await setPhase(db, roundId, 'closed')
    for (const path of [
      '/official',
      `/official/rounds/${roundId}`,
      `/official/rounds/${roundId}/results`,
      '/official/moderation',
    ]) {
      await page.goto(path)
      const { count, broken } = await amountsOnOneLine(page)
      t.same(broken, [], `none of the ${count} amounts on ${path} breaks across lines`)
      if (path === '/official') await checkPage(t, page)
    }
    await page.context().close()
  })
}
