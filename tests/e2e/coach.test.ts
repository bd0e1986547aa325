import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposals } from '../../db/schema.js'
import { browserSession } from '../helpers/browser.js'
import { checkPage, login } from '../helpers/pages.js'
import { DEMO_OFFICIALS } from '../../server/data/demo.js'

const session = await browserSession(t)
const REASON = 'Maliyet tüm mahalle bütçesinden yüksek.'

if (session) {
  const { db } = session
  const [rejected] = await db.select().from(proposals).where(eq(proposals.status, 'rejected'))

  t.test(
    'a coach translates a moderation reason into Turkish from the list; Turkish readers see it at 360 px',
    async (t) => {
      const coach = DEMO_OFFICIALS.find((o) => o.role === 'coach')!
      const page = await session.newPage()
      await login(page, coach.email)
      await page.locator('.site-nav a[href="/official/translations"]').click()
      await page.waitForURL('**/official/translations')
      await checkPage(t, page)
      await page.locator(`.needs__item a[href*="/texts/decision-"][href$="into=tr"]`).first().click()
      await page.waitForURL('**/translate?into=tr')
      t.equal(await page.locator('html').getAttribute('lang'), 'nl', "the coach's interface stays Dutch")
      t.equal(await page.locator('#lang').inputValue(), 'tr')
      await checkPage(t, page)
      await page.locator('#text').fill(REASON)
      await page.locator('form[action$="/translate"] button[type="submit"]').click()
      await page.locator('.alert--ok').waitFor()
      await checkPage(t, page)
      await page.context().close()

      const resident = await session.newPage({ locale: 'tr-TR' })
      await resident.goto(`/proposals/${rejected!.reference}`)
      t.equal(await resident.locator('html').getAttribute('lang'), 'tr')
      t.equal(await resident.locator('.proposal-history span[lang=tr]').textContent(), REASON)
      await resident.locator('.proposal-history .text-origin summary').click()
      t.ok(await resident.locator('.proposal-history .text-origin p[lang=nl]').isVisible(), 'the original one tap away')
      await checkPage(t, resident)
      await resident.context().close()
    },
  )
}
