import { parse as parseCsv, CsvError, type Options } from 'csv-parse/sync'
import { PbFormatError, type PbSection } from './errors.js'

const ORDER: readonly PbSection[] = ['META', 'PROJECTS', 'VOTES']
const MARKER = /^(META|PROJECTS|VOTES)[ \t]*\r?$/

// Each section is parsed on its own: with one header per parse every row has
// the header's width, and csv-parse stays fast (it builds an Error object
// for every row of unexpected width when relax_column_count is on).
const CSV: Options = {
  delimiter: ';',
  record_delimiter: ['\r\n', '\n'],
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
}

export interface Section {
  name: PbSection
  /** Line number of the line holding the section's name. */
  line: number
  text: string
}

/**
 * Whether a line ends inside a quoted field, given whether it starts inside one.
 * Like csv-parse with relax_quotes: a quote opens a field only at its start;
 * elsewhere it is an ordinary character.
 */
function endsInQuote(line: string, inQuote: boolean): boolean {
  if (!inQuote && !line.includes('"')) return false
  let quoted = inQuote
  let fieldStart = !inQuote
  for (let i = 0; i < line.length; i++) {
    const char = line[i]
    if (quoted) {
      if (char !== '"') continue
      if (line[i + 1] === '"') i++
      else quoted = false
    } else if (char === ';') {
      fieldStart = true
      continue
    } else if (char === '"' && fieldStart) {
      quoted = true
    }
    fieldStart = false
  }
  return quoted
}

/**
 * Finds the lines holding only META, PROJECTS and VOTES. A line inside a quoted
 * field (a title or description a resident typed) is text, never a marker.
 */
export function splitSections(raw: string): Record<PbSection, Section> {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  const markers: { name: PbSection; line: number; start: number; end: number }[] = []
  let line = 0
  let inQuote = false
  let quoteOpenedOn = 0
  for (let start = 0; start < text.length; line++) {
    const newline = text.indexOf('\n', start)
    const end = newline < 0 ? text.length : newline
    const content = text.slice(start, end)
    const marker = inQuote ? null : MARKER.exec(content)
    if (marker) {
      const name = marker[1] as PbSection
      if (markers.some((m) => m.name === name)) throw new PbFormatError('repeated-section', line + 1, { section: name })
      markers.push({ name, line: line + 1, start, end: end + 1 })
    } else {
      if (!inQuote) quoteOpenedOn = line + 1
      inQuote = endsInQuote(content, inQuote)
    }
    start = end + 1
  }
  if (inQuote) throw new PbFormatError('csv-syntax', quoteOpenedOn, { detail: 'a quoted field is never closed' })
  if (text.slice(0, markers[0]?.start ?? text.length).trim() !== '') {
    throw new PbFormatError('missing-section', 1, { section: 'META' })
  }
  const sections = ORDER.map((expected, i): Section => {
    const found = markers[i]
    if (!found) {
      const lastLine = Math.max(1, text.trimEnd().split('\n').length)
      throw new PbFormatError('missing-section', lastLine, { section: expected })
    }
    if (found.name !== expected) {
      throw markers.some((m) => m.name === expected)
        ? new PbFormatError('section-out-of-order', found.line, { section: found.name, expected })
        : new PbFormatError('missing-section', found.line, { section: expected })
    }
    return { name: expected, line: found.line, text: text.slice(found.end, markers[i + 1]?.start) }
  })
  return { META: sections[0]!, PROJECTS: sections[1]!, VOTES: sections[2]! }
}

export interface Rows {
  header: string[]
  /** The rows after the header, blank ones left out. */
  records: string[][]
  headerLine(): number
  lineOf(index: number): number
}

/** Where an unclosed quote starts: just after the last row that parsed. */
function unclosedQuoteLine(section: Section): number {
  let lastLine = 0
  try {
    parseCsv(section.text, { ...CSV, on_record: (record, context) => ((lastLine = context.lines), record) })
  } catch {
    // The same error again; only the line reached matters.
  }
  return section.line + lastLine + 1
}

function parseSection(section: Section, options: Options = {}): string[][] {
  try {
    return parseCsv(section.text, { ...CSV, ...options })
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new PbFormatError('csv-syntax', unclosedQuoteLine(section), {
        detail: 'a quoted field is never closed',
      })
    }
    const line = section.line + Number(error['lines'] ?? 1)
    throw new PbFormatError('csv-syntax', line, { detail: error.message.replace(/ at line \d+/, '') })
  }
}

export function readRows(section: Section): Rows {
  const parsed = parseSection(section).map((record, index) => ({ record, index }))
  const rows = parsed.filter(({ record }) => record.some((field) => field.trim() !== ''))
  // Line numbers cost a second parse, so they are found only for an error.
  let lines: number[] | undefined
  const lineOfParsed = (index: number) => {
    if (!lines) {
      const found: number[] = []
      parseCsv(section.text, {
        ...CSV,
        on_record: (record, context) => (found.push(section.line + context.lines), record),
      })
      lines = found
    }
    return lines[index] ?? section.line
  }

  const [head, ...body] = rows
  const header = (head?.record ?? []).map((name) => name.trim())
  const result: Rows = {
    header,
    records: body.map(({ record }) => record),
    headerLine: () => (head ? lineOfParsed(head.index) : section.line),
    lineOf: (i) => lineOfParsed(body[i]?.index ?? -1),
  }
  if (section.name !== 'META') {
    body.forEach(({ record }, i) => {
      if (record.length > header.length) {
        throw new PbFormatError('wrong-field-count', result.lineOf(i), {
          section: section.name,
          expected: header.length,
          found: record.length,
        })
      }
    })
  }
  return result
}

/**
 * A section's rows one at a time, none of them kept, checked as readRows checks them: for a
 * VOTES section of a city's size. `start` is given the header (none: empty, on the section's
 * own line) and returns what to do with each row after it, with the row's line.
 */
export function eachRow(
  section: Section,
  start: (header: string[], headerLine: number) => (record: string[], line: number) => void,
): void {
  let header: string[] | undefined
  let visit: ((record: string[], line: number) => void) | undefined
  const onRecord = (record: string[], line: number) => {
    if (!record.some((field) => field.trim() !== '')) return
    if (!header || !visit) {
      header = record.map((name) => name.trim())
      visit = start(header, line)
    } else if (record.length > header.length) {
      throw new PbFormatError('wrong-field-count', line, {
        section: section.name,
        expected: header.length,
        found: record.length,
      })
    } else {
      visit(record, line)
    }
  }
  if (section.text.includes('"')) {
    parseSection(section, {
      on_record: (record: string[], context) => (onRecord(record, section.line + context.lines), null),
    })
  } else {
    // Without a quote every line is one record of fields between semicolons, as csv-parse reads it,
    // at a fraction of its time and memory: a city's VOTES section is such text.
    eachLine(section.text, (text, number) => {
      if (text !== '') onRecord(text.split(';'), section.line + number)
    })
  }
  if (!header) start([], section.line)
}

/** Each line without its line break ("\n" or "\r\n"), numbered from 1. */
function eachLine(text: string, visit: (line: string, number: number) => void): void {
  let number = 0
  for (let from = 0; from < text.length;) {
    const end = text.indexOf('\n', from)
    const stop = end === -1 ? text.length : end
    number++
    visit(text.slice(from, end !== -1 && end > from && text.charCodeAt(end - 1) === 13 ? end - 1 : stop), number)
    from = stop + 1
  }
}
