import t from 'tap'
import { parse } from 'csv-parse/sync'
import { eq, sql } from 'drizzle-orm'
import { strFromU8, unzipSync } from 'fflate'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { rounds, votingCodes } from '../../../db/schema.js'
import { MAX_LETTERS } from '../../../server/domain/voting/code-batch.js'
import { formatDate } from '../../../server/formatters.js'
import { LANGUAGE_LIST } from '../../../server/languages.js'
import { lettersFit } from '../../../server/letters-pdf.js'
import { letterPdfText } from '../../../server/routes/official/letter.js'
import { storedHelpDesk } from '../../../server/domain/rounds/help-desk.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'

const { app, db, round, roundId, signedIn } = await demoRound(t, { officials: ['admin'] })
const codesUrl = `/official/rounds/${roundId}/codes`
const admin = await signedIn('admin')
const codesStored = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(votingCodes))[0]!.n

/** The text of each page, as a PDF reader extracts it, white space squashed. */
async function pagesOf(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: pdf, useSystemFonts: false }).promise
  const pages: string[] = []
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent()
    pages.push(squash(content.items.map((item) => ('str' in item ? item.str : '')).join(' ')))
  }
  await doc.destroy()
  return pages
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim()
/**
 * Arabic as a PDF reader gives it back: each line's words in the order they stand on the page
 * (right to left), and the lam-alef ligature, one glyph, as its two letters turned round ("لا" as
 * "ال"). So a right-to-left paragraph is checked word by word.
 */
const words = (text: string) => text.split(/[\s.,،؟]+/).filter(Boolean)
const extractedArabic = (word: string) => word.replace(/ل([اأإآ])/g, '$1ل')

t.test(
  'the download holds letters.pdf: one A4 page per code with its code, the last day, the help desk and each language the round declares',
  async (t) => {
    await admin.get(codesUrl)
    const res = await admin.post(codesUrl, { count: '3', group: '', letters: 'yes' })
    t.equal(res.statusCode, 200)
    const files = unzipSync(new Uint8Array(res.rawPayload))
    const codes = parse<{ code: string }>(strFromU8(files['codes.csv']!), { columns: true, bom: true }).map(
      (r) => r.code,
    )
    t.equal(codes.length, 3)
    const pdf = files['letters.pdf']!
    t.equal(strFromU8(pdf.subarray(0, 5)), '%PDF-', 'a PDF')
    const doc = await getDocument({ data: pdf.slice() }).promise
    const { view } = await doc.getPage(1)
    t.same(view.map(Math.round), [0, 0, 595, 842], 'A4')
    await doc.destroy()

    const pages = await pagesOf(pdf.slice())
    t.equal(pages.length, codes.length, 'one page per letter')
    const [current] = await db.select().from(rounds).where(eq(rounds.id, roundId))
    const desk = storedHelpDesk(current!.helpDesk)!
    const [year, month, day] = current!.votingUntil!.split('-')
    for (const [i, page] of pages.entries()) {
      t.match(page, codes[i]!, `page ${i + 1} has its own code`)
      for (const other of codes.filter((_, j) => j !== i)) t.notMatch(page, other, 'and no other')
      t.match(page, `${day}-${month}-${year}`, 'the last day in figures')
      t.match(page, squash(msg('letter.until', { date: formatDate(current!.votingUntil!, 'nl') })), 'and in words')
      t.match(page, desk.phone, "the help desk's phone")
      t.notMatch(page, msg('letters.paragraph', {}, 'pl'), 'no paragraph in a language the round does not declare')
      for (const language of LANGUAGE_LIST.filter((l) => l.code !== 'nl' && desk.languages.includes(l.code))) {
        const paragraph = msg('letters.paragraph', {}, language.code)
        if (language.dir === 'ltr') t.match(page, paragraph, `the paragraph in ${language.code}`)
        else {
          const onPage = new Set(words(page))
          const missing = words(paragraph).filter((word) => !onPage.has(extractedArabic(word)))
          t.same(missing, [], `every word of the paragraph in ${language.code}`)
        }
      }
    }
  },
)

t.test('a letter that cannot fit one A4 page is caught before anything is made', async (t) => {
  const text = letterPdfText(app.translate, round, app.publicUrl)
  t.ok(lettersFit(text), "the demo round's letter fits one page")
  const tooLong = { ...text, body: [...text.body, 'Openingstijden. '.repeat(400)] }
  t.notOk(lettersFit(tooLong), 'an overlong help desk text does not fit')
})

t.test('more letters than one download can make are refused, and no codes are stored', async (t) => {
  const before = await codesStored()
  await admin.get(codesUrl)
  const res = await admin.post(codesUrl, { count: String(MAX_LETTERS + 1), group: '', letters: 'yes' })
  t.equal(res.statusCode, 422)
  t.equal(html(res).field('letters').value, 'yes', 'the choice is kept to correct')
  t.match(
    html(res).text('#letters-error'),
    msg('codes.generate.lettersTooMany', { max: MAX_LETTERS.toLocaleString('nl-NL') }),
  )
  t.equal(await codesStored(), before)
})

t.test('without letters ticked there is no PDF in the download', async (t) => {
  await admin.get(codesUrl)
  const res = await admin.post(codesUrl, { count: '2', group: '' })
  t.notOk('letters.pdf' in unzipSync(new Uint8Array(res.rawPayload)))
  t.same(html(await admin.get(codesUrl)).checked('letters'), ['yes'], 'the form offers letters by default')
})
