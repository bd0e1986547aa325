import t from 'tap'
import { languageShares } from '../../../server/domain/voting/turnout.js'

t.test('each language of the voting page gets its share of the online ballots counted by language', async (t) => {
  const cases = [
    { rows: [], expected: [] },
    { rows: [{ lang: 'nl', ballots: 3 }], expected: [{ lang: 'nl', ballots: 3, percent: 100 }] },
    {
      rows: [
        { lang: 'nl', ballots: 2 },
        { lang: 'ar', ballots: 1 },
      ],
      expected: [
        { lang: 'nl', ballots: 2, percent: 66.7 },
        { lang: 'ar', ballots: 1, percent: 33.3 },
      ],
    },
    { rows: [{ lang: 'tr', ballots: 0 }], expected: [{ lang: 'tr', ballots: 0, percent: 0 }] },
  ]
  for (const { rows, expected } of cases) t.same(languageShares(rows), expected, JSON.stringify(rows))
})
