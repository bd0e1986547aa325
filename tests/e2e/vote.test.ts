import { randomInt } from 'node:crypto'
import t from 'tap'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { ballots, rounds } from '../../db/schema.js'
import { findCode } from '../../server/data/voting-codes.js'
import { castBallot, listBallotProjects } from '../../server/data/ballots.js'
import { generateReceipt, hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { formatEuro } from '../../server/formatters.js'
import { TEST_CONFIG } from '../helpers/app.js'
import { browserSession, PHONE } from '../helpers/browser.js'
import { checkPage, checkPageWithScripts, phoneWithoutScripts } from '../helpers/pages.js'
import { createCodes, setPhase } from '../helpers/voting.js'

/** What a reader sees: the invisible isolate marks around names in sentences are not words. */
const words = (text: string) => text.replace(/[\u2066-\u2069]/g, '')

const session = await browserSession(t)

const path = (page: Page) => new URL(page.url()).pathname
const euro = (cents: number) => formatEuro(cents, 'nl')

/** The live region at the top of the ballot: what is chosen and what is left. */
const meter = (page: Page) => page.locator('#ballot .meter').innerText()
const meterText = (spent: number, left: number) => `Gekozen: ${euro(spent)} · Nog over: ${euro(left)}`
const project = (page: Page, title: string) => page.getByRole('checkbox', { name: new RegExp(`^${title}`) })

/** Why a project cannot be ticked: the text its checkbox points to with aria-describedby. */
/** htmx has finished swapping and settling: the next key press reaches the new form. */
const htmxIdle = (page: Page) =>
  page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'))

async function reasonFor(page: Page, title: string) {
  const id = await project(page, title).getAttribute('aria-describedby')
  return id ? page.locator(`[id="${id}"]`).innerText() : null
}

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug, title: roundTitle, budgetCents } = round!
  await setPhase(db, roundId, 'voting')
  const projects = await listBallotProjects(db, roundId)
  const byTitle = (start: string) => projects.find((p) => p.title.startsWith(start))!
  const coaches = byTitle('Energiecoaches')
  const heatScan = byTitle('Warmtescan')
  const insulation = byTitle('Isolatiehulp')
  const solar = byTitle('Zonnepanelen')
  const cafe = byTitle('Energiecafé')
  const garden = byTitle('Buurtmoestuin')
  const [jsCode, noJsCode, againCode] = await createCodes(db, roundId, 3, '3024')
  const codeId = async (code: string) =>
    (await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!)))!.id
  const ballotOf = async (code: string) =>
    db
      .select()
      .from(ballots)
      .where(eq(ballots.codeId, await codeId(code)))

  t.test('the demo ballot does not fit in the budget all at once', async (t) => {
    t.same(
      projects.map((p) => p.title),
      [coaches, heatScan, insulation, solar, cafe, garden].map((p) => p.title),
      'the six approved projects',
    )
    t.ok(projects.reduce((sum, p) => sum + p.costCents, 0) > budgetCents, 'together they cost more than the budget')
  })

  t.test(
    'on a phone with JavaScript a resident scans the letter, sees the meter follow each tick, votes and checks the receipt',
    async (t) => {
      const page = await session.newPage()
      const requests: { method: string; type: string; htmx?: string }[] = []
      page.on('request', (r) =>
        requests.push({ method: r.method(), type: r.resourceType(), htmx: r.headers()['hx-request'] }),
      )

      await page.goto(`/rounds/${slug}`)
      t.ok(
        (await page.locator(`main a[href="/rounds/${slug}/vote"]`).count()) > 0,
        'the round page invites residents to vote',
      )

      // The QR code on the letter opens the ballot itself: nothing to type or confirm.
      await page.goto(`/rounds/${slug}/vote?code=${jsCode}`)
      t.equal(path(page), `/rounds/${slug}/vote/ballot`, 'the QR link goes straight to the ballot')
      t.equal(await page.locator('h1').innerText(), 'Kies uw projecten')
      t.equal(
        await page.getByText('U heeft met deze code al gestemd.').count(),
        0,
        'a first-time voter is not told about an earlier vote',
      )
      t.equal(await meter(page), meterText(0, budgetCents), 'the meter starts with the whole budget left')
      await checkPage(t, page)

      await page.waitForFunction(() => 'htmx' in window)
      await page.evaluate(() => Object.assign(window, { marker: 'still here' }))
      const before = requests.length
      let spent = 0
      for (const chosen of [insulation, solar, coaches]) {
        await project(page, chosen.title).tap()
        spent += chosen.costCents
        await page
          .locator('#ballot .meter')
          .getByText(meterText(spent, budgetCents - spent))
          .waitFor()
        t.ok(await project(page, chosen.title).isChecked(), `${chosen.title} stays ticked after the meter updates`)
      }
      // A keyboard user ticks with the space bar and must not lose their place when the form is swapped.
      await htmxIdle(page)
      await project(page, heatScan.title).focus()
      await page.keyboard.press('Space')
      spent += heatScan.costCents
      await page
        .locator('#ballot .meter')
        .getByText(meterText(spent, budgetCents - spent))
        .waitFor()
      t.ok(await project(page, heatScan.title).isChecked(), `${heatScan.title} is ticked with the keyboard`)
      t.equal(
        await page.evaluate(() => document.activeElement?.id),
        `project-${heatScan.id}`,
        'focus stays on the box just ticked',
      )
      t.equal(spent, 97_500_00, 'four projects leave €2,500')
      t.same(
        requests.slice(before).map((r) => [r.method, r.type, r.htmx]),
        Array(4).fill(['POST', 'xhr', 'true']),
        'each tick is one htmx request, never a page load',
      )
      t.equal(
        await page.evaluate(() => (window as unknown as { marker?: string }).marker),
        'still here',
        'the page was not loaded again',
      )

      for (const tooDear of [cafe, garden]) {
        t.ok(await project(page, tooDear.title).isDisabled(), `${tooDear.title} no longer fits and cannot be ticked`)
        t.equal(
          await reasonFor(page, tooDear.title),
          `Past niet meer: u komt ${euro(tooDear.costCents - 2_500_00)} tekort. Haal eerst een ander project weg.`,
          'the reason is tied to the checkbox',
        )
      }
      t.notOk(await project(page, heatScan.title).isDisabled(), 'a chosen project can still be unticked')
      await project(page, garden.title).scrollIntoViewIfNeeded()
      const box = await page.locator('#ballot .meter').boundingBox()
      t.ok(box && box.y >= 0 && box.y + box.height <= PHONE.height, 'at the last project the meter is still in sight')
      await checkPage(t, page)

      await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
      await page.waitForURL('**/receipts/*?new=1')
      const [stored] = await ballotOf(jsCode!)
      t.match(
        stored,
        {
          channel: 'online',
          projectIds: [coaches, heatScan, insulation, solar].map((p) => p.id).sort((a, b) => a - b),
        },
        'the four projects are stored for the code',
      )
      t.equal(path(page), `/receipts/${stored!.receipt}`)
      t.equal(
        await page.getByRole('status').innerText(),
        'Dank u wel! Uw stem is opgeslagen.\n\nBewaar deze code. Daarmee ziet u later dat uw stem meetelt.',
      )
      t.equal(await page.locator('.receipt-code').innerText(), stored!.receipt, 'the receipt code is shown')
      const receiptPage = words(await page.locator('main').innerText())
      t.match(receiptPage, `Deze stem telt mee in ${roundTitle}.`)
      for (const p of projects)
        t.notMatch(receiptPage, p.title, `the receipt does not tell what was chosen (${p.title})`)
      await checkPage(t, page)

      // Later the resident checks the receipt, typing it as it comes: lower case, without the dash.
      await page.goto('/receipts')
      await checkPage(t, page)
      await page.getByLabel('Code van uw bewijs van stemmen').fill(stored!.receipt.replace('-', '').toLowerCase())
      await page.getByRole('button', { name: 'Controleren' }).tap()
      await page.waitForURL(`**/receipts/${stored!.receipt}`)
      t.equal(await page.getByRole('status').count(), 0, 'no thank-you this time')
      t.match(
        words(await page.locator('main').innerText()),
        `Deze stem telt mee in ${roundTitle}.`,
        'the ballot is in the count',
      )
      await checkPage(t, page)
      await page.context().close()
    },
  )

  t.test(
    'without JavaScript a resident types the code, checks the choice, is stopped when over budget, and votes',
    async (t) => {
      const page = await phoneWithoutScripts(session)
      await page.goto(`/rounds/${slug}/vote`)
      // Capitals and dashes do not matter, as the hint says.
      await page.getByLabel('Uw stemcode').fill(noJsCode!.replaceAll('-', '').toLowerCase())
      await page.getByRole('button', { name: 'Verder' }).tap()
      await page.waitForURL(`**/rounds/${slug}/vote/ballot`)
      t.equal(await page.locator('h1').innerText(), 'Kies uw projecten')

      await project(page, coaches.title).check()
      await project(page, cafe.title).check()
      await page.getByRole('button', { name: 'Controleer mijn keuze' }).tap()
      await page.getByText(meterText(22_500_00, 77_500_00)).waitFor()
      t.equal(await meter(page), meterText(22_500_00, 77_500_00), 'the re-rendered page shows what is chosen and left')
      t.ok(await project(page, coaches.title).isChecked(), 'the choice is kept')
      t.ok(await project(page, cafe.title).isChecked())
      t.same(await ballotOf(noJsCode!), [], 'checking stores nothing')
      await checkPageWithScripts(t, session, page)

      // Without scripts nothing stops a tick that does not fit, until the form is sent.
      await project(page, insulation.title).check()
      await project(page, solar.title).check()
      await project(page, heatScan.title).check()
      await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
      await page.getByRole('alert').waitFor()
      t.same(
        await page.getByRole('alert').getByRole('link').allInnerTexts(),
        [`Uw keuze kost ${euro(2_000_00)} te veel. Haal een project weg.`],
        'the ballot is refused with the amount over',
      )
      t.equal(
        await page.evaluate(() => document.activeElement?.id),
        'error-summary',
        'focus is on the summary at the top',
      )
      t.equal(
        await meter(page),
        `Gekozen: ${euro(102_000_00)} · ! Boven het budget: ${euro(2_000_00)} te veel`,
        'the meter says how much is too much, in words',
      )
      t.equal(
        await page.locator('#ballot input[type=checkbox]:checked').count(),
        5,
        'all five ticks are kept to correct',
      )
      t.same(await ballotOf(noJsCode!), [], 'nothing is stored')
      await checkPageWithScripts(t, session, page)

      await project(page, heatScan.title).uncheck()
      await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
      await page.waitForURL('**/receipts/*?new=1')
      const [stored] = await ballotOf(noJsCode!)
      t.match(stored, {
        channel: 'online',
        projectIds: [coaches, insulation, solar, cafe].map((p) => p.id).sort((a, b) => a - b),
      })
      t.equal(await page.locator('.receipt-code').innerText(), stored!.receipt, 'the receipt is shown')
      t.match(await page.getByRole('status').innerText(), 'Dank u wel! Uw stem is opgeslagen.')
      await checkPageWithScripts(t, session, page)

      // Coming back to change the vote starts from the four projects, without scripts too.
      await page.goto(`/rounds/${slug}/vote?code=${noJsCode}`)
      t.equal(path(page), `/rounds/${slug}/vote/ballot`)
      const four = [coaches, insulation, solar, cafe]
      for (const p of four)
        t.ok(await project(page, p.title).isChecked(), `${p.title} is still ticked when changing the vote`)
      const spent = four.reduce((sum, p) => sum + p.costCents, 0)
      t.equal(await meter(page), meterText(spent, budgetCents - spent), 'and the meter counts them')
      await page.context().close()
    },
  )

  t.test(
    'a resident who voted before enters the code again, is told so, and changes the ballot under the same receipt',
    async (t) => {
      const first = await castBallot(db, {
        roundId,
        codeId: await codeId(againCode!),
        channel: 'online',
        projectIds: [insulation.id, solar.id],
        receipt: generateReceipt(randomInt),
      })
      const page = await session.newPage()
      await page.goto(`/rounds/${slug}/vote`)
      await page.getByLabel('Uw stemcode').fill(againCode!)
      await page.getByRole('button', { name: 'Verder' }).tap()
      await page.waitForURL(`**/rounds/${slug}/vote/ballot`)
      t.equal(
        await page.getByText(/^U heeft met deze code al gestemd\./).innerText(),
        'U heeft met deze code al gestemd. Als u nu opnieuw stemt, telt alleen uw nieuwe keuze.',
        'the resident is told about the earlier vote',
      )
      t.equal(await page.locator('#ballot input[type=checkbox]:checked').count(), 2, 'the earlier choice is ticked')
      t.ok(await project(page, insulation.title).isChecked())
      t.ok(await project(page, solar.title).isChecked())
      const earlier = insulation.costCents + solar.costCents
      t.equal(await meter(page), meterText(earlier, budgetCents - earlier), 'the meter starts from it')
      await checkPage(t, page)

      await page.waitForFunction(() => 'htmx' in window)
      // Quick ticks: each request replaces the one before, and the meter counts them all.
      for (const chosen of [insulation, solar, cafe, garden]) await project(page, chosen.title).tap()
      await page.locator('#ballot .meter').getByText(meterText(10_500_00, 89_500_00)).waitFor()
      await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
      await page.waitForURL(`**/receipts/${first!.receipt}?new=1`)
      t.equal(await page.locator('.receipt-code').innerText(), first!.receipt, 'the receipt code stays the same')
      const stored = await ballotOf(againCode!)
      t.equal(stored.length, 1, 'the code still has one ballot')
      t.match(
        stored[0],
        { receipt: first!.receipt, channel: 'online', projectIds: [cafe.id, garden.id].sort((a, b) => a - b) },
        'holding the new choice',
      )
      t.type(stored[0]!.updatedAt, Date, 'and the time it was changed, for the receipt while voting is open')
      await checkPage(t, page)
      await page.context().close()
    },
  )
}
