import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { loadMessages, translate } from '../server/i18n.js'

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
