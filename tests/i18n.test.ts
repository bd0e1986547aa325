import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { formatDate, formatDateTime, formatEuro, loadMessages, translate } from '../server/i18n.js'

const messages = loadMessages()

t.test('Dutch and English have exactly the same keys, none empty', async (t) => {
  t.same(Object.keys(messages.en).sort(), Object.keys(messages.nl).sort())
  for (const [lang, table] of Object.entries(messages)) {
    for (const [key, text] of Object.entries(table)) t.ok(text.trim().length > 0, `${lang} ${key}`)
  }
})

t.test('every key a template names exists in the translations', async (t) => {
  const root = new URL('../views/', import.meta.url)
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hbs'))
  let keys = 0
  for (const file of files) {
    const source = readFileSync(new URL(file, root), 'utf8')
    for (const [, key] of source.matchAll(/\{\{t "([\w.-]+)"/g)) {
      keys++
      t.ok(key! in messages.nl, `${file}: ${key}`)
    }
  }
  t.ok(keys > 20)
})

t.test('translate fills in named values and shows a missing key as itself', async (t) => {
  t.equal(translate({ hi: 'Hallo {name}, {n} ideeën' }, 'hi', { name: 'Fatima', n: 3 }), 'Hallo Fatima, 3 ideeën')
  t.equal(translate({}, 'no.such.key'), 'no.such.key')
  t.equal(translate({ hi: 'Hallo {name}' }, 'hi'), 'Hallo {name}')
})

t.test('money is shown from integer cents in each language', async (t) => {
  const table: [number, 'nl' | 'en', string][] = [
    [10_000_000, 'nl', '€ 100.000'], [10_000_000, 'en', '€100,000'],
    [123_456, 'nl', '€ 1.234,56'], [5, 'en', '€0.05'], [0, 'nl', '€ 0'],
  ]
  for (const [cents, lang, shown] of table) t.equal(formatEuro(cents, lang).replace(/\u00a0/g, ' '), shown, `${cents} ${lang}`)
})

t.test('times stored in UTC are shown in Amsterdam time, summer and winter', async (t) => {
  t.match(formatDateTime(new Date('2026-07-01T10:00:00Z'), 'nl'), '12:00')
  t.match(formatDateTime(new Date('2026-12-01T10:00:00Z'), 'en'), '11:00')
  t.equal(formatDate('2027-03-15', 'nl'), '15 maart 2027')
  t.equal(formatDate('2027-03-15', 'en'), '15 March 2027')
})
