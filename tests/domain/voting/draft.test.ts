import t from 'tap'
import { DRAFT_MAX_CHARS, draftText, keptChoices, readDraft } from '../../../server/domain/voting/draft.js'

t.test('a draft keeps the projects on the ballot with points given, each once', async (t) => {
  const table: [string, Parameters<typeof keptChoices>[0], { id: number; points: number }[]][] = [
    [
      'ticks are one point each',
      [
        { id: 3, points: 1 },
        { id: 5, points: 1 },
      ],
      [
        { id: 3, points: 1 },
        { id: 5, points: 1 },
      ],
    ],
    [
      'a project not on the ballot is left out',
      [
        { id: 3, points: 1 },
        { id: 99, points: 1 },
      ],
      [{ id: 3, points: 1 }],
    ],
    ['a text that is no id (-1) is left out', [{ id: -1, points: 1 }], []],
    [
      '0 points or no whole number is no choice',
      [
        { id: 3, points: 0 },
        { id: 5, points: null },
      ],
      [],
    ],
    [
      'the first of a project named twice counts',
      [
        { id: 3, points: 2 },
        { id: 3, points: 4 },
      ],
      [{ id: 3, points: 2 }],
    ],
    ['points over the limits stay, for the ballot to show as over', [{ id: 5, points: 99 }], [{ id: 5, points: 99 }]],
  ]
  for (const [what, given, kept] of table) t.same(keptChoices(given, [3, 5, 7]), kept, what)
})

t.test('a draft is read back only for the code and round it was kept for', async (t) => {
  const draft = [
    { id: 12, points: 3 },
    { id: 7, points: 1 },
  ]
  const text = draftText(4, 88, draft)!
  t.equal(text, '4.88.12_3-7_1')
  t.same(readDraft(text, 4, 88), draft)
  t.equal(readDraft(text, 4, 89), null, 'another code')
  t.equal(readDraft(text, 5, 88), null, 'another round')
  t.same(readDraft(draftText(4, 88, [])!, 4, 88), [], 'nothing chosen is a draft too: it replaces the cast choice')
  for (const junk of ['', '4.88', '4.88.12', '4.88.12_3-', '4.88.a_1', '4.88.12_3.7_1', '4.88.1234567890_1'])
    t.equal(readDraft(junk, 4, 88), null, `"${junk}" is no draft`)
})

t.test('a draft too long for a cookie is not kept', async (t) => {
  const many = Array.from({ length: 400 }, (_, i) => ({ id: 100_000 + i, points: 1 }))
  t.equal(draftText(1, 1, many), null)
  t.ok(draftText(1, 1, many.slice(0, 200))!.length <= DRAFT_MAX_CHARS, '200 choices fit')
})
