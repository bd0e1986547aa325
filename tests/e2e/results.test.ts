import { randomInt } from 'node:crypto'
import t from 'tap'
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
import { createCodes, setPhase } from '../helpers/voting.js'

const session = await browserSession(t)
const admin = DEMO_OFFICIALS.find((o) => o.role === 'admin')!

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

      await resident.goto('/language/en?next=/rounds/' + slug + '/results')
      t.equal(await resident.locator('h1').innerText(), 'Results')
      await checkPage(t, resident)
      await resident.context().close()
    },
  )
}
