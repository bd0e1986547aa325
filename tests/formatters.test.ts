import t from 'tap'

// Counts the Intl formatters built, before the module under test makes any.
const built = { number: 0, dateTime: 0 }
const { NumberFormat, DateTimeFormat } = Intl
Intl.NumberFormat = new Proxy(NumberFormat, {
  construct: (target, args) => (built.number++, new target(...(args as []))),
})
Intl.DateTimeFormat = new Proxy(DateTimeFormat, {
  construct: (target, args) => (built.dateTime++, new target(...(args as []))),
})
const { formatAmount, formatDate, formatDateTime, formatEuro, formatNumber } = await import('../server/formatters.js')
const { LANGUAGES } = await import('../server/languages.js')
type Lang = (typeof LANGUAGES)[number]

t.test('a page full of figures and dates builds each formatter once per language', async (t) => {
  for (let i = 0; i < 500; i++) {
    for (const lang of ['nl', 'en'] as const) {
      formatEuro(i * 100, lang)
      formatEuro(i * 100 + 1, lang)
      formatNumber(i, lang)
      formatDateTime(new Date(Date.UTC(2026, 0, 1 + i)), lang)
      formatDate('2027-03-15', lang)
    }
  }
  t.equal(built.number, 2 * 3, 'euros whole and with cents, and plain numbers, per language')
  t.equal(built.dateTime, 2 * 2, 'date with time, and calendar date, per language')
})

t.test('money is shown from integer cents in each language', async (t) => {
  const table: [number, 'nl' | 'en', string][] = [
    [10_000_000, 'nl', '€ 100.000'],
    [10_000_000, 'en', '€100,000'],
    [123_456, 'nl', '€ 1.234,56'],
    [5, 'en', '€0.05'],
    [0, 'nl', '€ 0'],
  ]
  for (const [cents, lang, shown] of table)
    t.equal(formatEuro(cents, lang).replace(/\u00a0/g, ' '), shown, `${cents} ${lang}`)
})

t.test('times stored in UTC are shown in Amsterdam time, summer and winter', async (t) => {
  t.match(formatDateTime(new Date('2026-07-01T10:00:00Z'), 'nl'), '12:00')
  t.match(formatDateTime(new Date('2026-12-01T10:00:00Z'), 'en'), '11:00')
  t.equal(formatDate('2027-03-15', 'nl'), '15 maart 2027')
  t.equal(formatDate('2027-03-15', 'en'), '15 March 2027')
})

t.test('every language shows times on the 24-hour clock, as its texts write them ("17:00")', async (t) => {
  const evening = new Date('2026-12-03T21:06:00Z')
  for (const lang of LANGUAGES) {
    const shown = formatDateTime(evening, lang)
    t.match(shown, '22:06', `${lang}: ${shown}`)
    t.notMatch(shown, /\b(AM|PM)\b|[صم]$/, `${lang}: no morning/evening mark`)
  }
})

t.test('a money example is written in the notation the language shows money in', async (t) => {
  const table: [Lang, string][] = [
    ['nl', '2.500,50'],
    ['en', '2,500.50'],
    ['ar', '2,500.50'],
    ['pt', '2500,50'],
  ]
  for (const [lang, shown] of table) t.equal(formatAmount(250_050, lang), shown, lang)
})
