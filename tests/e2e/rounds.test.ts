import t, { type Test } from 'tap'
import { and, arrayContains, asc, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { auditLog, proposals, rounds } from '../../db/schema.js'
import { DEMO_OFFICIALS } from '../../server/data/demo.js'
import { browserSession } from '../helpers/browser.js'
import { checkPage, checkPageWithScripts, login, phoneWithoutScripts } from '../helpers/pages.js'

const session = await browserSession(t)
const admin = DEMO_OFFICIALS.find((o) => o.role === 'admin')!
const TITLE = 'Wijkbudget Warmte Oude Noorden'
const DEMO_ROUND = 'bospolder-tussendijken'

const text = (page: Page) => page.locator('main').innerText()

/** The phase in the facts list at the top of the management page. */
const phaseShown = (page: Page) =>
  page
    .locator('dl.facts > div')
    .filter({ has: page.getByText('Fase', { exact: true }) })
    .locator('dd')
    .innerText()

/** From the management page through the confirmation page to the next phase, as an admin clicks it. */
async function advance(t: Test, page: Page, from: string, to: string) {
  await page.getByRole('link', { name: `Naar de volgende fase: ${to}` }).click()
  await page.waitForURL('**/advance')
  t.equal(await page.locator('h1').innerText(), `Van ‘${from}’ naar ‘${to}’?`, 'the confirmation names both phases')
  t.ok(
    await page.getByRole('heading', { name: 'Wat betekent dit voor bewoners?' }).isVisible(),
    'and says what it means for residents',
  )
  await checkPage(t, page)
  await page.getByRole('button', { name: `Ja, naar ‘${to}’` }).click()
  await page.waitForURL(/\/official\/rounds\/\d+\?notice=advanced$/)
  t.equal(
    await page.getByRole('status').innerText(),
    `Het wijkbudget is nu in de fase ‘${to}’.`,
    'a notice confirms the move',
  )
  t.equal(await phaseShown(page), to, `the management page shows '${to}'`)
  await checkPage(t, page)
}

if (session) {
  const { db } = session

  t.test(
    'the admin creates a round in the browser, is told about a missing budget, and moves the round from draft to proposing to reviewing',
    async (t) => {
      const page = await session.newPage()
      await login(page, admin.email)
      t.equal(await page.locator('h1').innerText(), 'Beheer', 'the admin lands on the dashboard')
      await checkPage(t, page)

      await page.getByRole('link', { name: 'Nieuw wijkbudget maken' }).click()
      await page.waitForURL('**/official/rounds/new')
      t.equal(await page.locator('h1').innerText(), 'Nieuw wijkbudget', 'the new round form opens')
      await checkPage(t, page)
      await page.getByLabel('Titel', { exact: true }).fill(TITLE)
      await page.getByLabel('Wijk', { exact: true }).fill('Oude Noorden, Rotterdam')
      await page
        .getByRole('group', { name: 'Manier van stemmen' })
        .getByRole('radio', { name: /^Kies een aantal projecten/ })
        .check()
      await page.getByLabel('Hoeveel projecten mag een bewoner kiezen?').fill('3')
      await page
        .getByRole('group', { name: 'Manier van tellen' })
        .getByRole('radio', { name: /^Gelijke delen/ })
        .check()
      await page.getByRole('button', { name: 'Wijkbudget opslaan' }).click()
      await page.waitForURL('**/official/rounds')
      const budget = page.getByLabel('Totaal budget in euro')
      t.match(
        await page.getByRole('alert').innerText(),
        'Niet alles is goed ingevuld. Kijk de velden met een melding na. Er is nog niets opgeslagen.',
        'a mistake is announced',
      )
      t.same(
        await page.getByRole('alert').getByRole('link').allInnerTexts(),
        ['Totaal budget in euro: Vul het budget in.'],
        'with a link to the field',
      )
      t.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'focus is on the summary')
      t.equal(await budget.getAttribute('aria-invalid'), 'true', 'the missing budget is marked')
      t.match(
        await budget.evaluate((el) => el.closest('.field')!.textContent),
        'Vul het budget in.',
        'with a message at the field',
      )
      t.equal(await page.getByLabel('Titel', { exact: true }).inputValue(), TITLE, 'what was typed is still there')
      t.ok(await page.getByRole('radio', { name: /^Gelijke delen/ }).isChecked(), 'and so are the choices')
      t.same(await db.select().from(rounds).where(eq(rounds.title, TITLE)), [], 'nothing is stored')
      await checkPage(t, page)
      await budget.fill('25.000,50')
      await page.getByRole('button', { name: 'Wijkbudget opslaan' }).click()
      await page.waitForURL(/\/official\/rounds\/\d+\?notice=created$/)

      const id = Number(/\/official\/rounds\/(\d+)/.exec(page.url())![1])
      const [stored] = await db.select().from(rounds).where(eq(rounds.id, id))
      t.match(
        stored,
        {
          title: TITLE,
          neighbourhood: 'Oude Noorden, Rotterdam',
          budgetCents: 2_500_050,
          phase: 'draft',
          ballotFormat: 'approval',
          maxChoices: 3,
          tallyRule: 'equal-shares',
          slug: 'wijkbudget-warmte-oude-noorden',
        },
        'stored as a draft, the budget in cents',
      )
      t.equal(await page.locator('h1').innerText(), TITLE, 'the management page of the new round opens')
      t.match(await page.getByRole('status').innerText(), 'Het wijkbudget is gemaakt.', 'with a notice')
      t.equal(await phaseShown(page), 'In voorbereiding', 'the management page shows the draft phase')
      t.match(await text(page), /€\s?25\.000,50/, 'the budget is shown in euro')
      await checkPage(t, page)
      t.equal((await page.request.get(`/rounds/${stored!.slug}`)).status(), 404, 'residents cannot see a draft')

      await advance(t, page, 'In voorbereiding', 'Ideeën indienen')
      t.equal((await db.select().from(rounds).where(eq(rounds.id, id)))[0]!.phase, 'proposing', 'stored as proposing')
      const resident = await session.newPage()
      await resident.goto(`/rounds/${stored!.slug}`)
      t.ok(
        await resident.getByRole('link', { name: 'Stuur uw idee in' }).isVisible(),
        'residents are invited to send in ideas',
      )
      await resident.context().close()

      await advance(t, page, 'Ideeën indienen', 'Ideeën worden bekeken')
      t.equal((await db.select().from(rounds).where(eq(rounds.id, id)))[0]!.phase, 'reviewing', 'stored as reviewing')
      const late = await session.newPage()
      await late.goto(`/rounds/${stored!.slug}/proposals/new`)
      t.equal(
        await late.locator('h1').innerText(),
        'U kunt nu geen ideeën insturen',
        'residents are told sending in is closed',
      )
      await late.goto(`/rounds/${stored!.slug}`)
      t.equal(await late.getByRole('link', { name: 'Stuur uw idee in' }).count(), 0, 'and are no longer invited to')
      await late.context().close()
      const audit = await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.object, `round:${id}`))
        .orderBy(auditLog.id)
      t.same(
        audit.map((e) => [e.action, e.actor, e.details.from ?? null, e.details.to ?? null]),
        [
          ['round.create', admin.email, null, null],
          ['round.advance', admin.email, 'draft', 'proposing'],
          ['round.advance', admin.email, 'proposing', 'reviewing'],
        ],
        'creating and both moves are in the audit log, by the admin',
      )
      const history = page.getByRole('list').filter({ hasText: 'Van ‘In voorbereiding’ naar ‘Ideeën indienen’.' })
      t.match(
        await history.innerText(),
        'Van ‘Ideeën indienen’ naar ‘Ideeën worden bekeken’.',
        'the management page lists both moves',
      )
      await page.context().close()
    },
  )

  const demo = (await db.select().from(rounds).where(eq(rounds.slug, DEMO_ROUND)))[0]!
  const withTheme = (theme: string) =>
    db
      .select({ title: proposals.title })
      .from(proposals)
      .where(and(eq(proposals.roundId, demo.id), arrayContains(proposals.themes, [theme])))
      .orderBy(asc(proposals.submittedAt))
  const cardTitles = (page: Page) => page.locator('#proposal-list .card__title').allInnerTexts()
  const total = (await db.select({ id: proposals.id }).from(proposals).where(eq(proposals.roundId, demo.id))).length

  t.test('with htmx, choosing a theme swaps only the list and puts the filter in the address', async (t) => {
    const page = await session.newPage()
    const requests: { url: string; type: string; htmx?: string }[] = []
    page.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType(), htmx: r.headers()['hx-request'] }))
    await page.goto(`/rounds/${DEMO_ROUND}`)
    await page.waitForFunction(() => 'htmx' in window)
    await page.evaluate(() => Object.assign(window, { marker: 'still here' }))

    await page.getByLabel('Thema', { exact: true }).selectOption({ label: 'Ouder worden' })
    const expected = await withTheme('ageing')
    await page.waitForURL((url) => url.searchParams.get('theme') === 'ageing')
    await page.getByText(`Aantal ideeën: ${expected.length}`).waitFor()
    t.same(
      await cardTitles(page),
      expected.map((p) => p.title),
      'only the ideas with that theme are listed',
    )
    t.equal(
      await page.evaluate(() => (window as unknown as { marker?: string }).marker),
      'still here',
      'the page was not loaded again',
    )
    const filtered = requests.filter((r) => r.url.includes('theme=ageing'))
    t.same(
      filtered.map((r) => [r.type, r.htmx]),
      [['xhr', 'true']],
      'one htmx request, no page load',
    )
    t.ok(await page.getByRole('heading', { name: 'Ideeën', exact: true }).isVisible(), 'the rest of the page stays')
    await checkPage(t, page)

    await page.goBack()
    await page.waitForURL((url) => !url.searchParams.has('theme'))
    await page.getByText(`Aantal ideeën: ${total}`).waitFor()
    t.equal(await page.locator('h1').count(), 1, 'Back shows the whole page again, not just the list')
    t.equal(await page.getByLabel('Thema', { exact: true }).inputValue(), '', 'with the filter cleared')
    await page.context().close()
  })

  t.test('without JavaScript the filter button loads the page with the filtered list', async (t) => {
    const page = await phoneWithoutScripts(session)
    await page.goto(`/rounds/${DEMO_ROUND}`)
    await page.getByLabel('Thema', { exact: true }).selectOption({ label: 'Groen' })
    await page.getByRole('button', { name: 'Laat ideeën zien' }).tap()
    await page.waitForURL((url) => url.searchParams.get('theme') === 'green')
    const expected = await withTheme('green')
    t.ok(expected.length > 1 && expected.length < total, 'the demo data has some but not all ideas in the theme')
    t.same(
      await cardTitles(page),
      expected.map((p) => p.title),
      'only the ideas with that theme are listed',
    )
    t.match(await text(page), `Aantal ideeën: ${expected.length}`)
    t.equal(await page.getByLabel('Thema', { exact: true }).inputValue(), 'green', 'the filter shows the choice')
    await checkPageWithScripts(t, session, page)
    await page.context().close()
  })
}
