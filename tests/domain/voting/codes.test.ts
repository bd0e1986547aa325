import { randomInt } from 'node:crypto'
import t from 'tap'
import {
  CODE_ALPHABET,
  CODE_BITS,
  formatCode,
  generateCode,
  hashCode,
  normaliseCode,
  normaliseReceipt,
} from '../../../server/domain/voting/codes.js'

t.test('a code has at least 60 random bits in an alphabet without look-alikes, grouped for reading', async (t) => {
  t.ok(CODE_BITS >= 60, `${CODE_BITS} bits`)
  for (const banned of '01OIL') t.notOk(CODE_ALPHABET.includes(banned), banned)
  const codes = new Set<string>()
  for (let i = 0; i < 2000; i++) {
    const code = generateCode(randomInt)
    t.match(code, /^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$/)
    codes.add(code)
  }
  t.equal(codes.size, 2000, 'no repeats')
})

t.test('typing is forgiving about case, dashes and spaces, and strict about everything else', async (t) => {
  const table: [string, string | null][] = [
    ['ABCD-EFGH-JKMN-PQRS', 'ABCDEFGHJKMNPQRS'],
    ['abcd efgh jkmn pqrs', 'ABCDEFGHJKMNPQRS'],
    [' abcdefghjkmnpqrs ', 'ABCDEFGHJKMNPQRS'],
    ['ABCD–EFGH–JKMN–PQRS', 'ABCDEFGHJKMNPQRS'],
    ['ABCD-EFGH-JKMN-PQR', null],
    ['ABCD-EFGH-JKMN-PQRST', null],
    ['ABCD-EFGH-JKMN-PQR0', null],
    ['ABCD-EFGH-JKMN-PQRI', null],
    ['', null],
    ['<script>alert(1)</script>', null],
  ]
  for (const [typed, expected] of table) t.equal(normaliseCode(typed), expected, typed)
  t.equal(formatCode('ABCDEFGHJKMNPQRS'), 'ABCD-EFGH-JKMN-PQRS')
})

t.test('the stored hash depends on the key, so the database alone reveals nothing', async (t) => {
  const code = 'ABCDEFGHJKMNPQRS'
  t.equal(hashCode('key one', code), hashCode('key one', code))
  t.not(hashCode('key one', code), hashCode('key two', code))
  t.notMatch(hashCode('key one', code), code)
})

t.test(
  'a code typed on any phone keyboard is read as printed: foreign digits, full-width forms, copied separators',
  async (t) => {
    const table: [string, string | null][] = [
      ['٢٣٤٥-ABCD-EFGH-JKMN', '2345ABCDEFGHJKMN'],
      ['۲۳۴۵ abcd efgh jkmn', '2345ABCDEFGHJKMN'],
      ['ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮ－ＰＱＲＳ', 'ABCDEFGHJKMNPQRS'],
      ['ABCD\u2010EFGH\u2212JKMN\u00A0PQRS', 'ABCDEFGHJKMNPQRS'],
      ['\u200EABCD-EFGH-JKMN-PQRS\u200F', 'ABCDEFGHJKMNPQRS'],
      ['ABCD.EFGH.JKMN.PQRS', 'ABCDEFGHJKMNPQRS'],
      ['ABCD-EFGH-JKMN-PQRO', null],
      ['٠١٢٣-ABCD-EFGH-JKMN', null],
    ]
    for (const [typed, expected] of table) t.equal(normaliseCode(typed), expected, JSON.stringify(typed))
    t.equal(normaliseReceipt('٢٣٤٥٦ abcde'), '23456-ABCDE', 'receipts too')
  },
)

t.test('normalising never changes a character a code can hold, so codes already handed out still match', async (t) => {
  for (const char of CODE_ALPHABET) {
    t.equal(normaliseCode(char.repeat(16)), char.repeat(16), char)
    t.equal(normaliseCode(char.toLowerCase().repeat(16)), char.repeat(16), char.toLowerCase())
  }
  for (let i = 0; i < 500; i++) {
    const code = generateCode(randomInt)
    t.equal(formatCode(normaliseCode(code)!), code)
  }
})
