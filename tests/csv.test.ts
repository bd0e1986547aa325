import { parse } from 'csv-parse/sync'
import t from 'tap'
import { defuse, toCsv } from '../server/csv.js'

t.test(
  'fields with a comma, a quote or a line break are quoted, so any spreadsheet reads the columns right',
  async (t) => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['ABCD-EFGH', 'a,b'],
        ['zeg "hoi"', 'twee\nregels'],
        ['cr\ralone', 7],
      ],
    )
    t.equal(csv, 'a,b\r\nABCD-EFGH,"a,b"\r\n"zeg ""hoi""","twee\nregels"\r\n"cr\ralone",7\r\n')
    t.same(parse(csv, { columns: true }), [
      { a: 'ABCD-EFGH', b: 'a,b' },
      { a: 'zeg "hoi"', b: 'twee\nregels' },
      { a: 'cr\ralone', b: '7' },
    ])
  },
)

t.test('text a spreadsheet would run as a formula is defused; numbers and plain text are not touched', async (t) => {
  for (const text of ['=HYPERLINK("http://x")', '+31 10', '-1+1', '@SUM(A1)', '\tTAB', '\rCR'])
    t.equal(defuse(text), `'${text}`, JSON.stringify(text))
  for (const text of ['Zonnepanelen', '31 = 31', '', 'a-b']) t.equal(defuse(text), text)
  t.equal(toCsv(['n', 'title', 'funded'], [[-5, '=1+1', true]]), "n,title,funded\r\n-5,'=1+1,true\r\n")
})

t.test('the mail-merge file starts with a byte order mark, so spreadsheet programs read it as UTF-8', async (t) => {
  t.ok(toCsv(['code'], [['ABCD']], { bom: true }).startsWith('\uFEFFcode\r\n'))
  t.notOk(toCsv(['code'], [['ABCD']]).startsWith('\uFEFF'))
})
