import t, { type Test } from 'tap'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { ballots, rounds } from '../../db/schema.js'
import { findCode } from '../../server/data/voting-codes.js'
import { listBallotProjects } from '../../server/data/ballots.js'
import { hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../helpers/app.js'
import { browserSession, type BrowserSession } from '../helpers/browser.js'
import { checkPage, checkPageWithScripts, phoneWithoutScripts } from '../helpers/pages.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const session = await browserSession(t)

const project = (page: Page, title: string) => page.getByRole('checkbox', { name: new RegExp(`^${title}`) })
const lookButton = (page: Page, title: string) =>
  page.getByRole('button', { name: new RegExp(`^Bekijk project\\s+${title}`) })
const htmxIdle = (page: Page) =>
  page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'))

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug } = round!
  await setPhase(db, roundId, 'voting')
  const projects = await listBallotProjects(db, roundId)
  const byTitle = (start: string) => projects.find((p) => p.title.startsWith(start))!
  const coaches = byTitle('Energiecoaches')
  const solar = byTitle('Zonnepanelen')
  const cafe = byTitle('Energiecafé')
  const [jsCode, noJsCode] = await createCodes(db, roundId, 2, '3024')
  const ballotOf = async (code: string) => {
    const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
    return db.select().from(ballots).where(eq(ballots.codeId, found!.id))
  }

  /** Every address the phone asked for: no choice may travel in one. */
  function addressesOf(page: Page): string[] {
    const urls: string[] = []
    page.on('request', (r) => urls.push(r.url()))
    return urls
  }

  /** The project's page opened from the ballot: its own page, with the way back, passing axe at 360 px. */
  async function onProjectPage(t: Test, page: Page, from: BrowserSession | null) {
    await page.waitForURL(`**/proposals/${cafe.reference}?from=ballot`)
    t.equal(await page.locator('h1').innerText(), cafe.title, "the project's public page")
    const back = page.getByRole('link', { name: 'Terug naar mijn stembiljet' })
    t.equal(await back.count(), 2, 'a way back at the top and at the end')
    t.equal(await back.first().getAttribute('href'), `/rounds/${slug}/vote/ballot#project-${cafe.id}`)
    if (from) await checkPageWithScripts(t, from, page)
    else await checkPage(t, page)
    return back
  }

  /** Casts what is ticked and checks that exactly `chosen` is stored for the code. */
  async function castAndCheck(t: Test, page: Page, code: string, chosen: number[]) {
    await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
    await page.waitForURL('**/receipts/*?new=1')
    t.match(await page.getByRole('status').innerText(), 'Dank u wel! Uw stem is opgeslagen.')
    const [stored] = await ballotOf(code)
    t.same(
      stored!.projectIds,
      [...chosen].sort((a, b) => a - b),
      'what was ticked is cast, and only that',
    )
    t.equal(await page.locator('.receipt-code').innerText(), stored!.receipt, 'the receipt is shown')
  }

  t.test(
    'with JavaScript a resident ticks two projects, reads a third one, comes back to the two and votes',
    async (t) => {
      const page = await session.newPage()
      const urls = addressesOf(page)
      await page.goto(`/rounds/${slug}/vote?code=${jsCode}`)
      await page.waitForFunction(() => 'htmx' in window)
      for (const chosen of [coaches, solar]) {
        await project(page, chosen.title).tap()
        await htmxIdle(page)
        t.ok(await project(page, chosen.title).isChecked(), `${chosen.title} is ticked`)
      }
      await checkPage(t, page)

      await lookButton(page, cafe.title).tap()
      const back = await onProjectPage(t, page, null)
      t.same(await ballotOf(jsCode!), [], 'reading a project casts nothing')

      await back.first().tap()
      await page.waitForURL(`**/rounds/${slug}/vote/ballot#project-${cafe.id}`)
      for (const kept of [coaches, solar]) t.ok(await project(page, kept.title).isChecked(), `${kept.title} is kept`)
      t.notOk(await project(page, cafe.title).isChecked(), 'the project read is not chosen by reading it')
      t.match(await page.locator('main').innerText(), 'Uw keuze is bewaard, maar telt nog niet.')
      await checkPage(t, page)

      await castAndCheck(t, page, jsCode!, [coaches.id, solar.id])
      t.notOk(
        urls.some((u) => /projects|points/.test(new URL(u).search)),
        'no choice travelled in an address',
      )
      await page.context().close()
    },
  )

  t.test('without JavaScript the same works, and the browser back button finds the choices too', async (t) => {
    const page = await phoneWithoutScripts(session)
    const urls = addressesOf(page)
    await page.goto(`/rounds/${slug}/vote`)
    await page.getByLabel('Uw stemcode').fill(noJsCode!)
    await page.getByRole('button', { name: 'Verder' }).tap()
    await page.waitForURL(`**/rounds/${slug}/vote/ballot`)
    await project(page, coaches.title).check()
    await project(page, solar.title).check()

    await lookButton(page, cafe.title).tap()
    const back = await onProjectPage(t, page, session)

    await page.goBack()
    await page.waitForURL(`**/rounds/${slug}/vote/ballot`)
    for (const kept of [coaches, solar]) t.ok(await project(page, kept.title).isChecked(), `back: ${kept.title} kept`)

    await lookButton(page, cafe.title).tap()
    await page.waitForURL(`**/proposals/${cafe.reference}?from=ballot`)
    await back.last().tap()
    await page.waitForURL(`**/rounds/${slug}/vote/ballot#project-${cafe.id}`)
    for (const kept of [coaches, solar]) t.ok(await project(page, kept.title).isChecked(), `link: ${kept.title} kept`)
    t.notOk(await project(page, cafe.title).isChecked())

    await castAndCheck(t, page, noJsCode!, [coaches.id, solar.id])
    t.notOk(
      urls.some((u) => /projects|points/.test(new URL(u).search)),
      'no choice travelled in an address',
    )
    await page.context().close()
  })
}
