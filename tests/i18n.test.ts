import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { createTranslator, loadLanguage } from '../server/i18n.js'
import { chooseLanguage, fromAcceptLanguage, type Lang, LANGUAGE_LIST, LANGUAGES } from '../server/languages.js'

const PLURAL = /_(zero|one|two|few|many|other)$/
const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))

/** Base key → the plural categories it has (empty for a key without plurals). */
function baseKeys(lang: string): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>()
  for (const key of Object.keys(loadLanguage(lang))) {
    const base = key.replace(PLURAL, '')
    const forms = keys.get(base) ?? new Set<string>()
    if (base !== key) forms.add(key.slice(base.length + 1))
    keys.set(base, forms)
  }
  return keys
}

const dutch = loadLanguage('nl')
const dutchKeys = baseKeys('nl')

for (const { code, intl } of LANGUAGE_LIST) {
  t.test(`${code} has every Dutch text, with all the plural forms the language needs`, async (t) => {
    const messages = loadLanguage(code)
    const keys = baseKeys(code)
    t.same([...keys.keys()].sort(), [...dutchKeys.keys()].sort(), 'the same keys as Dutch')
    const categories = new Intl.PluralRules(intl).resolvedOptions().pluralCategories
    for (const [base, forms] of dutchKeys) {
      if (forms.size === 0) continue
      t.same([...(keys.get(base) ?? [])].sort(), [...categories].sort(), `${base}: ${categories.join(', ')}`)
    }
    for (const [key, text] of Object.entries(messages)) {
      t.ok(text.trim().length > 0, `${key} is not empty`)
      const base = key.replace(PLURAL, '')
      const known = new Set(
        Object.entries(dutch)
          .filter(([k]) => k.replace(PLURAL, '') === base)
          .flatMap(([, v]) => [...placeholders(v)]),
      )
      for (const name of placeholders(text)) t.ok(known.has(name), `${key}: {${name}} is a placeholder Dutch uses`)
    }
  })
}

t.test('a text with {count} is a plural key, in every language', async (t) => {
  for (const { code } of LANGUAGE_LIST) {
    for (const [key, text] of Object.entries(loadLanguage(code))) {
      if (text.includes('{count}')) t.match(key, PLURAL, `${code}: ${key}`)
    }
  }
})

/**
 * What the product counts. A number in front of one of these words needs the word's plural form,
 * so the text must be a plural key with the number as {count} ("1 projecten", "1 dias úteis").
 */
const COUNTED =
  /\{(\w+)\} (project|projecten|stemmen|stembiljetten|stemcodes|huishoudens|ideeën|voorstanders|werkdagen|dagen|regels)\b/

t.test('a Dutch text that puts a number before a counted word is a plural key', async (t) => {
  for (const [key, text] of Object.entries(dutch)) {
    if (PLURAL.test(key)) continue
    const counted = COUNTED.exec(text)
    t.notOk(counted, `${key}: {${counted?.[1]}} ${counted?.[2]}`)
  }
})

t.test('every key a template names exists in Dutch', async (t) => {
  const root = new URL('../views/', import.meta.url)
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hbs'))
  let keys = 0
  for (const file of files) {
    const source = readFileSync(new URL(file, root), 'utf8')
    for (const [, key] of source.matchAll(/\{\{t "([\w.-]+)"/g)) {
      keys++
      t.ok(dutchKeys.has(key!), `${file}: ${key}`)
    }
  }
  t.ok(keys > 20)
})

t.test('every key a view model names exists in Dutch', async (t) => {
  // View models carry ready-made keys (statusKey, phaseKey…) instead of templates building them:
  // a literal key must exist, and a key built from a value must have at least one key under its prefix.
  const root = new URL('../server/routes/', import.meta.url)
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  const known = [...dutchKeys.keys()]
  let keys = 0
  for (const file of files) {
    const source = readFileSync(new URL(file, root), 'utf8')
    for (const [, key] of source.matchAll(/\w*Key: '([\w.-]+)'/g)) {
      keys++
      t.ok(dutchKeys.has(key!), `${file}: ${key}`)
    }
    for (const [, prefix] of source.matchAll(/\w*Key: `([\w.-]+\.)\$\{/g)) {
      keys++
      t.ok(
        known.some((key) => key.startsWith(prefix!)),
        `${file}: ${prefix}…`,
      )
    }
  }
  t.ok(keys > 20, `${keys} keys named by view models`)
})

t.test('the translator chooses the plural form by number and shows the number formatted', async (t) => {
  const translate = createTranslator()
  t.equal(translate('nl', 'moderation.days', { count: 1 }), '1 werkdag')
  t.equal(translate('nl', 'moderation.days', { count: 3 }), '3 werkdagen')
  t.equal(translate('en', 'moderation.days', { count: 1 }), '1 working day')
  t.equal(translate('nl', 'transparency.audit.ok', { count: 12345 }).includes('12.345'), true)
  t.equal(translate('en', 'transparency.audit.ok', { count: 12345 }).includes('12,345'), true)
})

t.test('each language picks its plural form by the rules of its country: in Portugal zero is plural', async (t) => {
  const translate = createTranslator()
  t.equal(translate('pt', 'moderation.days', { count: 0 }), '0 dias úteis')
  t.equal(translate('pt', 'moderation.days', { count: 1 }), '1 dia útil')
  t.equal(translate('pl', 'moderation.days', { count: 2 }), '2 dni robocze')
})

t.test('money examples in hints and errors are written in the notation of the page around them', async (t) => {
  const translate = createTranslator()
  const table: [Lang, string, string][] = [
    ['nl', '2.500,50', '100.000'],
    ['en', '2,500.50', '100,000'],
    ['ar', '2,500.50', '100,000'],
    ['pt', '2500,50', '100\u00a0000'],
  ]
  for (const [lang, amount, budget] of table) {
    t.match(translate(lang, 'proposals.hint.cost', { max: '' }), amount, `${lang} cost hint`)
    t.match(translate(lang, 'proposals.error.costInvalid'), amount, `${lang} cost error`)
    t.match(translate(lang, 'money.invalid'), amount, `${lang} amount error`)
    t.match(translate(lang, 'rounds.hint.budget'), `${budget} `, `${lang} budget hint`)
  }
})

t.test('the translator fills in named values literally, even ones that look like markup or keys', async (t) => {
  const translate = createTranslator()
  t.equal(
    translate('nl', 'proposal.by', { organisation: '$t(layout.skip) {count} <b>' }),
    'Ingediend door $t(layout.skip) {count} <b>',
  )
})

t.test('a text asked for again comes from what was kept, with its own values and plural form', async (t) => {
  const translate = createTranslator()
  for (let i = 0; i < 3; i++) {
    t.equal(translate('nl', 'moderation.days', { count: 1 }), '1 werkdag')
    t.equal(translate('nl', 'moderation.days', { count: 2 }), '2 werkdagen')
    t.equal(translate('en', 'moderation.days', { count: 2 }), '2 working days')
    t.equal(translate('nl', 'proposal.by', { organisation: `Buurt ${i}` }), `Ingediend door Buurt ${i}`)
  }
  // Far more different texts than are kept: the newest are still right.
  for (let i = 0; i < 25_000; i++) translate('nl', 'proposal.by', { organisation: String(i) })
  t.equal(translate('nl', 'proposal.by', { organisation: 'Zonnedak' }), 'Ingediend door Zonnedak')
})

t.test('a key missing in a language falls back to Dutch and is reported', async (t) => {
  const missing: string[] = []
  const translate = createTranslator((lang, key) => missing.push(`${lang}:${key}`))
  t.equal(translate('en', 'layout.skip'), 'Skip to content')
  t.same(missing, [])
  translate('en', 'no.such.key')
  t.same(missing, ['en:no.such.key'])
})

t.test('the language comes from the link, then the choice, then the browser, then Dutch', async (t) => {
  const table: [unknown, unknown, string | undefined, string][] = [
    ['en', 'nl', 'en', 'nl'],
    ['en', undefined, 'nl', 'en'],
    [undefined, 'en', 'nl', 'en'],
    ['xx', 'yy', 'en-GB,en;q=0.9', 'en'],
    [undefined, undefined, 'de-DE,de;q=0.9,en;q=0.5,nl;q=0.8', 'nl'],
    [undefined, undefined, 'fr, en;q=0', 'nl'],
    [undefined, undefined, undefined, 'nl'],
    [undefined, ['en'], '*', 'nl'],
  ]
  for (const [chosen, linked, header, expected] of table) {
    t.equal(chooseLanguage(chosen, linked, header), expected, `${String(chosen)} ${String(linked)} ${header}`)
  }
  t.equal(fromAcceptLanguage('EN-us'), 'en')
  t.equal(fromAcceptLanguage('en;q=abc'), undefined)
})

t.test('every configured language has a folder, its own name and a direction', async (t) => {
  for (const l of LANGUAGE_LIST) {
    t.ok(Object.keys(loadLanguage(l.code)).length > 0, l.code)
    t.ok(['ltr', 'rtl'].includes(l.dir), l.code)
  }
  t.same(LANGUAGES[0], 'nl')
})

t.test('the Dutch texts address everyone the same way, with "u": residents and officials alike', async (t) => {
  const informal = /\b(je|jij|jou|jouw|jezelf|jullie)\b/i
  t.same(
    Object.entries(dutch)
      .filter(([, text]) => informal.test(text))
      .map(([key]) => key),
    [],
  )
})
