import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposals, rounds } from '../../db/schema.js'
import { browserSession } from '../helpers/browser.js'
import { checkPage } from '../helpers/pages.js'

// The printed ballot: what a resident without a phone fills in at the community centre.
const session = await browserSession(t)

if (session) {
  const { db } = session
  const [demo] = await db.select().from(rounds)
  const demoProposals = await db.select().from(proposals).where(eq(proposals.roundId, demo!.id))
  // Eight projects with the demo's own titles and summaries, lengthened towards the form's limits.
  const [round] = await db
    .insert(rounds)
    .values({
      slug: 'acht-projecten',
      title: 'Wijkbudget Energie Oude Westen',
      neighbourhood: 'Oude Westen',
      budgetCents: 10_000_000,
      phase: 'voting',
      votingUntil: '2099-01-03',
      helpDesk: demo!.helpDesk,
    })
    .returning()
  await db.insert(proposals).values(
    Array.from({ length: 8 }, (_, i) => {
      const source = demoProposals[i % demoProposals.length]!
      return {
        roundId: round!.id,
        status: 'approved' as const,
        reference: `OW-${i}`,
        statusToken: `paper-${i}`,
        title: `${source.title} in blok ${i + 1}`,
        summary: `${source.summary} ${source.summary}`.slice(0, 240),
        description: source.description,
        costCents: 1_234_500 + i * 100_000,
        track: source.track,
        themes: source.themes,
        contactName: 'Bewoner',
      }
    }),
  )

  t.test('eight projects, the total box, the date and the help desk fit one A4 page', async (t) => {
    const page = await session.newPage()
    await page.goto(`/rounds/${round!.slug}/paper-ballot/nl`)
    t.equal(await page.locator('.paper-ballot__box').count(), 8)
    t.ok(await page.locator('tfoot .paper-ballot__total').isVisible(), 'a box for the total')
    t.match(await page.locator('.paper-ballot__deadline').innerText(), '3 januari 2099', 'the date to hand it in')
    await checkPage(t, page)
    await page.emulateMedia({ media: 'print' })
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: false })
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []
    t.equal(pages.length, 1, 'one sheet of A4')
    await page.context().close()
  })
}
