import { PassThrough } from 'node:stream'
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate'
import { codesCsv } from '../../domain/voting/code-files.js'
import { writeLetters, type LetterText, type Sink } from '../../letters-pdf.js'

/**
 * A ZIP written while it is made: each file's bytes go out as they come, and the maker waits
 * (drained) while the official's connection is behind, so a large batch never sits in memory.
 */
class ZipStream {
  readonly output = new PassThrough({ highWaterMark: 1 << 20 })
  private readonly zip = new Zip((error, chunk, final) => {
    if (error) return this.output.destroy(error)
    this.output.write(chunk)
    if (final) this.output.end()
  })

  /** A file to push into; PDFs are compressed already and go in stored. */
  file(name: string, compress: boolean): Sink & { end(): void } {
    const entry = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name)
    this.zip.add(entry)
    return {
      push: (chunk) => entry.push(chunk),
      end: () => entry.push(new Uint8Array(0), true),
      drained: () => this.drained(),
    }
  }

  async add(name: string, text: string): Promise<void> {
    const file = this.file(name, true)
    file.push(strToU8(text))
    file.end()
    await this.drained()
  }

  /** Rejects when the connection is gone, which stops the maker. */
  drained(): Promise<void> {
    const output = this.output
    if (output.destroyed) return Promise.reject(new Error('the download was broken off'))
    if (!output.writableNeedDrain) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const done = () => {
        output.off('close', gone)
        resolve()
      }
      const gone = () => {
        output.off('drain', done)
        reject(new Error('the download was broken off'))
      }
      output.once('drain', done)
      output.once('close', gone)
    })
  }

  end() {
    this.zip.end()
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

export interface CodesDownload {
  codes: readonly string[]
  group: string | null
  urlOf: (code: string) => string
  letter: string
  /** One SVG per code in qr/. */
  qr: boolean
  /** letters.pdf: one printed letter per code. */
  letters: LetterText | null
}

/**
 * The one-time download as a stream: codes.csv for a mail house, the letter's text, and as asked
 * a QR image per code and letters.pdf ready to print. `failed` hears of an error after the headers went out.
 */
export function streamCodesDownload(download: CodesDownload, failed: (error: unknown) => void): PassThrough {
  const zip = new ZipStream()
  const { codes, group, urlOf } = download
  const make = async () => {
    await zip.add('codes.csv', codesCsv(codes, group, urlOf))
    await zip.add('letter.txt', `\uFEFF${download.letter}`)
    if (download.qr) {
      const { default: QRCode } = await import('qrcode')
      for (const [i, code] of codes.entries()) {
        await zip.add(`qr/${code}.svg`, await QRCode.toString(urlOf(code), { type: 'svg', errorCorrectionLevel: 'M' }))
        // Other requests get their turn while a large batch is drawn.
        if (i % 200 === 199) await nextTurn()
      }
    }
    if (download.letters) {
      const pdf = zip.file('letters.pdf', false)
      await writeLetters(codes, urlOf, download.letters, pdf)
      pdf.end()
    }
    zip.end()
  }
  make().catch((error: unknown) => {
    failed(error)
    zip.output.destroy(error instanceof Error ? error : new Error(String(error)))
  })
  return zip.output
}
