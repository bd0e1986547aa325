import { randomInt } from 'node:crypto'
import t from 'tap'
import type { Page } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { results, rounds, votingCodes } from '../../db/schema.js'
import { DEMO_OFFICIALS } from '../../server/data/demo.js'
import { findCode } from '../../server/data/voting-codes.js'
import { castBallot, listBallotProjects } from '../../server/data/ballots.js'
import { sha256 } from '../../server/domain/common/digest.js'
import type { TallyResult } from '../../server/domain/tally/tally.js'
import { generateReceipt, hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../helpers/app.js'
import { browserSession, PHONE } from '../helpers/browser.js'
import { checkPage, login } from '../helpers/pages.js'
import { tableProblems } from '../helpers/tables.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const session = await browserSession(t)
const admin = DEMO_OFFICIALS.find((o) => o.role === 'admin')!
const moderator = DEMO_OFFICIALS.find((o) => o.role === 'moderator')!

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug } = round!
  const projects = await listBallotProjects(db, roundId)
  await setPhase(db, roundId, 'voting')
  const codes = [...(await createCodes(db, roundId, 12, '3024')), ...(await createCodes(db, roundId, 8, '3025'))]
  for (const [i, code] of codes.entries()) {
    const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
    const chosen = projects.filter((_, p) => (i + p) % 3 === 0).map((p) => p.id)
    await castBallot(db, {
      roundId,
      codeId: found!.id,
      channel: i % 5 === 0 ? 'paper' : 'online',
      projectIds: chosen,
      receipt: generateReceipt(randomInt),
    })
  }
  const lost = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(codes[3]!)!))
  await db.update(votingCodes).set({ revokedAt: new Date() }).where(eq(votingCodes.id, lost!.id))
  await setPhase(db, roundId, 'closed')

  t.test(
    'tables at 360 px split no word and no number; a table wider than the phone scrolls in a labelled region',
    async (t) => {
      const check = async (page: Page, path: string) => {
        await page.goto(path)
        t.same(await tableProblems(page), [], path)
      }
      await setPhase(db, roundId, 'voting')
      const resident = await session.newPage()
      await check(resident, `/rounds/${slug}/paper-ballot`)
      await check(resident, `/rounds/${slug}/paper-ballot/ar`)
      await resident.context().close()
      await setPhase(db, roundId, 'closed')

      const official = await session.newPage()
      await login(official, admin.email)
      await check(official, `/official/rounds/${roundId}/results`)
      await check(official, `/official/rounds/${roundId}/publish`)
      await check(official, `/official/rounds/${roundId}/results?lang=ar`)
      await official.context().close()
      const moderating = await session.newPage()
      await login(moderating, moderator.email)
      await check(moderating, '/official/moderation')
      await moderating.context().close()
    },
  )

  t.test(
    'an admin publishes in the browser; residents then read the results and the accountability page on a phone',
    async (t) => {
      const page = await session.newPage()
      await login(page, admin.email)
      await page.goto(`/official/rounds/${roundId}/results`)
      t.equal(
        (await page.request.get(`/rounds/${slug}/results`)).status(),
        404,
        'before publishing, not even the admin sees public results',
      )
      await page.getByRole('link', { name: 'Verder naar publiceren' }).click()
      await page.waitForURL(`**/official/rounds/${roundId}/publish`)
      t.equal((await db.select().from(results)).length, 0, 'the confirmation page publishes nothing')
      await checkPage(t, page)
      await page.getByRole('button', { name: 'Publiceer de uitslag' }).click()
      await page.waitForURL(`**/official/rounds/${roundId}/results`)
      const [stored] = await db.select().from(results)
      t.ok(stored, 'the result is stored')
      t.equal(stored!.ballotCount, 19, 'the revoked code does not count')
      t.same(await tableProblems(page), [], 'the published result splits no word at 360 px either')
      // Following the funded projects to the end: an update and a milestone, posted as an official does.
      await page.getByRole('link', { name: 'Gekozen projecten volgen' }).click()
      await page.waitForURL(`**/official/rounds/${roundId}/progress`)
      await page.getByLabel('Stand').selectOption('in_progress')
      await page.getByLabel('Wat is er gebeurd?').fill('De aannemer is begonnen.')
      await page.getByLabel('Datum', { exact: true }).fill('2027-02-01')
      await page.getByLabel('Tot nu toe uitgegeven (euro, mag leeg blijven)').fill('1.500')
      await page.getByRole('button', { name: 'Voortgang melden' }).click()
      await page.waitForURL(`**/official/rounds/${roundId}/progress?saved=1*`)
      await page.getByLabel('Mijlpaal', { exact: true }).fill('Dak gekeurd')
      await page.getByLabel('Geplande datum').fill('2020-03-01')
      await page.getByRole('button', { name: 'Mijlpaal toevoegen' }).click()
      await page.waitForURL(`**/official/rounds/${roundId}/progress?saved=1*`)
      await checkPage(t, page)
      await page.goto(`/official/rounds/${roundId}/results`)
      await page.getByRole('link', { name: 'Bekijk de openbare uitslag' }).click()
      await page.waitForURL(`**/rounds/${slug}/results`)
      await page.context().close()

      const resident = await session.newPage()
      await resident.goto(`/rounds/${slug}`)
      await resident.getByRole('link', { name: 'Bekijk de uitslag' }).click()
      await resident.waitForURL(`**/rounds/${slug}/results`)
      t.equal(await resident.locator('h1').innerText(), 'Uitslag')
      const funded = (stored!.outcome as TallyResult).selected
      t.equal(
        await resident.getByRole('heading', { name: `Gekozen projecten (${funded.length})` }).count(),
        1,
        'the funded projects are counted',
      )
      const chart = resident.getByRole('img', { name: 'Stemmen per project' })
      t.ok(await chart.isVisible(), 'the chart is an image with a name')
      const box = (await chart.boundingBox())!
      t.ok(
        box.width <= PHONE.width && box.height > 100,
        `the chart fits the phone (${Math.round(box.width)} × ${Math.round(box.height)})`,
      )
      t.equal(
        await resident.getByRole('table', { name: 'Stemmen per project' }).locator('tbody tr').count(),
        projects.length,
        'and its numbers are in a table',
      )
      t.equal(
        await resident.locator('.cards .card').count(),
        projects.length,
        'every project says why it was or was not funded',
      )
      await checkPage(t, resident)

      const pb = await resident.request.get(`/rounds/${slug}/ballots.pb`)
      t.equal(sha256(await pb.text()), stored!.ballotsSha256, 'the downloaded ballots have the published hash')

      await resident.getByRole('link', { name: 'Verantwoording: opkomst, besluiten en logboek' }).click()
      await resident.waitForURL(`**/rounds/${slug}/transparency`)
      t.equal(await resident.locator('h1').innerText(), 'Verantwoording')
      t.match(
        await resident.getByRole('status').filter({ hasText: 'stemmen in de database' }).innerText(),
        'De 19 stemmen in de database zijn vandaag nog precies dezelfde',
      )
      t.match(await resident.getByRole('status').filter({ hasText: 'logboek' }).innerText(), 'Het logboek is nagekeken')
      await checkPage(t, resident)

      await resident.goto(`/rounds/${slug}/results`)
      await resident.getByRole('link', { name: 'Wat gebeurt er met ons geld?' }).click()
      await resident.waitForURL(`**/rounds/${slug}/progress`)
      t.equal(await resident.locator('h1').innerText(), 'Wat gebeurt er met ons geld?')
      t.equal(await resident.locator('section.progress-project').count(), funded.length, 'every funded project')
      t.match(
        await resident.locator('section.progress-project', { hasText: 'De aannemer is begonnen.' }).innerText(),
        'Bezig',
      )
      t.match(await resident.locator('ol.milestones li', { hasText: 'Dak gekeurd' }).innerText(), 'te laat')
      await checkPage(t, resident)

      await resident.goto('/language/en?next=/rounds/' + slug + '/results')
      t.equal(await resident.locator('h1').innerText(), 'Results')
      await checkPage(t, resident)
      await resident.context().close()
    },
  )

  t.test(
    'the chart in Arabic at 360 px: every name and number inside the drawing, numbers beside their bars, names above them',
    async (t) => {
      for (const locale of ['ar', 'nl-NL']) {
        const page = await session.newPage({ locale })
        await page.goto(`/rounds/${slug}/results`)
        const layout = await page.locator('#votes-chart-title').evaluate((title) => {
          const svg = title.closest('svg')!
          const box = (e: Element) => {
            const r = e.getBoundingClientRect()
            return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }
          }
          const texts = [...svg.querySelectorAll('text')]
          const bars = [...svg.querySelectorAll('rect')]
          return {
            dir: document.documentElement.dir,
            svg: box(svg),
            // Each row: its name, its bar and its number, in the order the template draws them.
            rows: bars.map((bar, i) => ({
              name: { text: texts[2 * i]!.textContent, ...box(texts[2 * i]!) },
              bar: box(bar),
              value: { text: texts[2 * i + 1]!.textContent, ...box(texts[2 * i + 1]!) },
            })),
          }
        })
        t.equal(layout.dir, locale === 'ar' ? 'rtl' : 'ltr')
        t.ok(layout.svg.right - layout.svg.left <= PHONE.width, `${locale}: the chart fits the phone`)
        const inside = (b: { left: number; right: number; top: number; bottom: number }) =>
          b.left >= layout.svg.left - 0.5 &&
          b.right <= layout.svg.right + 0.5 &&
          b.top >= layout.svg.top - 0.5 &&
          b.bottom <= layout.svg.bottom + 0.5
        const overlaps = (
          a: { left: number; right: number; top: number; bottom: number },
          b: { left: number; right: number; top: number; bottom: number },
        ) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5
        const problems = layout.rows.flatMap(({ name, bar, value }) => [
          ...(name.right - name.left > 0 && inside(name) ? [] : [`name ${name.text} outside the drawing`]),
          ...(inside(value) ? [] : [`number ${value.text} outside the drawing`]),
          ...layout.rows.flatMap((other) => [
            ...(overlaps(name, other.bar) ? [`name ${name.text} over a bar`] : []),
            ...(overlaps(value, other.bar) ? [`number ${value.text} over a bar`] : []),
          ]),
          ...(bar.right - bar.left > 0 &&
          (locale === 'ar' ? value.right > bar.left + 0.5 : value.left < bar.right - 0.5)
            ? [`number ${value.text} not after its bar in the reading direction`]
            : []),
        ])
        t.same(problems, [], `${locale}: ${layout.rows.length} rows, each name and number in place`)
        await page.context().close()
      }
    },
  )
}
