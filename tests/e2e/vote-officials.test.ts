import t from 'tap'
import { readFile } from 'node:fs/promises'
import { and, asc, eq, inArray } from 'drizzle-orm'
import { strFromU8, unzipSync } from 'fflate'
import type { Page } from 'playwright-core'
import { auditLog, ballots, codeBatches, rounds, votingCodes } from '../../db/schema.js'
import { DEMO_OFFICIALS } from '../../server/data/demo.js'
import { listBallotProjects } from '../../server/data/ballots.js'
import { hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../helpers/app.js'
import { browserSession, PHONE } from '../helpers/browser.js'
import { checkPage, login } from '../helpers/pages.js'
import { setPhase } from '../helpers/voting.js'

const session = await browserSession(t)
const admin = DEMO_OFFICIALS.find((o) => o.role === 'admin')!
const moderator = DEMO_OFFICIALS.find((o) => o.role === 'moderator')!
const DESKTOP = { width: 1280, height: 800 }

const text = (page: Page) => page.locator('main').innerText()

/** A facts-list figure, by its term: the codes page shows how many codes were made and revoked. */
const fact = (page: Page, term: string) =>
  page
    .locator('dl.facts > div')
    .filter({ has: page.getByText(term, { exact: true }) })
    .locator('dd')
    .innerText()
/** A row of a table with row headers, by its header: the turnout page's figures. */
const row = (page: Page, table: number, header: string) =>
  page.locator('main table').nth(table).getByRole('row', { name: header, exact: false }).locator('td').innerText()

interface Letter {
  code: string
  group: string
  url: string
}

/** The mail-merge file: a byte order mark, a header, and one line per letter (codes and groups hold no commas or quotes). */
function parseCsv(csv: string): { header: string; letters: Letter[] } {
  const [header, ...lines] = csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
  return {
    header: header!,
    letters: lines.map((line) => {
      const [code, group, url] = line.split(',')
      return { code: code!, group: group!, url: url! }
    }),
  }
}

if (session) {
  const { db } = session
  const [round] = await db.select().from(rounds)
  const { id: roundId, slug, title: roundTitle } = round!
  await setPhase(db, roundId, 'voting')
  const projects = await listBallotProjects(db, roundId)
  const [coaches, heatScan] = projects
  const GROUP = 'Postcode 3024'
  let letters: Letter[] = []

  const codeRow = async (code: string) =>
    (
      await db
        .select()
        .from(votingCodes)
        .where(eq(votingCodes.codeHash, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!)))
    )[0]

  t.test(
    'an admin makes five letter codes with QR codes, downloads them once, and revokes a lost letter',
    async (t) => {
      const context = await session.browser.newContext({
        baseURL: session.baseUrl,
        viewport: DESKTOP,
        acceptDownloads: true,
        locale: 'nl-NL',
      })
      const page = await context.newPage()
      await login(page, admin.email)
      await page.getByRole('link', { name: roundTitle }).click()
      await page.waitForURL(`**/official/rounds/${roundId}`)
      t.equal(await page.locator('h1').innerText(), roundTitle, 'the management page of the round opens')
      await checkPage(t, page)

      await page.getByRole('link', { name: 'Stemcodes', exact: true }).click()
      await page.waitForURL(`**/official/rounds/${roundId}/codes`)
      t.equal(await page.locator('h1').innerText(), 'Stemcodes')
      t.match(await text(page), 'Er zijn nog geen codes gemaakt.', 'no codes yet')
      await checkPage(t, page)

      await page.getByLabel('Aantal codes').fill('5')
      await page.getByLabel('Groep (niet verplicht)').fill(GROUP)
      const qr = page.getByRole('checkbox', { name: 'Maak ook een QR-code voor elke code' })
      t.ok(await qr.isChecked(), 'QR codes are on unless switched off')
      await page.evaluate(() => Object.assign(window, { marker: 'still here' }))
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Codes maken en downloaden' }).click(),
      ])
      // The download leaves the page where it is; the totals ask again until they show the new codes.
      await page.waitForFunction(() => document.querySelector('#code-totals dd')?.textContent === '5')
      t.equal(
        await page.evaluate(() => (window as unknown as { marker?: string }).marker),
        'still here',
        'the count changed without a reload',
      )
      t.match(
        download.suggestedFilename(),
        new RegExp(`^stemcodes-${slug}-\\d{8}T\\d{6}Z\\.zip$`),
        'the file is named after the round and the time',
      )
      const zip = unzipSync(new Uint8Array(await readFile(await download.path())))
      const { header, letters: downloaded } = parseCsv(strFromU8(zip['codes.csv']!))
      letters = downloaded
      t.equal(header, 'code,group,voting_url', 'codes.csv has the columns for the mail merge')
      t.equal(letters.length, 5, 'and five letters')
      t.equal(new Set(letters.map((l) => l.code)).size, 5, 'each with its own code')
      for (const letter of letters) {
        t.match(letter, {
          code: /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/,
          group: GROUP,
          url: `${TEST_CONFIG.publicUrl}/rounds/${slug}/vote?code=${letter.code}`,
        })
        t.match(
          strFromU8(zip[`qr/${letter.code}.svg`] ?? new Uint8Array()),
          /^<svg /,
          `qr/${letter.code}.svg is a QR image`,
        )
      }
      t.equal(Object.keys(zip).filter((name) => name.endsWith('.svg')).length, 5, 'one QR image per code, nothing else')

      const stored = await db.select().from(votingCodes).where(eq(votingCodes.roundId, roundId))
      t.same(
        stored.map((c) => c.codeHash).sort(),
        letters.map((l) => hashCode(TEST_CONFIG.codeKey, normaliseCode(l.code)!)).sort(),
        'the database holds the five codes, as keyed hashes only',
      )
      t.ok(
        stored.every((c) => c.groupLabel === GROUP && c.revokedAt === null),
        'in the group, none revoked',
      )
      const [batch] = await db.select().from(codeBatches).where(eq(codeBatches.roundId, roundId))
      t.match(batch, { count: 5, groupLabel: GROUP })

      // The totals' answer brings the batch list along: the new batch is there without a reload.
      t.same(
        await page
          .locator('#code-batches table tbody tr td')
          .allInnerTexts()
          .then((cells) => cells.slice(1)),
        [GROUP, '5', admin.name],
        'the batch is listed with its group, size and maker',
      )
      t.equal(
        await page.evaluate(() => (window as unknown as { marker?: string }).marker),
        'still here',
        'still the same page',
      )
      await page.reload()
      t.equal(await fact(page, 'Codes gemaakt'), '5')
      t.notMatch(await page.content(), letters[0]!.code, 'the codes themselves are never shown again')
      await checkPage(t, page)

      const lost = letters[0]!
      await page.getByLabel('Stemcode uit de brief').fill(lost.code.toLowerCase())
      await page.getByRole('button', { name: 'Code intrekken' }).click()
      await page.waitForURL(`**/official/rounds/${roundId}/codes?notice=revoked`)
      t.equal(
        await page.getByRole('status').innerText(),
        'De code is ingetrokken. Niemand kan er nog mee stemmen. Is er al mee gestemd? Dan telt die stem niet mee.',
        'the revocation is confirmed',
      )
      t.equal(await fact(page, 'Codes ingetrokken'), '1')
      const revoked = await codeRow(lost.code)
      t.ok(revoked!.revokedAt, 'the code is revoked in the database')
      const audit = await db
        .select()
        .from(auditLog)
        .where(inArray(auditLog.action, ['codes.generate', 'codes.revoke']))
        .orderBy(asc(auditLog.id))
      t.same(
        audit.map((e) => [e.action, e.actor, e.object]),
        [
          ['codes.generate', admin.email, `round:${roundId}`],
          ['codes.revoke', admin.email, `code:${revoked!.id}`],
        ],
        'both actions are in the audit log, by the admin',
      )
      await checkPage(t, page)

      await page.setViewportSize(PHONE)
      await checkPage(t, page)
      await context.close()
    },
  )

  t.test('a moderator enters a paper ballot for another letter and sees one paper ballot in the turnout', async (t) => {
    t.equal(letters.length, 5, 'the codes were made')
    const paperLetter = letters[1]!
    const page = await session.newPage()
    await login(page, moderator.email)
    await page.getByRole('link', { name: roundTitle }).click()
    await page.waitForURL(`**/official/rounds/${roundId}`)
    t.equal(await page.getByRole('link', { name: 'Stemcodes', exact: true }).count(), 0, 'codes are for admins only')
    await checkPage(t, page)
    await page.getByRole('link', { name: 'Papieren stem invoeren' }).click()
    await page.waitForURL(`**/official/rounds/${roundId}/paper`)
    t.equal(await page.locator('h1').innerText(), 'Papieren stem invoeren')
    await checkPage(t, page)

    await page.getByLabel('Stemcode op het stembiljet').fill(paperLetter.code)
    const ticked = page.getByRole('group', { name: 'Aangekruiste projecten' })
    await ticked.getByRole('checkbox', { name: new RegExp(`^${coaches!.title}`) }).check()
    await ticked.getByRole('checkbox', { name: new RegExp(`^${heatScan!.title}`) }).check()
    await page.getByRole('button', { name: 'Papieren stem opslaan' }).click()
    await page.waitForURL(`**/official/rounds/${roundId}/paper?done=entered&receipt=*`)
    const [ballot] = await db
      .select()
      .from(ballots)
      .where(eq(ballots.codeId, (await codeRow(paperLetter.code))!.id))
    t.match(
      ballot,
      { channel: 'paper', projectIds: [coaches!.id, heatScan!.id].sort((a, b) => a - b) },
      'the paper ballot is stored for its code',
    )
    const confirmation = await page.getByRole('status').innerText()
    t.match(confirmation, 'De papieren stem is opgeslagen.', 'the moderator is told it is stored')
    t.match(
      confirmation,
      `Code van het bewijs van stemmen: ${ballot!.receipt}`,
      'with the receipt to hand to the resident',
    )
    t.equal(
      await page.getByLabel('Stemcode op het stembiljet').inputValue(),
      '',
      'the form is empty for the next paper ballot',
    )
    await checkPage(t, page)

    await page.getByRole('link', { name: roundTitle }).click()
    await page.getByRole('link', { name: 'Opkomst', exact: true }).click()
    await page.waitForURL(`**/official/rounds/${roundId}/turnout`)
    t.equal(await page.locator('h1').innerText(), 'Opkomst')
    t.equal(await row(page, 0, 'Codes gemaakt'), '5')
    t.equal(await row(page, 0, 'Codes ingetrokken'), '1')
    t.equal(await row(page, 0, 'Geldige codes'), '4')
    t.equal(await row(page, 1, 'Op papier'), '1', 'one paper ballot')
    t.equal(await row(page, 1, 'Online'), '0', 'none online')
    t.equal(await fact(page, 'Opkomst'), '25%', 'one ballot for four valid codes')
    await checkPage(t, page)
    await page.context().close()
  })

  t.test('a resident with the revoked letter is told the code is withdrawn, and nothing is stored', async (t) => {
    t.equal(letters.length, 5, 'the codes were made')
    const lost = letters[0]!
    const page = await session.newPage()
    // The QR link on the letter, pointed at this test server.
    const url = new URL(lost.url)
    await page.goto(`${url.pathname}${url.search}`)
    t.equal(await page.getByLabel('Uw stemcode').inputValue(), lost.code, 'the link lands on the code, to see it')
    const code = page.getByLabel('Uw stemcode')
    t.same(await page.getByRole('alert').getByRole('link').allInnerTexts(), [
      'Deze code is ingetrokken. Neem contact op met de gemeente voor een nieuwe brief.',
    ])
    t.equal(await code.getAttribute('aria-invalid'), 'true', 'the code is marked as wrong')
    t.match(await code.getAttribute('aria-describedby'), 'code-error', 'and its message is tied to it')
    t.equal(await page.getByRole('heading', { name: 'Kies uw projecten' }).count(), 0, 'no ballot is shown')
    const revoked = await codeRow(lost.code)
    t.same(
      await db
        .select()
        .from(ballots)
        .where(and(eq(ballots.roundId, roundId), eq(ballots.codeId, revoked!.id))),
      [],
      'no ballot is stored',
    )
    await checkPage(t, page)
    await page.context().close()
  })
}
