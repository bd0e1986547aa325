import t, { type Test } from 'tap'
import { and, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { ballots, proposals, proposalTranslations, results, rounds } from '../../db/schema.js'
import { DEMO_OFFICIALS } from '../../server/data/demo.js'
import { formatDate, formatNumber } from '../../server/formatters.js'
import type { Lang } from '../../server/i18n.js'
import { browserSession } from '../helpers/browser.js'
import { msg } from '../helpers/html.js'
import { checkPage, loginInLanguage } from '../helpers/pages.js'
import { createCodes } from '../helpers/voting.js'

const session = await browserSession(t)
const official = (role: string) => DEMO_OFFICIALS.find((o) => o.role === role)!.email

interface Idea {
  title: string
  summary: string
  cost: string
}

/**
 * One round per language, run by residents whose phones read it and officials who switched to it.
 * The coach translates the first idea into the other language of the pair.
 */
const JOURNEYS = [
  {
    lang: 'ar',
    locale: 'ar',
    dir: 'rtl',
    reason: 'وصلت الرسائل متأخرة، والجميع صوّتوا.',
    round: { title: 'ميزانية الطاقة في الحي', neighbourhood: 'بوسبولدر، روتردام' },
    ideas: [
      { title: 'ألواح شمسية على سطح المدرسة', summary: 'ألواح شمسية تعطي الكهرباء للمدرسة.', cost: '12000' },
      { title: 'مقهى الطاقة للجيران', summary: 'نلتقي كل أسبوع ونتعلم توفير الطاقة.', cost: '6000' },
    ],
    other: 'tr',
    otherLocale: 'tr-TR',
    translation: { title: 'Okul çatısına güneş panelleri', summary: 'Güneş panelleri okula elektrik verir.' },
  },
  {
    lang: 'tr',
    locale: 'tr-TR',
    dir: 'ltr',
    reason: 'Mektuplar geç gitti, herkes oy verdi.',
    round: { title: 'Mahalle enerji bütçesi', neighbourhood: 'Tussendijken, Rotterdam' },
    ideas: [
      { title: 'Apartman çatısına güneş panelleri', summary: 'Paneller binaya elektrik verir.', cost: '12000' },
      {
        title: 'Komşular için enerji kahvesi',
        summary: 'Her hafta buluşup enerji tasarrufunu öğreniyoruz.',
        cost: '6000',
      },
    ],
    other: 'ar',
    otherLocale: 'ar',
    translation: { title: 'ألواح شمسية على سطح العمارة', summary: 'الألواح تعطي الكهرباء للعمارة.' },
  },
] as const

const squash = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim()
const submit = (page: Page, action: string) => page.locator(`form[action$="${action}"] [type="submit"]`).first().click()
/** htmx has finished swapping the ballot: the next tick reaches the new form. */
const htmxIdle = (page: Page) =>
  page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'))

/** Every page of the journey: in the journey's language and direction, no axe violations, nothing wider than 360 px. */
async function seen(t: Test, page: Page, lang: string, dir: string) {
  const html = page.locator('html')
  t.same([await html.getAttribute('lang'), await html.getAttribute('dir')], [lang, dir], `${page.url()} in ${lang}`)
  await checkPage(t, page)
}

/** From the management page through the confirmation page to the next phase, as the admin clicks it. */
async function advance(t: Test, page: Page, lang: string, dir: string, reason?: string) {
  const id = Number(/\/official\/rounds\/(\d+)/.exec(page.url())![1])
  await page.locator(`a[href="/official/rounds/${id}/advance"]`).click()
  await page.waitForURL(`**/official/rounds/${id}/advance`)
  const why = page.locator('textarea[name="reason"]')
  t.equal(await why.count(), reason ? 1 : 0, reason ? 'closing early asks for a reason' : 'no reason is asked')
  if (reason) await why.fill(reason)
  await seen(t, page, lang, dir)
  await submit(page, `/official/rounds/${id}/advance`)
  await page.waitForURL(`**/official/rounds/${id}?notice=advanced`)
}

async function propose(page: Page, slug: string, idea: Idea, n: number) {
  await page.goto(`/rounds/${slug}`)
  await page.locator(`main a[href="/rounds/${slug}/proposals/new"]`).first().click()
  await page.waitForURL('**/proposals/new')
  await page.locator('[name="title"]').fill(idea.title)
  await page.locator('[name="summary"]').fill(idea.summary)
  await page.locator('[name="description"]').fill(`${idea.summary} ${idea.title}.`)
  await page.locator('[name="cost"]').fill(idea.cost)
  await page.locator('input[name="track"]').first().check()
  await page.locator('input[name="themes"][value="green"]').check()
  await page.locator('[name="contactName"]').fill(`Resident ${n}`)
  await page.locator('[name="contactEmail"]').fill(`resident-${n}@example.org`)
  await page.locator('input[name="consent"]').check()
}

if (session) {
  const { db } = session
  const proposalNamed = async (title: string) =>
    (await db.select().from(proposals).where(eq(proposals.title, title)))[0]!
  const phaseOf = async (id: number) => (await db.select().from(rounds).where(eq(rounds.id, id)))[0]!.phase

  for (const journey of JOURNEYS) {
    const { lang, dir } = journey
    const say = (key: string, vars: Record<string, unknown> = {}) => msg(key, vars, lang)

    t.test(`the whole round in ${lang} at 360 px, from a new round to the published chart`, async (t) => {
      const admin = await session.newPage()
      await loginInLanguage(t, admin, official('admin'), lang)
      await seen(t, admin, lang, dir)

      // 1. The admin makes the round; its promised last day of voting lies ahead.
      await admin.locator('main a[href="/official/rounds/new"]').click()
      await admin.waitForURL('**/official/rounds/new')
      await admin.locator('[name="title"]').fill(journey.round.title)
      await admin.locator('[name="neighbourhood"]').fill(journey.round.neighbourhood)
      await admin.locator('[name="budget"]').fill('20000')
      await admin.locator('input[name="ballotFormat"][value="knapsack"]').check()
      await admin.locator('input[name="tallyRule"][value="greedy"]').check()
      const votingUntil = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
      await admin.locator('[name="votingUntil"]').fill(votingUntil)
      await seen(t, admin, lang, dir)
      await submit(admin, '/official/rounds')
      await admin.waitForURL(/\/official\/rounds\/\d+\?notice=created$/)
      const roundId = Number(/\/official\/rounds\/(\d+)/.exec(admin.url())![1])
      const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId))
      t.match(round, { title: journey.round.title, budgetCents: 2_000_000, phase: 'draft', votingUntil })
      const slug = round!.slug
      await seen(t, admin, lang, dir)
      await advance(t, admin, lang, dir)
      t.equal(await phaseOf(roundId), 'proposing', 'open for ideas')

      // 2. Two residents send in an idea from a phone that reads the language.
      for (const [n, idea] of journey.ideas.entries()) {
        const resident = await session.newPage({ locale: journey.locale })
        await propose(resident, slug, idea, n)
        if (n === 0) await seen(t, resident, lang, dir)
        await submit(resident, '/proposals')
        await resident.waitForURL('**/status/*')
        if (n === 0) await seen(t, resident, lang, dir)
        await resident.context().close()
      }
      const [first, second] = await Promise.all(journey.ideas.map((idea) => proposalNamed(idea.title)))
      t.match(
        [first, second],
        [
          { roundId, lang, status: 'submitted' },
          { roundId, lang, status: 'submitted' },
        ],
      )

      // 3. Reviewing: the queue still holds both ideas, and the moderator approves them there.
      await advance(t, admin, lang, dir)
      t.equal(await phaseOf(roundId), 'reviewing')
      const moderator = await session.newPage()
      await loginInLanguage(t, moderator, official('moderator'), lang)
      await moderator.goto('/official/moderation')
      await seen(t, moderator, lang, dir)
      for (const [n, proposal] of [first!, second!].entries()) {
        await moderator.goto('/official/moderation')
        await moderator.locator(`main a[href="/official/proposals/${proposal.id}"]`).first().click()
        await moderator.waitForURL(`**/official/proposals/${proposal.id}`)
        if (n === 0) await seen(t, moderator, lang, dir)
        const approve = moderator.locator(`form[action="/official/proposals/${proposal.id}/approve"]`)
        if (!t.equal(await approve.count(), 1, 'the moderator can still approve the idea in review')) return
        await submit(moderator, `/official/proposals/${proposal.id}/approve`)
        await moderator.waitForURL(`**/official/proposals/${proposal.id}?done=approve`)
      }
      await seen(t, moderator, lang, dir)
      t.same(
        (await db.select().from(proposals).where(eq(proposals.roundId, roundId))).map((p) => p.status),
        ['approved', 'approved'],
        'both approved while the round is in review',
      )
      await moderator.context().close()

      // 4. The language coach translates the first idea into the other language, in their own interface language.
      const coach = await session.newPage()
      await loginInLanguage(t, coach, official('coach'), lang)
      await coach.goto(`/official/rounds/${roundId}`)
      await coach.locator(`main a[href="/official/rounds/${roundId}/translations"]`).click()
      await coach.waitForURL(`**/official/rounds/${roundId}/translations`)
      await seen(t, coach, lang, dir)
      // The needs-translation list links each missing language of each text.
      await coach.locator(`a[href="/official/proposals/${first!.id}/translate?into=${journey.other}"]`).click()
      await coach.waitForURL(`**/official/proposals/${first!.id}/translate**`)
      const form = coach.locator(`form[action="/official/proposals/${first!.id}/translate"]`)
      const into = form.locator('select')
      if ((await into.count()) > 0) t.equal(await into.inputValue(), journey.other, 'the link chose the language')
      await form.locator('[name="title"]').fill(journey.translation.title)
      await form.locator('[name="summary"]').fill(journey.translation.summary)
      const description = form.locator('[name="description"]')
      if ((await description.count()) > 0) await description.fill(journey.translation.summary)
      await seen(t, coach, lang, dir)
      await form.locator('[type="submit"]').click()
      await coach.getByRole('status').waitFor()
      await seen(t, coach, lang, dir)
      const translated = await db
        .select()
        .from(proposalTranslations)
        .where(and(eq(proposalTranslations.proposalId, first!.id), eq(proposalTranslations.lang, journey.other)))
      t.match(translated, [journey.translation], "the coach's translation is stored")
      await coach.context().close()
      const reader = await session.newPage({ locale: journey.otherLocale })
      await reader.goto(`/rounds/${slug}`)
      t.ok(
        await reader.locator(`main [lang="${journey.other}"]`, { hasText: journey.translation.title }).count(),
        'a resident who reads the other language sees the idea in it',
      )
      await reader.context().close()

      // 5. Voting: a resident enters the letter's code and chooses both projects on the phone.
      await advance(t, admin, lang, dir)
      t.equal(await phaseOf(roundId), 'voting')
      const [code] = await createCodes(db, roundId, 1)
      const voter = await session.newPage({ locale: journey.locale })
      await voter.goto(`/rounds/${slug}`)
      await seen(t, voter, lang, dir)
      await voter.locator(`main a[href="/rounds/${slug}/vote"]`).first().click()
      await voter.waitForURL(`**/rounds/${slug}/vote`)
      await seen(t, voter, lang, dir)
      await voter.locator('[name="code"]').fill(code!)
      await submit(voter, `/rounds/${slug}/vote`)
      await voter.waitForURL(`**/rounds/${slug}/vote/ballot`)
      await voter.waitForFunction(() => 'htmx' in window)
      for (const proposal of [first!, second!]) {
        await voter.locator(`input[name="projects"][value="${proposal.id}"]`).check()
        await htmxIdle(voter)
      }
      await seen(t, voter, lang, dir)
      await voter.locator('button[name="intent"][value="submit"]').click()
      await voter.waitForURL(/\/receipts\//)
      const [ballot] = await db.select().from(ballots).where(eq(ballots.roundId, roundId))
      t.same(
        ballot!.projectIds,
        [first!.id, second!.id].sort((a, b) => a - b),
        'the ballot holds both projects',
      )
      t.match(squash(await voter.locator('main').innerText()), ballot!.receipt, 'the receipt code is shown')
      await seen(t, voter, lang, dir)
      await voter.context().close()

      // 6. The admin closes voting before the promised day, with a reason, and publishes through the confirmation page.
      await advance(t, admin, lang, dir, journey.reason)
      t.equal(await phaseOf(roundId), 'closed')
      await admin.locator(`main a[href="/official/rounds/${roundId}/results"]`).first().click()
      await admin.waitForURL(`**/official/rounds/${roundId}/results`)
      await seen(t, admin, lang, dir)
      await admin.locator(`main a[href="/official/rounds/${roundId}/publish"]`).click()
      await admin.waitForURL(`**/official/rounds/${roundId}/publish`)
      await seen(t, admin, lang, dir)
      await submit(admin, `/official/rounds/${roundId}/publish`)
      await admin.waitForURL(new RegExp(`/official/rounds/${roundId}/results`))
      t.equal((await db.select().from(results).where(eq(results.roundId, roundId))).length, 1, 'published')
      t.equal(await phaseOf(roundId), 'published')
      await seen(t, admin, lang, dir)
      await admin.context().close()

      // 7. A resident reads the results: every name and number of every chart inside its drawing, and the timeline.
      const resident = await session.newPage({ locale: journey.locale })
      await resident.goto(`/rounds/${slug}`)
      const timeline = squash(await resident.locator('.timeline').innerText())
      const today = formatDate(new Date(), lang)
      t.match(timeline, say('timeline.happened.voting', { date: today }), 'the timeline says when voting opened')
      t.match(timeline, say('timeline.happened.closedEarly', { date: today }), 'and that it closed early, when')
      await resident.locator(`main a[href="/rounds/${slug}/results"]`).first().click()
      await resident.waitForURL(`**/rounds/${slug}/results`)
      await seen(t, resident, lang, dir)
      const charts = await resident.locator('main svg').evaluateAll((svgs) =>
        svgs.map((svg) => {
          const outer = svg.getBoundingClientRect()
          return [...svg.querySelectorAll('text')].map((text) => {
            const r = text.getBoundingClientRect()
            const inside =
              r.width > 0 &&
              r.left >= outer.left - 0.5 &&
              r.right <= outer.right + 0.5 &&
              r.top >= outer.top - 0.5 &&
              r.bottom <= outer.bottom + 0.5
            return { text: text.textContent ?? '', inside }
          })
        }),
      )
      const named = (title: string) => charts.flat().filter((x) => x.text.includes(title)).length
      t.same(
        journey.ideas.map((idea) => named(idea.title)),
        [1, 1],
        'the votes chart names each project in its own words',
      )
      t.equal(
        charts.flat().filter((x) => x.text === formatNumber(1, lang as Lang)).length,
        2,
        'and gives each its one vote in the language’s digits',
      )
      t.same(
        charts.flat().filter((x) => !x.inside),
        [],
        `each of the ${charts.flat().length} names and numbers lies inside its drawing`,
      )
      await resident.context().close()
    })
  }
}
