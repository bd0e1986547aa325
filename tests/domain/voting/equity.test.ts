import t from 'tap'
import {
  mergeSmallGroups,
  readPopulationForm,
  summaryDay,
  turnoutAgainstPopulation,
  type PublicGroup,
} from '../../../server/domain/voting/equity.js'

const group = (label: string | null, cast: number, residents: number | null = null): PublicGroup => ({
  label,
  issued: cast * 2,
  online: cast,
  paper: 0,
  cast,
  residents,
})

t.test('turnout against population: the average over known groups, and who lags more than the threshold', async (t) => {
  const populations = new Map([
    ['3024', 1000],
    ['3025', 1000],
    ['3026', 2000],
  ])
  const figures = turnoutAgainstPopulation(
    [group('3024', 300), group('3025', 150), group('3026', 350), group('3027', 5), group(null, 4)],
    populations,
    10,
  )
  t.equal(figures.average, 20, '800 ballots over 4000 residents')
  t.same(
    figures.groups.map((g) => [g.label, g.residents, g.populationPercent, g.lagging]),
    [
      ['3024', 1000, 30, false],
      ['3025', 1000, 15, false],
      ['3026', 2000, 17.5, false],
      ['3027', null, null, false],
      [null, null, null, false],
    ],
  )
  const strict = turnoutAgainstPopulation(
    [group('a', 5, 100), group('b', 30, 100)],
    new Map([
      ['a', 100],
      ['b', 100],
    ]),
    10,
  )
  t.equal(strict.average, 17.5)
  t.same(
    strict.lagging.map((g) => g.label),
    ['a'],
    '5 % is more than 10 points under 17.5 %',
  )
  const edge = turnoutAgainstPopulation(
    [group('a', 10), group('b', 30)],
    new Map([
      ['a', 100],
      ['b', 100],
    ]),
    10,
  )
  t.same(edge.lagging, [], 'exactly the threshold below the average does not lag')
})

t.test('without populations nothing lags and there is no average', async (t) => {
  const figures = turnoutAgainstPopulation([group('a', 3)], new Map(), 10)
  t.equal(figures.average, null)
  t.equal(figures.hasPopulations, false)
  t.same(figures.lagging, [])
  const empty = turnoutAgainstPopulation([group('a', 0)], new Map([['a', 0]]), 10)
  t.equal(empty.average, null, 'zero residents give no percentage')
})

t.test('small groups are merged into "other"; "other" itself never shows fewer than the minimum', async (t) => {
  const merged = mergeSmallGroups([group('a', 50, 500), group('b', 6, 40), group('c', 12), group('d', 5, 60)], 10)
  t.same(
    merged.groups.map((g) => g.label),
    ['a', 'c'],
  )
  t.same(merged.other, { label: null, issued: 22, online: 11, paper: 0, cast: 11, residents: 100 })
  t.equal(merged.mergedCount, 2)

  const lonely = mergeSmallGroups([group('a', 50), group('b', 3), group('c', 12)], 10)
  t.same(
    lonely.groups.map((g) => g.label),
    ['a'],
    'the next smallest group joins "other" until it reaches the minimum',
  )
  t.equal(lonely.other?.cast, 15)
  t.equal(lonely.other?.residents, null, 'no population known for any merged group')

  const none = mergeSmallGroups([group('a', 50), group('b', 10)], 10)
  t.equal(none.other, null, 'nothing to merge')
  t.same(
    none.groups.map((g) => g.label),
    ['a', 'b'],
  )
  const unnamed = mergeSmallGroups([group(null, 20), group('a', 30)], 10)
  t.equal(unnamed.other?.cast, 20, 'codes without a group go to "other"')
  t.same(
    mergeSmallGroups([group('a', 2), group('b', 3)], 10).groups,
    [],
    'all too small: only "other", which is everything',
  )
})

t.test('the population form: whole numbers, empty is unknown, groups without codes are ignored', async (t) => {
  const ok = readPopulationForm(['3024', '3025', '3026'], {
    residents: { '3024': ' 1200 ', '3025': '', '3026': '0', '9999': '5' },
    lagPoints: '15',
    minGroupVoters: '5',
  })
  t.same(ok, {
    ok: true,
    populations: new Map([
      ['3024', 1200],
      ['3026', 0],
    ]),
    settings: { lagPoints: 15, minGroupVoters: 5 },
  })
  const bad = readPopulationForm(['3024', '3025', '3026'], {
    residents: { '3024': '-3', '3025': '1.5', '3026': 'veel' },
    lagPoints: '101',
    minGroupVoters: '0',
  })
  t.same(bad, {
    ok: false,
    errors: {
      'residents-0': 'residents',
      'residents-1': 'residents',
      'residents-2': 'residents',
      lagPoints: 'lagPoints',
      minGroupVoters: 'minGroupVoters',
    },
  })
  t.same(readPopulationForm([], { residents: {}, lagPoints: '', minGroupVoters: '10' }), {
    ok: false,
    errors: { lagPoints: 'lagPoints' },
  })
})

t.test('the summary day is the Amsterdam calendar day, due from eight in the morning', async (t) => {
  t.same(summaryDay(new Date('2026-05-10T05:59:00Z')), { day: '2026-05-10', due: false }, '07:59 in summer time')
  t.same(summaryDay(new Date('2026-05-10T06:00:00Z')), { day: '2026-05-10', due: true })
  t.same(summaryDay(new Date('2026-01-10T23:30:00Z')), { day: '2026-01-11', due: false }, 'after midnight in Amsterdam')
})
