import t from 'tap'
import {
  energyTotals,
  median,
  percent,
  shareAtMost,
  spendingPerTheme,
  spendingPerTrack,
  type FundedFigures,
} from '../../../server/domain/results/statistics.js'

t.test('the median is the middle value, or the mean of the two middle ones, and null for nothing', async (t) => {
  const table: [number[], number | null][] = [
    [[], null],
    [[7], 7],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[480, 0, 10, 10_000, 30], 30],
  ]
  for (const [values, expected] of table) t.equal(median(values), expected, JSON.stringify(values))
})

t.test('a percentage has one decimal and is null when there is nothing to divide by', async (t) => {
  t.equal(percent(1, 3), 33.3)
  t.equal(percent(2, 3), 66.7)
  t.equal(percent(0, 5), 0)
  t.equal(percent(5, 5), 100)
  t.equal(percent(3, 0), null)
})

t.test('the share within a limit counts values equal to the limit', async (t) => {
  t.equal(shareAtMost([10, 480, 481, 2000], 480), 50)
  t.equal(shareAtMost([], 480), null)
})

const project = (over: Partial<FundedFigures>): FundedFigures => ({
  costCents: 100_00,
  track: 'social',
  themes: [],
  kwhPerYear: null,
  co2KgPerYear: null,
  households: null,
  ...over,
})

t.test('energy totals add up the figures that were given and say how many projects gave one', async (t) => {
  const totals = energyTotals([
    project({ kwhPerYear: 90_000, co2KgPerYear: 40_000, households: 300 }),
    project({ kwhPerYear: 10_000, households: 80 }),
    project({}),
  ])
  t.same(totals, {
    kwhPerYear: { total: 100_000, projects: 2 },
    co2KgPerYear: { total: 40_000, projects: 1 },
    households: { total: 380, projects: 2 },
  })
  t.same(energyTotals([]).kwhPerYear, { total: 0, projects: 0 })
})

t.test('spending per track adds up to the money spent, largest first', async (t) => {
  const spent = spendingPerTrack([
    project({ costCents: 18_000_00, track: 'social' }),
    project({ costCents: 9_500_00, track: 'financial-technical' }),
    project({ costCents: 4_500_00, track: 'social' }),
  ])
  t.same(spent, [
    { key: 'social', cents: 22_500_00, projects: 2 },
    { key: 'financial-technical', cents: 9_500_00, projects: 1 },
  ])
})

t.test('a project with several themes counts in full for each theme, once per theme', async (t) => {
  const spent = spendingPerTheme(
    [
      project({ costCents: 18_000_00, themes: ['energy-poverty', 'jobs-language'] }),
      project({ costCents: 4_500_00, themes: ['ageing', 'energy-poverty', 'energy-poverty'] }),
    ],
    ['energy-poverty', 'ageing', 'jobs-language'],
  )
  t.same(spent, [
    { key: 'energy-poverty', cents: 22_500_00, projects: 2 },
    { key: 'jobs-language', cents: 18_000_00, projects: 1 },
    { key: 'ageing', cents: 4_500_00, projects: 1 },
  ])
  const equal = spendingPerTheme([project({ themes: ['green', 'ageing'] })], ['ageing', 'green'])
  t.same(
    equal.map((s) => s.key),
    ['ageing', 'green'],
    'equal amounts follow the given order',
  )
})
