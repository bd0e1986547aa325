import t from 'tap'
import {
  changedSettings,
  isCalendarDay,
  readLockedRoundForm,
  readRoundForm,
  slugBase,
  uniqueSlug,
  type RoundForm,
  type RoundSettings,
} from '../../../server/domain/rounds/settings.js'

const VALID: RoundForm = {
  title: '  Wijkbudget Energie  ',
  neighbourhood: 'Bospolder',
  description: '',
  budget: '100.000',
  ballotFormat: 'knapsack',
  maxChoices: '',
  pointsPerVoter: '',
  maxPointsPerProject: '',
  minSpendPercent: '',
  tallyRule: 'greedy',
  proposingFrom: '2027-01-10',
  reviewingFrom: '',
  votingFrom: '2027-03-01',
  votingUntil: '2027-03-21',
  publishOn: '',
}

const STORED: RoundSettings = {
  title: 'Wijkbudget Energie',
  neighbourhood: 'Bospolder',
  description: '',
  budgetCents: 10_000_000,
  proposingFrom: '2027-01-10',
  reviewingFrom: null,
  votingFrom: '2027-03-01',
  votingUntil: '2027-03-21',
  publishOn: null,
  ballotFormat: 'knapsack',
  maxChoices: null,
  pointsPerVoter: null,
  maxPointsPerProject: null,
  minSpendPercent: 0,
  tallyRule: 'greedy',
}

t.test(
  'a complete form becomes settings: trimmed text, cents, days, and defaults for what is left empty',
  async (t) => {
    t.same(readRoundForm(VALID), { settings: STORED })
    const approval = readRoundForm({
      ...VALID,
      ballotFormat: 'approval',
      maxChoices: ' 5 ',
      minSpendPercent: 'not used',
      tallyRule: 'equal-shares',
    })
    t.same(approval, {
      settings: { ...STORED, ballotFormat: 'approval', maxChoices: 5, minSpendPercent: 0, tallyRule: 'equal-shares' },
    })
    const knapsack = readRoundForm({ ...VALID, maxChoices: 'not used', minSpendPercent: '80 %' })
    t.same(knapsack, { settings: { ...STORED, minSpendPercent: 80 } })
  },
)

t.test("a round's title and neighbourhood are stored on one line, its description keeps its lines", async (t) => {
  t.match(readRoundForm({ ...VALID, title: 'Wijk\r\nVOTES', neighbourhood: 'Bos\npolder', description: 'Een\nTwee' }), {
    settings: { title: 'Wijk VOTES', neighbourhood: 'Bos polder', description: 'Een\nTwee' },
  })
})

t.test('each wrong field gets its own reason', async (t) => {
  const table: [string, RoundForm, Record<string, string>][] = [
    ['empty title', { title: '   ' }, { title: 'required' }],
    ['missing neighbourhood', { neighbourhood: undefined }, { neighbourhood: 'required' }],
    ['title of 121 characters', { title: 'x'.repeat(121) }, { title: 'tooLong' }],
    ['title of 120 emoji is fine', { title: '🌻'.repeat(120) }, {}],
    ['description of 2001 characters', { description: 'x'.repeat(2001) }, { description: 'tooLong' }],
    ['title given twice', { title: ['a', 'b'] }, { title: 'invalid' }],
    ['empty budget', { budget: '' }, { budget: 'amount.required' }],
    ['zero budget', { budget: '0' }, { budget: 'amount.notPositive' }],
    ['negative budget', { budget: '-5' }, { budget: 'amount.notPositive' }],
    ['fraction of a cent', { budget: '1500,555' }, { budget: 'amount.fraction' }],
    ['huge budget', { budget: '9'.repeat(20) }, { budget: 'amount.tooLarge' }],
    ['budget as a number', { budget: 5 }, { budget: 'invalid' }],
    ['not a day', { reviewingFrom: '2027-02-30' }, { reviewingFrom: 'date' }],
    ['not a date at all', { publishOn: 'soon' }, { publishOn: 'date' }],
    ['a date of only spaces is no date', { publishOn: '  ' }, {}],
    ['year out of range', { publishOn: '0000-01-01' }, { publishOn: 'date' }],
    ['voting before proposing', { votingFrom: '2027-01-01' }, { votingFrom: 'dateOrder' }],
    ['the same day twice', { votingUntil: '2027-03-01' }, { votingUntil: 'dateOrder' }],
    ['unknown ballot format', { ballotFormat: 'ranked' }, { ballotFormat: 'choice' }],
    ['unknown tally rule', { tallyRule: 'borda' }, { tallyRule: 'choice' }],
    ['approval without K', { ballotFormat: 'approval', maxChoices: '' }, { maxChoices: 'maxChoices' }],
    ['K = 0', { ballotFormat: 'approval', maxChoices: '0' }, { maxChoices: 'maxChoices' }],
    ['K = 51', { ballotFormat: 'approval', maxChoices: '51' }, { maxChoices: 'maxChoices' }],
    ['K = 2.5', { ballotFormat: 'approval', maxChoices: '2.5' }, { maxChoices: 'maxChoices' }],
    ['points without N', { ballotFormat: 'points', maxPointsPerProject: '3' }, { pointsPerVoter: 'pointsPerVoter' }],
    [
      'points with N = 0',
      { ballotFormat: 'points', pointsPerVoter: '0', maxPointsPerProject: '1' },
      { pointsPerVoter: 'pointsPerVoter' },
    ],
    [
      'points with N = 1001',
      { ballotFormat: 'points', pointsPerVoter: '1001', maxPointsPerProject: '1' },
      { pointsPerVoter: 'pointsPerVoter' },
    ],
    [
      'points with M over N',
      { ballotFormat: 'points', pointsPerVoter: '10', maxPointsPerProject: '11' },
      { maxPointsPerProject: 'maxPoints' },
    ],
    ['points without M', { ballotFormat: 'points', pointsPerVoter: '10' }, { maxPointsPerProject: 'maxPoints' }],
    ['min spend 101', { minSpendPercent: '101' }, { minSpendPercent: 'minSpend' }],
    ['min spend -1', { minSpendPercent: '-1' }, { minSpendPercent: 'minSpend' }],
  ]
  for (const [name, change, errors] of table) {
    const result = readRoundForm({ ...VALID, ...change })
    t.same('errors' in result ? result.errors : {}, errors, name)
  }
})

t.test('a points round keeps N and M, and no K or minimum spend', async (t) => {
  const result = readRoundForm({
    ...VALID,
    ballotFormat: 'points',
    pointsPerVoter: ' 10 ',
    maxPointsPerProject: '4',
    minSpendPercent: '80',
    maxChoices: '3',
  })
  t.same(result, { settings: { ...STORED, ballotFormat: 'points', pointsPerVoter: 10, maxPointsPerProject: 4 } })
  const knapsack = readRoundForm({ ...VALID, pointsPerVoter: '10', maxPointsPerProject: '4' })
  t.same('settings' in knapsack && [knapsack.settings.pointsPerVoter, knapsack.settings.maxPointsPerProject], [
    null,
    null,
  ])
})

t.test('all wrong fields are reported at once', async (t) => {
  const result = readRoundForm({})
  t.same('errors' in result && result.errors, {
    title: 'required',
    neighbourhood: 'required',
    budget: 'amount.required',
    ballotFormat: 'choice',
    tallyRule: 'choice',
  })
})

t.test('after voting opens, the stored rules are kept and any change to them refuses the edit', async (t) => {
  const { budget: _b, ballotFormat: _f, maxChoices: _k, minSpendPercent: _m, tallyRule: _r, ...withoutRules } = VALID
  t.same(readLockedRoundForm({ ...withoutRules, title: 'Nieuw' }, STORED), { settings: { ...STORED, title: 'Nieuw' } })
  t.same(
    readLockedRoundForm({ ...VALID, budget: '100000,00' }, STORED),
    { settings: STORED },
    'the same amount written otherwise',
  )
  const table: [string, RoundForm, string][] = [
    ['budget', { budget: '1' }, 'budget'],
    ['budget not an amount', { budget: 'abc' }, 'budget'],
    ['ballot format', { ballotFormat: 'approval', maxChoices: '3' }, 'ballotFormat'],
    ['minimum spend', { minSpendPercent: '50' }, 'minSpendPercent'],
    ['tally rule', { tallyRule: 'equal-shares' }, 'tallyRule'],
  ]
  for (const [name, change, field] of table) {
    const result = readLockedRoundForm({ ...withoutRules, title: 'Nieuw', ...change }, STORED)
    t.ok('errors' in result && result.lockedRefused, name)
    t.equal('errors' in result && result.errors[field as 'budget'], 'locked', name)
  }
  const approval = { ...STORED, ballotFormat: 'approval' as const, maxChoices: 4 }
  const odd = { ...approval, minSpendPercent: 30 }
  t.same(
    readLockedRoundForm(withoutRules, odd),
    { settings: odd },
    'a stored value the form would not produce is kept as it is',
  )
  const k = readLockedRoundForm({ ...withoutRules, maxChoices: '5' }, approval)
  t.same('errors' in k && k.errors, { maxChoices: 'locked' }, 'K of an approval ballot is locked too')
})

t.test('changes list only what differs, with old and new values', async (t) => {
  t.same(changedSettings(STORED, { ...STORED, title: 'B', budgetCents: 1 }), {
    title: { old: 'Wijkbudget Energie', new: 'B' },
    budgetCents: { old: 10_000_000, new: 1 },
  })
  t.same(changedSettings(STORED, STORED), {})
  t.same(changedSettings(null, STORED).title, { old: null, new: 'Wijkbudget Energie' })
})

t.test('the slug is lowercase ascii with dashes, and numbered when taken', async (t) => {
  const table: [string, string][] = [
    ['Wijkbudget Energie BTD 2027', 'wijkbudget-energie-btd-2027'],
    ['  Café à la Crème!  ', 'cafe-a-la-creme'],
    ['<script>alert(1)</script>', 'script-alert-1-script'],
    ['طاقة', 'ronde'],
    ['---', 'ronde'],
    [`${'woord '.repeat(20)}`, 'woord-woord-woord-woord-woord-woord-woord-woord-woord-woord'],
    ['x'.repeat(70), 'x'.repeat(60)],
  ]
  for (const [title, slug] of table) t.equal(slugBase(title), slug, title)
  t.equal(uniqueSlug('btd', new Set()), 'btd')
  t.equal(uniqueSlug('btd', new Set(['btd'])), 'btd-2')
  t.equal(uniqueSlug('btd', new Set(['btd', 'btd-2', 'btd-3'])), 'btd-4')
})

t.test('calendar days are real days within reach', async (t) => {
  for (const day of ['2027-01-31', '2028-02-29', '2000-01-01']) t.ok(isCalendarDay(day), day)
  for (const day of ['2027-02-29', '2027-13-01', '27-01-01', '2027-1-1', '1999-12-31', '2101-01-01', ''])
    t.notOk(isCalendarDay(day), day)
})
