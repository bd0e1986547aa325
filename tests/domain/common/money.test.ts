import t from 'tap'
import { centsToInput, parseEuros } from '../../../server/domain/common/money.js'
import { LANGUAGES } from '../../../server/languages.js'

t.test('amounts are read the way Dutch and English speakers type them', async (t) => {
  const table: [string, number][] = [
    ['1500', 150_000],
    ['1.500', 150_000],
    ['1,500', 150_000],
    ['1500,50', 150_050],
    ['1500.5', 150_050],
    ['1.500,50', 150_050],
    ['1,500.50', 150_050],
    ['€ 1.500', 150_000],
    ['€1500', 150_000],
    ['100.000', 10_000_000],
    ['1.234.567,89', 123_456_789],
    ['0,05', 5],
    ['12,3', 1_230],
    ['0', 0],
    [' 7 ', 700],
    ['EUR 20', 2_000],
    // Three digits after a single separator group thousands: nobody types tenths of a cent.
    ['10,001', 1_000_100],
    ['12,345', 1_234_500],
  ]
  for (const [input, cents] of table) t.same(parseEuros(input), { cents }, input)
})

t.test('amounts typed with Arabic-Indic or Persian digits are understood', async (t) => {
  const table: [string, number][] = [
    ['١٥٠٠', 150_000],
    ['١٬٥٠٠', 150_000],
    ['١٥٠٠٫٥٠', 150_050],
    ['١٬٥٠٠٫٥٠', 150_050],
    ['٠٫٠٥', 5],
    ['۱۵۰۰', 150_000],
    ['\u200f١٬٢٣٤٫٥٠ €', 123_450],
    ['١٥٠٠,٥', 150_050],
    ['١٠٠ EUR', 10_000],
  ]
  for (const [input, cents] of table) t.same(parseEuros(input), { cents }, input)
  t.same(parseEuros('١٫٢٫٣'), { error: 'invalid' })
})

t.test('what is not an amount gets a reason, never a guess', async (t) => {
  const table: [string, string][] = [
    ['', 'required'],
    ['   ', 'required'],
    ['-5', 'notPositive'],
    ['abc', 'invalid'],
    ['12a', 'invalid'],
    ['1,50,00', 'invalid'],
    ['1.2.3', 'invalid'],
    ['0.001', 'fraction'],
    ['1500,555', 'fraction'],
    ['99999999999999', 'tooLarge'],
    ['100.000.001', 'tooLarge'],
    ['1e5', 'invalid'],
    ['0x10', 'invalid'],
    ['Infinity', 'invalid'],
    ['1.500.00', 'invalid'],
  ]
  for (const [input, error] of table) t.same(parseEuros(input), { error }, input)
})

t.test('cents go back into a form field without losing a cent', async (t) => {
  t.equal(centsToInput(150_050, 'nl'), '1500,50')
  t.equal(centsToInput(150_005, 'en'), '1500.05')
  t.equal(centsToInput(10_000_000, 'nl'), '100000')
  for (const cents of [1, 99, 100, 123_456, 10_000_000]) {
    for (const lang of LANGUAGES) t.same(parseEuros(centsToInput(cents, lang)), { cents })
  }
})
