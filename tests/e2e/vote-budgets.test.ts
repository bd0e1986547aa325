import t from 'tap'
import { randomInt } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { ballots, budgets, proposals, rounds } from '../../db/schema.js'
import { findCode, insertCodeBatch } from '../../server/data/voting-codes.js'
import { listBallotProjects } from '../../server/data/ballots.js'
import { generateCode, hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../helpers/app.js'
import { browserSession } from '../helpers/browser.js'
import { createOfficial } from '../helpers/officials.js'
import { checkPage, checkPageWithScripts, phoneWithoutScripts } from '../helpers/pages.js'
import { setPhase } from '../helpers/voting.js'

const session = await browserSession(t)

const path = (page: Page) => new URL(page.url()).pathname
// Amounts are written with a no-break space after the euro sign.
const meterOf = async (page: Page, budgetId: number) =>
  (await page.locator(`section[aria-labelledby="budget-${budgetId}"] .meter`).innerText()).replace(/\s+/g, ' ')

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug } = round!
  await setPhase(db, roundId, 'voting')
  await db.update(rounds).set({ minSpendPercent: 0 }).where(eq(rounds.id, roundId))
  const projects = await listBallotProjects(db, roundId)
  const byTitle = (start: string) => projects.find((p) => p.title.startsWith(start))!
  const coaches = byTitle('Energiecoaches') // 18,000
  const cafe = byTitle('Energiecafé') // 4,500
  const scan = byTitle('Warmtescan') // 9,500
  const insulation = byTitle('Isolatiehulp') // 42,000
  const solar = byTitle('Zonnepanelen') // 28,000
  const garden = byTitle('Buurtmoestuin') // 6,000

  // North (its district's codes) and the whole neighbourhood (everyone); South's projects are not on a North code's ballot.
  const [north, south, city] = await db
    .insert(budgets)
    .values([
      { roundId, name: 'Noord', amountCents: 3_000_000, district: 'Noord', position: 0 },
      { roundId, name: 'Zuid', amountCents: 3_000_000, district: 'Zuid', position: 1 },
      { roundId, name: 'Heel de wijk', amountCents: 6_000_000, district: null, position: 2 },
    ])
    .returning()
  const put = (budgetId: number, ...ids: number[]) =>
    Promise.all(ids.map((id) => db.update(proposals).set({ budgetId }).where(eq(proposals.id, id))))
  await put(north!.id, coaches.id, cafe.id)
  await put(south!.id, garden.id)
  await put(city!.id, scan.id, insulation.id, solar.id)

  const admin = await createOfficial(db, 'admin', 'budgets-admin@example.test')
  const codes = Array.from({ length: 2 }, () => generateCode(randomInt))
  await insertCodeBatch(db, {
    roundId,
    groupLabel: 'Noord',
    district: 'Noord',
    hashes: codes.map((c) => hashCode(TEST_CONFIG.codeKey, normaliseCode(c)!)),
    official: { id: admin.id, email: admin.email },
  })
  const [jsCode, noJsCode] = codes
  const ballotOf = async (code: string) => {
    const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
    return db.select().from(ballots).where(eq(ballots.codeId, found!.id))
  }

  t.test('on a phone with JavaScript a district resident votes in two budgets, each meter following', async (t) => {
    const page = await session.newPage()
    await page.goto(`/rounds/${slug}/vote?code=${jsCode}`)
    t.equal(path(page), `/rounds/${slug}/vote/ballot`)
    t.same(
      (await page.locator('.ballot-budget h2').allInnerTexts()).map((h) => h.replace(/\s+/g, ' ')),
      ['Noord: € 30.000', 'Heel de wijk: € 60.000'],
      'its district and the whole neighbourhood, not South',
    )
    t.equal(await page.locator(`#project-${garden.id}`).count(), 0)
    await checkPage(t, page)
    await page.waitForFunction(() => 'htmx' in window)

    await page.locator(`label[for="project-${coaches.id}"]`).tap()
    await page.waitForFunction(
      (id) => document.querySelector(`section[aria-labelledby="budget-${id}"] .meter`)?.textContent?.includes('18.000'),
      north!.id,
    )
    t.equal(await meterOf(page, north!.id), 'Gekozen: € 18.000 · Nog over: € 12.000')
    t.equal(await meterOf(page, city!.id), 'Gekozen: € 0 · Nog over: € 60.000', 'the other budget is untouched')

    await page.locator(`label[for="project-${insulation.id}"]`).tap()
    await page.waitForFunction(
      (id) => document.querySelector(`section[aria-labelledby="budget-${id}"] .meter`)?.textContent?.includes('42.000'),
      city!.id,
    )
    t.equal(await meterOf(page, city!.id), 'Gekozen: € 42.000 · Nog over: € 18.000')
    t.ok(
      await page.locator(`#project-${solar.id}`).getAttribute('aria-disabled'),
      'the solar roof no longer fits the whole neighbourhood’s budget',
    )
    await checkPage(t, page)

    await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
    await page.waitForURL('**/receipts/*?new=1')
    const [stored] = await ballotOf(jsCode!)
    t.same(
      stored!.projectIds,
      [coaches.id, insulation.id].sort((a, b) => a - b),
      'both budgets’ choices are stored',
    )
    await checkPage(t, page)
    await page.context().close()
  })

  t.test('without JavaScript the resident is stopped in the budget that is over, and votes', async (t) => {
    const page = await phoneWithoutScripts(session)
    await page.goto(`/rounds/${slug}/vote?code=${noJsCode}`)
    for (const p of [cafe, insulation, solar]) await page.locator(`label[for="project-${p.id}"]`).tap()
    await page.getByRole('button', { name: 'Controleer mijn keuze' }).tap()
    await page.getByRole('alert').waitFor()
    t.match(
      await meterOf(page, city!.id),
      /Gekozen: € 70\.000/,
      'the whole neighbourhood’s meter shows what is chosen there',
    )
    t.equal(
      await page.getByRole('alert').getByRole('link').getAttribute('href'),
      `#projects-${city!.id}`,
      'the message leads to the budget that is over',
    )
    t.same(await ballotOf(noJsCode!), [], 'checking stores nothing')
    await checkPageWithScripts(t, session, page)

    await page.locator(`label[for="project-${solar.id}"]`).tap()
    await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
    await page.waitForURL('**/receipts/*?new=1')
    const [stored] = await ballotOf(noJsCode!)
    t.same(
      stored!.projectIds,
      [cafe.id, insulation.id].sort((a, b) => a - b),
    )
    await page.context().close()
  })
}
