import t from 'tap'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { ballots, rounds } from '../../db/schema.js'
import { findCode } from '../../server/data/voting-codes.js'
import { listBallotProjects } from '../../server/data/ballots.js'
import { hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../helpers/app.js'
import { browserSession } from '../helpers/browser.js'
import { checkPage, checkPageWithScripts, phoneWithoutScripts } from '../helpers/pages.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const session = await browserSession(t)

const path = (page: Page) => new URL(page.url()).pathname
const meter = (page: Page) => page.locator('#ballot .meter').innerText()
const meterText = (used: number, left: number) => `Punten gegeven: ${used} van 10 · Punten over: ${left}`
const pointsOf = (page: Page, id: number) => page.locator(`#project-${id}`)

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug } = round!
  await setPhase(db, roundId, 'voting')
  await db
    .update(rounds)
    .set({ ballotFormat: 'points', pointsPerVoter: 10, maxPointsPerProject: 4 })
    .where(eq(rounds.id, roundId))
  const projects = await listBallotProjects(db, roundId)
  const byTitle = (start: string) => projects.find((p) => p.title.startsWith(start))!
  const solar = byTitle('Zonnepanelen')
  const cafe = byTitle('Energiecafé')
  const coaches = byTitle('Energiecoaches')
  const [jsCode, noJsCode] = await createCodes(db, roundId, 2, '3024')
  const ballotOf = async (code: string) => {
    const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
    return db.select().from(ballots).where(eq(ballots.codeId, found!.id))
  }

  t.test('on a phone with JavaScript a resident spreads points and sees the points left follow', async (t) => {
    const page = await session.newPage()
    await page.goto(`/rounds/${slug}/vote?code=${jsCode}`)
    t.equal(path(page), `/rounds/${slug}/vote/ballot`)
    t.equal(await meter(page), meterText(0, 10))
    await checkPage(t, page)
    await page.waitForFunction(() => 'htmx' in window)

    await pointsOf(page, solar.id).fill('4')
    await page.keyboard.press('Tab')
    await page.locator('#ballot .meter').getByText(meterText(4, 6)).waitFor()
    t.equal(await pointsOf(page, solar.id).inputValue(), '4', 'the typed points stay after the update')

    await pointsOf(page, cafe.id).fill('5')
    await page.keyboard.press('Tab')
    await page.locator(`#project-${cafe.id}-why`).waitFor()
    t.equal(
      await page.locator(`#project-${cafe.id}-why`).innerText(),
      'Eén project krijgt hoogstens 4 punten. Geef dit project minder punten.',
      'a project over the most one project may get says so',
    )
    t.equal(await pointsOf(page, cafe.id).getAttribute('aria-invalid'), 'true')
    await checkPage(t, page)

    await pointsOf(page, cafe.id).fill('2')
    await page.keyboard.press('Tab')
    await page.locator('#ballot .meter').getByText(meterText(6, 4)).waitFor()
    await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
    await page.waitForURL('**/receipts/*?new=1')
    const [stored] = await ballotOf(jsCode!)
    const expected = [
      [solar.id, 4],
      [cafe.id, 2],
    ].sort((a, b) => a[0]! - b[0]!)
    t.same(
      [stored!.projectIds, stored!.points],
      [expected.map(([id]) => id), expected.map(([, points]) => points)],
      'the points are stored',
    )
    await checkPage(t, page)
    await page.context().close()
  })

  t.test('without JavaScript a resident checks the points, is stopped when over, and votes', async (t) => {
    const page = await phoneWithoutScripts(session)
    await page.goto(`/rounds/${slug}/vote?code=${noJsCode}`)
    t.equal(path(page), `/rounds/${slug}/vote/ballot`)
    for (const p of [solar, cafe, coaches]) await pointsOf(page, p.id).fill('4')
    await page.getByRole('button', { name: 'Controleer mijn keuze' }).tap()
    await page.getByRole('alert').waitFor()
    t.equal(await meter(page), 'Punten gegeven: 12 van 10 · ! Punten te veel: 2', 'the counter says how many too many')
    t.same(await page.getByRole('alert').getByRole('link').allInnerTexts(), [
      'U heeft 12 punten gegeven, maar u heeft er 10. Haal punten weg.',
    ])
    t.same(await ballotOf(noJsCode!), [], 'checking stores nothing')
    await checkPageWithScripts(t, session, page)

    await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
    await page.getByRole('alert').waitFor()
    t.same(await ballotOf(noJsCode!), [], 'an over-limit ballot is refused')
    t.equal(await pointsOf(page, coaches.id).inputValue(), '4', 'the points are kept to correct')

    await pointsOf(page, coaches.id).fill('2')
    await page.getByRole('button', { name: 'Stem uitbrengen' }).tap()
    await page.waitForURL('**/receipts/*?new=1')
    const [stored] = await ballotOf(noJsCode!)
    t.equal(
      stored!.points!.reduce((a, b) => a + b, 0),
      10,
      'ten points stored',
    )

    await page.goto(`/rounds/${slug}/vote?code=${noJsCode}`)
    t.equal(await pointsOf(page, coaches.id).inputValue(), '2', 'a changed ballot opens with the points given')
    t.equal(await meter(page), meterText(10, 0))
    await page.context().close()
  })
}
