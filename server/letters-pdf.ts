import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'

/**
 * DejaVu from its npm package, never a system font: it has every glyph of the six languages,
 * Arabic with the joining forms that fontkit (inside pdfkit) applies, and CI installs it with npm.
 */
const fontFile = (name: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`)
let fonts: { regular: Buffer; bold: Buffer; mono: Buffer } | undefined
/** Read once; a missing font throws here, before any code is stored. */
export function letterFonts() {
  fonts ??= {
    regular: readFileSync(fontFile('DejaVuSans.ttf')),
    bold: readFileSync(fontFile('DejaVuSans-Bold.ttf')),
    mono: readFileSync(fontFile('DejaVuSansMono-Bold.ttf')),
  }
  return fonts
}

/** Everything a letter says but its code, already in words: the same on every page. */
export interface LetterText {
  title: string
  heading: string
  intro: string
  codeLabel: string
  urlLabel: string
  voteUrl: string
  /** The last day, in words (Dutch) and in figures that read alike in every language. */
  until: { label: string; words: string; figures: string } | null
  help: { label: string; phone: string } | null
  /** The Dutch paragraphs under the box: how to vote, on paper, the help desk. */
  body: string[]
  languagesHeading: string
  /** One short paragraph per language; an Arabic one holds no figures or Latin text, which pdfkit would not reorder. */
  languages: { name: string; rtl: boolean; paragraph: string }[]
}

export interface Sink {
  push(chunk: Uint8Array): void
  /** Resolves when the reader has caught up: 14,000 letters never wait in memory. */
  drained(): Promise<void>
}

const A4 = { width: 595.28, height: 841.89 }
const MARGIN = 50
const WIDTH = A4.width - 2 * MARGIN
const QR_SIZE = 128
const BOX_HEIGHT = QR_SIZE + 24
/** Letters drawn between two looks at the reader, and turns given to other requests. */
const LETTERS_PER_TURN = 25

/** The QR code as filled rectangles, one per run of dark modules in a row: sharp at any print size, small. */
function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number) {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' })
  const module = QR_SIZE / (modules.size + 8)
  const left = x + 4 * module
  const top = y + 4 * module
  for (let row = 0; row < modules.size; row++) {
    let col = 0
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++
        continue
      }
      const start = col
      while (col < modules.size && modules.get(row, col)) col++
      doc.rect(left + start * module, top + row * module, (col - start) * module, module)
    }
  }
  doc.fillColor('black').fill()
}

/**
 * The code a character at a time: pdfkit keeps the shaped form of every text it draws, and 14,000
 * different codes would stay in memory to the end (measured: 8 KB a letter); 31 characters do not.
 */
function drawCode(doc: PDFKit.PDFDocument, code: string, x: number) {
  doc.font('mono').fontSize(20)
  const advance = doc.widthOfString('M') + 1
  const y = doc.y
  for (const [i, char] of [...code].entries()) doc.text(char, x + i * advance, y, { lineBreak: false })
  doc.text('', x, y + doc.currentLineHeight(true))
}

function drawLetter(doc: PDFKit.PDFDocument, text: LetterText, code: string, url: string, languageSize: number) {
  doc.addPage()
  doc.font('bold').fontSize(17).text(text.heading, MARGIN, MARGIN, { width: WIDTH })
  doc.moveDown(0.4).font('regular').fontSize(10.5).text(text.intro, { width: WIDTH })

  const boxTop = doc.y + 10
  doc.roundedRect(MARGIN, boxTop, WIDTH, BOX_HEIGHT, 6).lineWidth(1).strokeColor('#555555').stroke()
  drawQr(doc, url, MARGIN + 8, boxTop + 12)
  const column = { x: MARGIN + QR_SIZE + 24, width: WIDTH - QR_SIZE - 36 }
  doc
    .font('regular')
    .fontSize(10)
    .text(text.codeLabel, column.x, boxTop + 16, { width: column.width })
  drawCode(doc, code, column.x)
  doc.moveDown(0.3).font('regular').fontSize(9).text(`${text.urlLabel}: ${text.voteUrl}`, { width: column.width })
  if (text.until) {
    doc.moveDown(0.3).font('bold').fontSize(11)
    doc.text(`${text.until.label}: ${text.until.figures}`, { width: column.width })
    doc.font('regular').fontSize(9).text(text.until.words, { width: column.width })
  }
  if (text.help) doc.moveDown(0.3).font('bold').fontSize(11).text(`${text.help.label}: ${text.help.phone}`)

  doc
    .font('regular')
    .fontSize(10.5)
    .text('', MARGIN, boxTop + BOX_HEIGHT + 14)
  for (const paragraph of text.body) doc.text(paragraph, { width: WIDTH, paragraphGap: 4 })
  doc.moveDown(0.6).font('bold').fontSize(11).text(text.languagesHeading, { width: WIDTH })
  for (const language of text.languages) {
    const align = language.rtl ? 'right' : 'left'
    doc.moveDown(0.4).font('bold').fontSize(languageSize).text(language.name, { width: WIDTH, align })
    doc.font('regular').fontSize(languageSize).text(language.paragraph, { width: WIDTH, align })
  }
}

/**
 * The largest type for the language paragraphs that keeps each letter on one page: the text is the
 * same on every page, so drawing one letter off the record tells. Null when nothing fits.
 */
function languageSizeThatFits(text: LetterText): number | null {
  for (const size of [9.5, 9, 8.5, 8, 7.5, 7]) {
    const trial = newDocument(text.title)
    let pages = 0
    trial.on('pageAdded', () => pages++)
    trial.on('data', () => {})
    drawLetter(trial, text, 'ABCD-EFGH-JKMN-PQRS', text.voteUrl, size)
    const fits = pages === 1 && trial.y <= A4.height - MARGIN
    trial.end()
    if (fits) return size
  }
  return null
}

function newDocument(title: string): PDFKit.PDFDocument {
  const { regular, bold, mono } = letterFonts()
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    autoFirstPage: false,
    bufferPages: false,
    lang: 'nl',
    info: { Title: title, Creator: 'Wijkbudget' },
  })
  doc.registerFont('regular', regular)
  doc.registerFont('bold', bold)
  doc.registerFont('mono', mono)
  return doc
}

/** Whether the letter fits one page (the help desk's texts are the admin's and may be long). */
export function lettersFit(text: LetterText): boolean {
  return languageSizeThatFits(text) !== null
}

/** One A4 letter per code, written to `sink` as it is made; other requests get turns in between. */
export async function writeLetters(
  codes: readonly string[],
  urlOf: (code: string) => string,
  text: LetterText,
  sink: Sink,
): Promise<void> {
  const size = languageSizeThatFits(text)
  if (size === null) throw new Error('the letter does not fit one page: ask lettersFit first')
  const doc = newDocument(text.title)
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve)
    doc.on('error', reject)
  })
  doc.on('data', (chunk: Uint8Array) => sink.push(chunk))
  for (const [i, code] of codes.entries()) {
    drawLetter(doc, text, code, urlOf(code), size)
    if (i % LETTERS_PER_TURN === LETTERS_PER_TURN - 1) {
      await sink.drained()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  doc.end()
  await ended
}
