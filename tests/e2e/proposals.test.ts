import t from 'tap'
import { asc, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { officials, proposalEvents, proposals, rounds } from '../../db/schema.js'
import { DEMO_OFFICIALS } from '../../server/data/demo.js'
import { browserSession } from '../helpers/browser.js'
import { checkPage, checkPageWithScripts, login, phoneWithoutScripts } from '../helpers/pages.js'

const session = await browserSession(t)
const moderator = DEMO_OFFICIALS.find((o) => o.role === 'moderator')!

const path = (page: Page) => new URL(page.url()).pathname
const text = (page: Page) => page.locator('main').innerText()
/** The first badge in the content: the proposal's status on the status, public and moderation pages. */
const statusBadge = (page: Page) => page.locator('main .badge').first().innerText()

interface Idea {
  title: string
  summary: string
  description: string
  cost: string
  track: RegExp
  theme?: string
  location: string
  name: string
  email: string
}

const IDEA: Idea = {
  title: 'Fietsenstalling met zonnedak',
  summary: 'Een overdekte fietsenstalling met zonnepanelen op het dak.',
  description: 'Bij de basisschool komt een stalling voor 40 fietsen. De panelen leveren stroom voor de school.',
  cost: 'abc',
  track: /^Ruimtelijk/,
  location: 'Basisschool De Kameleon',
  name: 'Samira Bakker',
  email: 'samira@example.org',
}

/** Fills the proposal form as a resident types it; a theme is ticked only when the idea has one. */
async function fillIdea(page: Page, idea: Idea) {
  await page.getByLabel('Titel', { exact: true }).fill(idea.title)
  await page.getByLabel('Korte samenvatting').fill(idea.summary)
  await page.getByLabel('Beschrijving').fill(idea.description)
  await page.getByLabel('Kosten in euro').fill(idea.cost)
  await page.getByRole('group', { name: 'Wat voor project is het?' }).getByRole('radio', { name: idea.track }).check()
  if (idea.theme) await page.getByRole('checkbox', { name: idea.theme, exact: true }).check()
  // The optional part is folded away: a resident who wants to say where opens it first.
  const more = page.locator('details.proposal-more')
  if ((await more.getAttribute('open')) === null) await more.locator('summary').tap()
  await page.getByLabel(/^Waar in de wijk\?/).fill(idea.location)
  await page.getByLabel('Uw naam').fill(idea.name)
  await page.getByLabel(/^E-mailadres/).fill(idea.email)
  await page.getByRole('checkbox', { name: 'De gemeente mag contact met mij opnemen over dit idee.' }).check()
}

/** The home page, the round, and the button that opens the proposal form. */
async function openForm(page: Page, roundTitle: string) {
  await page.goto('/')
  await page.getByRole('link', { name: roundTitle }).click()
  await page.waitForURL('**/rounds/*')
  await page.getByRole('link', { name: 'Stuur uw idee in' }).tap()
  await page.waitForURL('**/proposals/new')
}

const proposalNamed = async (title: string) =>
  (await session!.db.select().from(proposals).where(eq(proposals.title, title)))[0]
const eventsOf = (id: number) =>
  session!.db.select().from(proposalEvents).where(eq(proposalEvents.proposalId, id)).orderBy(asc(proposalEvents.id))

if (session) {
  const { db } = session
  const ROUND = 'Wijkbudget Energie Oude Westen'
  const [round] = await db
    .insert(rounds)
    .values({
      slug: 'oude-westen',
      title: ROUND,
      neighbourhood: 'Oude Westen, Rotterdam',
      budgetCents: 5_000_000,
      phase: 'proposing',
    })
    .returning()

  t.test(
    'a resident proposes on a phone, fixes a mistake, changes the idea on request, and it is approved',
    async (t) => {
      const resident = await session.newPage()
      const official = await session.newPage()
      let statusPath = ''
      let id = 0

      await t.test('a mistake shows a message at each wrong field and keeps what was typed', async (t) => {
        await openForm(resident, ROUND)
        t.equal(await resident.locator('h1').innerText(), 'Stuur uw idee in')
        await checkPage(t, resident)
        await fillIdea(resident, IDEA)
        await resident.getByRole('button', { name: 'Stuur mijn idee in' }).tap()
        await resident.waitForURL('**/rounds/oude-westen/proposals')

        t.equal(await resident.title(), 'Fout: Stuur uw idee in · Wijkbudget', 'the page title says there is a mistake')
        const summary = resident.getByRole('alert')
        t.ok(
          await summary.getByRole('heading', { name: 'Kijk deze punten na' }).isVisible(),
          'a summary lists the mistakes',
        )
        t.same(await summary.getByRole('link').allInnerTexts(), [
          'Kosten: Schrijf een bedrag in euro, bijvoorbeeld 2500 of 2.500,50.',
          'Thema’s: Kies minstens één thema.',
        ])
        const cost = resident.getByLabel('Kosten in euro')
        t.equal(await cost.getAttribute('aria-invalid'), 'true', 'the cost is marked as wrong')
        t.match(await cost.getAttribute('aria-describedby'), 'cost-error', 'and its message is tied to it')
        t.equal(
          await resident.locator('#cost-error').innerText(),
          'Schrijf een bedrag in euro, bijvoorbeeld 2500 of 2.500,50.',
        )
        t.equal(
          await resident.locator('#themes-error').innerText(),
          'Kies minstens één thema.',
          'the themes have their own message',
        )
        t.equal(await cost.inputValue(), 'abc', 'the wrong cost is still there to fix')
        t.equal(
          await resident.getByLabel('Titel', { exact: true }).inputValue(),
          IDEA.title,
          'everything else is still filled in',
        )
        t.equal(await resident.getByLabel('Beschrijving').inputValue(), IDEA.description)
        t.equal(await resident.getByLabel(/^E-mailadres/).inputValue(), IDEA.email)
        t.ok(await resident.getByRole('radio', { name: IDEA.track }).isChecked(), 'the project kind is still chosen')
        t.ok(
          await resident.getByRole('checkbox', { name: /^De gemeente mag contact/ }).isChecked(),
          'consent is still ticked',
        )
        t.equal(await proposalNamed(IDEA.title), undefined, 'nothing is stored')
        await checkPage(t, resident)

        await resident.getByLabel('Kosten in euro').fill('4.500')
        await resident.getByRole('checkbox', { name: 'Groen', exact: true }).check()
        await resident.getByRole('button', { name: 'Stuur mijn idee in' }).tap()
        await resident.waitForURL('**/status/*')
        statusPath = path(resident)

        const stored = await proposalNamed(IDEA.title)
        t.match(stored, {
          costCents: 450_000,
          themes: ['green'],
          track: 'spatial',
          status: 'submitted',
          contactEmail: IDEA.email,
          contactConsent: true,
        })
        id = stored!.id
        t.equal(statusPath, `/status/${stored!.statusToken}`, 'the private page is behind the proposal’s secret token')
        t.equal(await resident.locator('h1').innerText(), `Uw idee: ${IDEA.title}`)
        t.equal(await resident.locator('.proposal-reference').innerText(), stored!.reference, 'the reference is shown')
        t.equal(await statusBadge(resident), 'Ingediend', 'and the status')
        t.same(
          (await eventsOf(id)).map((e) => e.kind),
          ['submitted'],
        )
        await checkPage(t, resident)
      })

      const MESSAGE = 'Kunt u zeggen hoeveel fietsen er echt in passen, en wie de stalling schoonhoudt?'
      await t.test('a moderator finds it in the queue and asks for changes', async (t) => {
        await login(official, moderator.email)
        await official.getByRole('navigation').getByRole('link', { name: 'Moderatie' }).click()
        await official.waitForURL('**/official/moderation')
        await checkPage(t, official)
        await official.getByRole('link', { name: IDEA.title }).click()
        await official.waitForURL(`**/official/proposals/${id}`)
        t.equal(await official.locator('h1').innerText(), IDEA.title)
        await checkPage(t, official)
        await official.getByLabel('Wat moet de indiener aanpassen?').fill(MESSAGE)
        await official.getByRole('button', { name: 'Aanpassing vragen' }).click()
        await official.waitForURL(`**/official/proposals/${id}?done=request-changes`)
        t.equal(
          await official.getByRole('status').locator('p').first().innerText(),
          'De indiener is gevraagd het idee aan te passen.',
        )
        t.ok(
          await official
            .getByRole('status')
            .getByRole('link', { name: /^Volgende idee in de wachtrij: / })
            .isVisible(),
          'the next proposal in the queue is one click away',
        )
        t.equal(await statusBadge(official), 'Aanpassing gevraagd', 'the moderator sees the new status')
        t.equal((await proposalNamed(IDEA.title))!.status, 'needs_changes')
        const [, asked] = await eventsOf(id)
        const [mod] = await db.select().from(officials).where(eq(officials.email, moderator.email))
        t.match(
          asked,
          { kind: 'changes_requested', message: MESSAGE, officialId: mod!.id },
          'the request and who made it are stored',
        )
        await checkPage(t, official)
      })

      await t.test(
        'the resident reads the message on the status page, changes the idea and sends it again',
        async (t) => {
          await resident.reload()
          t.equal(await statusBadge(resident), 'Aanpassing gevraagd', 'the status changed')
          t.match(await text(resident), `Wat u moet veranderen: ${MESSAGE}`, 'the official’s message is shown')
          await checkPage(t, resident)
          await resident.getByRole('link', { name: 'Verander mijn idee' }).tap()
          await resident.waitForURL(`**${statusPath}/edit`)
          t.equal(await resident.locator('h1').innerText(), 'Verander uw idee')
          t.equal(
            await resident.getByLabel('Titel', { exact: true }).inputValue(),
            IDEA.title,
            'the form holds the idea as sent',
          )
          t.ok(await resident.getByRole('checkbox', { name: 'Groen', exact: true }).isChecked())
          await checkPage(t, resident)
          await resident
            .getByLabel('Beschrijving')
            .fill(`${IDEA.description} Er passen 40 fietsen in; de school houdt hem schoon.`)
          await resident.getByLabel('Kosten in euro').fill('3.950')
          await resident.getByRole('button', { name: 'Stuur mijn wijzigingen' }).tap()
          await resident.waitForURL(`**${statusPath}`)
          t.equal(await statusBadge(resident), 'Ingediend', 'the status is back to submitted')
          t.match(await text(resident), 'Veranderd en opnieuw ingestuurd', 'the history shows the change')
          t.equal(
            await resident.getByRole('link', { name: 'Verander mijn idee' }).count(),
            0,
            'no more changes while it waits',
          )
          t.match(await proposalNamed(IDEA.title), {
            status: 'submitted',
            costCents: 395_000,
            description: /Er passen 40 fietsen in/,
          })
          t.same(
            (await eventsOf(id)).map((e) => e.kind),
            ['submitted', 'changes_requested', 'resubmitted'],
          )
        },
      )

      await t.test('the moderator approves it, and the public page shows it approved with its history', async (t) => {
        await official.goto(`/official/proposals/${id}`)
        await official.getByRole('button', { name: 'Goedkeuren' }).click()
        await official.waitForURL(`**/official/proposals/${id}?done=approve`)
        t.equal(await official.getByRole('status').locator('p').first().innerText(), 'Het idee is goedgekeurd.')
        t.equal((await proposalNamed(IDEA.title))!.status, 'approved')

        await resident.reload()
        t.equal(await statusBadge(resident), 'Goedgekeurd', 'the submitter sees the decision')
        t.equal(
          await resident.getByRole('link', { name: 'Verander mijn idee' }).count(),
          0,
          'and can no longer change it',
        )
        await resident.getByRole('link', { name: 'Bekijk uw idee zoals anderen het zien' }).tap()
        const { reference } = (await proposalNamed(IDEA.title))!
        await resident.waitForURL(`**/proposals/${reference}`)
        const main = await text(resident)
        t.equal(await statusBadge(resident), 'Goedgekeurd', 'the public page shows it approved')
        t.match(main, 'Dit idee is goedgekeurd en komt op de stemlijst.')
        t.same(
          await resident.locator('.proposal-history-item strong').allInnerTexts(),
          ['Ingestuurd', 'Wijzigingen gevraagd', 'Veranderd en opnieuw ingestuurd', 'Goedgekeurd'],
          'the whole history, in order',
        )
        t.notMatch(main, MESSAGE, 'what was asked of the submitter stays private')
        t.notMatch(main, IDEA.email, 'and so do the contact details')
        t.notMatch(main, IDEA.name)
        await checkPage(t, resident)
      })
      await resident.context().close()
      await official.context().close()
    },
  )

  t.test('without JavaScript a resident sends in an idea and reaches the status page', async (t) => {
    const page = await phoneWithoutScripts(session)
    const idea = {
      ...IDEA,
      title: 'Warme truien voor de buurt',
      cost: '250,50',
      track: /^Sociaal/,
      theme: 'Ouder worden',
    }
    await openForm(page, ROUND)
    await fillIdea(page, idea)
    await page.getByRole('button', { name: 'Stuur mijn idee in' }).tap()
    await page.waitForURL('**/status/*')
    const stored = await proposalNamed(idea.title)
    t.match(stored, { roundId: round!.id, costCents: 25_050, track: 'social', themes: ['ageing'], status: 'submitted' })
    t.equal(path(page), `/status/${stored!.statusToken}`)
    t.equal(await page.locator('.proposal-reference').innerText(), stored!.reference)
    t.equal(await statusBadge(page), 'Ingediend')
    await checkPageWithScripts(t, session, page)
    await page.context().close()
  })
}
