import t from 'tap'
import { hasAddressControl, hasFormControl, singleLine } from '../../../server/domain/common/text.js'

t.test('a form value may hold tabs and line breaks, no other control character', async (t) => {
  t.notOk(hasFormControl('Zonnepanelen\r\nop het dak\tnu'))
  t.notOk(hasFormControl('مشروع \u200f 🌳'))
  for (const code of [0, 1, 8, 11, 12, 14, 27, 31, 127])
    t.ok(hasFormControl(`a${String.fromCharCode(code)}b`), `U+${code.toString(16)}`)
})

t.test('an address may hold no control character, raw or percent-encoded', async (t) => {
  t.notOk(hasAddressControl('/rounds/btd?theme=green&q=caf%C3%A9%20bar'))
  for (const url of ['/a%00', '/a%0A', '/a%0d', '/a%7F', '/a?x=%09', '/a\u0000', '/a\tb'])
    t.ok(hasAddressControl(url), url)
})

t.test('a one-line field joins its lines with single spaces', async (t) => {
  t.equal(singleLine('  Buurtkas\nVOTES\r\n\r\nvoor  iedereen \u2028 nu '), 'Buurtkas VOTES voor  iedereen nu')
  t.equal(singleLine('Eén regel'), 'Eén regel')
})

t.test('direction controls are refused unless they close as pairs within the value', async (t) => {
  for (const text of [
    'Buurtkas \u202e2026-03-01',
    'Buurtkas \u2067',
    'titel\u202c',
    'titel\u2069',
    '\u202a\u2066a\u202c\u2069',
    '\u2067a\u202c',
  ])
    t.ok(hasFormControl(text), JSON.stringify(text))
  for (const text of ['\u202bمشروع\u202c', '\u2068Buurtkas\u2069 en \u2067كلمة\u2069', '\u2066\u202ba\u202c\u2069'])
    t.notOk(hasFormControl(text), JSON.stringify(text))
})
