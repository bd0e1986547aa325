import t from 'tap'
import { isNotNull } from 'drizzle-orm'
import { proposals } from '../../db/schema.js'
import { browserSession } from '../helpers/browser.js'
import { checkPage, phoneWithoutScripts } from '../helpers/pages.js'

const session = await browserSession(t)

if (session) {
  const [proposal] = await session.db.select().from(proposals).where(isNotNull(proposals.contactEmail)).limit(1)
  const statusPath = `/status/${proposal!.statusToken}`
  const statusUrl = `http://localhost:3000${statusPath}`

  t.test('on a phone the submitter copies the status link with one tap', async (t) => {
    const page = await session.newPage()
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.baseUrl })
    await page.goto(statusPath)
    const copy = page.getByRole('button', { name: 'Kopieer de link' })
    await copy.tap()
    await page.getByRole('status').filter({ hasText: 'De link is gekopieerd.' }).waitFor()
    t.equal(await page.evaluate(() => navigator.clipboard.readText()), statusUrl, 'the link is on the clipboard')
    await checkPage(t, page)
    await page.context().close()
  })

  t.test('without JavaScript there is no dead button, and the link is text to select', async (t) => {
    const page = await phoneWithoutScripts(session)
    await page.goto(statusPath)
    t.equal(await page.getByRole('button', { name: 'Kopieer de link' }).count(), 0, 'no button that does nothing')
    t.equal(await page.locator('#status-link').innerText(), statusUrl)
    await page.context().close()
  })
}
