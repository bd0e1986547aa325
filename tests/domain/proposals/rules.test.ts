import t from 'tap'
import {
  isStatusToken,
  makeReference,
  messageIsPublic,
  parseCount,
  REFERENCE_ALPHABET,
  REFERENCE_PATTERN,
  THEMES,
  TRACKS,
  validateProposal,
  type ProposalForm,
} from '../../../server/domain/proposals/rules.js'
import { loadLanguage } from '../../../server/i18n.js'

const BUDGET = 10_000_000
const FORM: ProposalForm = {
  title: '  Tochtstrips  ',
  summary: 'Buren helpen buren.',
  description: 'Regel een\r\nRegel twee',
  cost: '2.500',
  track: 'social',
  themes: ['green', 'energy-poverty', 'green'],
  location: '',
  lat: '',
  lng: '',
  kwhPerYear: '12.000',
  co2KgPerYear: '',
  households: '0',
  organisation: '',
  contactName: 'Fatima',
  contactEmail: '',
  contactPhone: '+31 6 1234 5678',
  consent: true,
}

const errorsOf = (changes: Partial<ProposalForm>, budget = BUDGET) => {
  const result = validateProposal({ ...FORM, ...changes }, budget)
  return 'errors' in result ? result.errors : {}
}

t.test('a valid form becomes trimmed fields with cents, whole numbers and nulls for what was left empty', async (t) => {
  const result = validateProposal(FORM, BUDGET)
  t.same(result, {
    fields: {
      title: 'Tochtstrips',
      summary: 'Buren helpen buren.',
      description: 'Regel een\nRegel twee',
      costCents: 250_000,
      track: 'social',
      themes: ['green', 'energy-poverty'],
      location: '',
      latitude: null,
      longitude: null,
      kwhPerYear: 12_000,
      co2KgPerYear: null,
      households: 0,
      organisation: null,
      contactName: 'Fatima',
      contactEmail: null,
      contactPhone: '+31 6 1234 5678',
      contactConsent: true,
    },
  })
})

t.test('a title, location or name is stored on one line; summary and description keep their lines', async (t) => {
  const result = validateProposal(
    {
      ...FORM,
      title: 'Buurtkas\r\nVOTES\r\n',
      summary: 'Een\nTwee',
      location: 'Straat\n12',
      organisation: 'Stichting\r\nBTD',
      contactName: 'Fa\ntima',
    },
    BUDGET,
  )
  t.match(result, {
    fields: {
      title: 'Buurtkas VOTES',
      summary: 'Een\nTwee',
      location: 'Straat 12',
      organisation: 'Stichting BTD',
      contactName: 'Fa tima',
    },
  })
})

t.test('every text field has its limit, counted in characters, the limit itself allowed', async (t) => {
  const limits = {
    title: 120,
    summary: 300,
    description: 5000,
    location: 200,
    organisation: 120,
    contactName: 120,
  } as const
  for (const [field, max] of Object.entries(limits)) {
    t.same(errorsOf({ [field]: 'é'.repeat(max) }), {}, `${field} at ${max}`)
    t.same(errorsOf({ [field]: '😀'.repeat(max) }), {}, `${field} at ${max} emoji`)
    t.same(errorsOf({ [field]: 'a'.repeat(max + 1) }), { [field]: 'tooLong' }, `${field} over ${max}`)
  }
  t.same(errorsOf({ contactEmail: `${'a'.repeat(245)}@example.nl` }), { contactEmail: 'tooLong' })
  t.same(errorsOf({ contactPhone: '0'.repeat(31) }), { contactPhone: 'tooLong' })
})

t.test('required fields may not be empty or only spaces', async (t) => {
  t.same(errorsOf({ title: ' ', summary: '', description: '\n', contactName: '' }), {
    title: 'required',
    summary: 'required',
    description: 'required',
    contactName: 'required',
  })
})

t.test('the cost must be a positive amount in whole cents within the round budget', async (t) => {
  const table: [string, string | null][] = [
    ['1', null],
    ['100.000', null],
    ['100000,00', null],
    ['0,01', null],
    ['', 'required'],
    ['0', 'costNotPositive'],
    ['0,00', 'costNotPositive'],
    ['-5', 'costNotPositive'],
    ['1500,125', 'costFraction'],
    ['100.000,01', 'costOverBudget'],
    ['250000', 'costOverBudget'],
    ['999999999999999', 'costTooLarge'],
    ['1e6', 'costInvalid'],
    ['vijf', 'costInvalid'],
  ]
  for (const [cost, error] of table) t.same(errorsOf({ cost }), error ? { cost: error } : {}, cost)
})

t.test('track and themes come from the closed lists', async (t) => {
  for (const track of TRACKS) t.same(errorsOf({ track }), {}, track)
  t.same(errorsOf({ track: '' }), { track: 'trackRequired' })
  t.same(errorsOf({ track: 'Social' }), { track: 'trackInvalid' })
  t.same(errorsOf({ themes: [...THEMES] }), {})
  t.same(errorsOf({ themes: [] }), { themes: 'themesRequired' })
  t.same(errorsOf({ themes: ['green', 'toString'] }), { themes: 'themesInvalid' })
})

t.test('energy figures are optional whole numbers up to a sane maximum', async (t) => {
  const table: [string, number | null | string][] = [
    ['', null],
    ['0', 0],
    ['2500', 2500],
    ['2.500', 2500],
    ['2,500', 2500],
    ['1 000', 1000],
    ['-1', 'wholeNumber'],
    ['2,5', 'wholeNumber'],
    ['1.5', 'wholeNumber'],
    ['12.34.5', 'wholeNumber'],
    ['veel', 'wholeNumber'],
    ['100001', 'numberTooLarge'],
    ['9'.repeat(40), 'numberTooLarge'],
  ]
  for (const [input, expected] of table) {
    t.same(parseCount(input, 100_000), typeof expected === 'string' ? { error: expected } : { value: expected }, input)
  }
  t.same(errorsOf({ kwhPerYear: '50000001', co2KgPerYear: 'x', households: '100001' }), {
    kwhPerYear: 'numberTooLarge',
    co2KgPerYear: 'wholeNumber',
    households: 'numberTooLarge',
  })
})

t.test('the submitter must be reachable by a plausible e-mail or phone, and must consent', async (t) => {
  t.same(errorsOf({ contactEmail: '', contactPhone: '' }), { contactEmail: 'contactRequired' })
  t.same(errorsOf({ contactEmail: 'fatima@example.nl', contactPhone: '' }), {})
  for (const email of ['fatima', 'fatima@', '@example.nl', 'fatima@example', 'fa tima@example.nl', 'a@b@c.nl']) {
    t.same(errorsOf({ contactEmail: email }), { contactEmail: 'emailInvalid' }, email)
  }
  for (const phone of ['06-12345678', 'bel me', '12345', '+31 (0)6 1234']) {
    t.same(errorsOf({ contactPhone: phone }), { contactPhone: 'phoneInvalid' }, phone)
  }
  t.same(errorsOf({ consent: false }), { consent: 'consentRequired' })
})

t.test(
  'a point on the map is stored with the proposal; half a point or one abroad is refused at the latitude',
  async (t) => {
    const result = validateProposal({ ...FORM, lat: '51,9139', lng: ' 4.4567891 ' }, BUDGET)
    t.match(result, { fields: { latitude: 51.9139, longitude: 4.456789 } })
    t.same(errorsOf({ lat: '51.9', lng: '' }), { lat: 'pointHalf' })
    t.same(errorsOf({ lat: '', lng: '4.4' }), { lat: 'pointHalf' })
    t.same(errorsOf({ lat: '4.46', lng: '51.91' }), { lat: 'pointOutside' })
    t.same(errorsOf({ lat: 'Rotterdam', lng: '4.4' }), { lat: 'pointInvalid' })
  },
)

t.test('every problem is reported at once', async (t) => {
  const result = validateProposal(
    { ...FORM, title: '', cost: '0', track: 'x', themes: [], contactPhone: '', consent: false },
    BUDGET,
  )
  t.same(result, {
    errors: {
      title: 'required',
      cost: 'costNotPositive',
      track: 'trackInvalid',
      themes: 'themesRequired',
      contactEmail: 'contactRequired',
      consent: 'consentRequired',
    },
  })
})

t.test('every error has a message in both languages', async (t) => {
  const messages = { nl: loadLanguage('nl'), en: loadLanguage('en') }
  const codes = [
    'required',
    'tooLong',
    'invalid',
    'costInvalid',
    'costFraction',
    'costNotPositive',
    'costTooLarge',
    'costOverBudget',
    'trackRequired',
    'trackInvalid',
    'themesRequired',
    'themesInvalid',
    'wholeNumber',
    'numberTooLarge',
    'contactRequired',
    'emailInvalid',
    'phoneInvalid',
    'consentRequired',
    'pointHalf',
    'pointInvalid',
    'pointOutside',
  ]
  for (const code of codes) {
    for (const lang of ['nl', 'en'] as const) t.ok(messages[lang][`proposals.error.${code}`], `${lang} ${code}`)
  }
  for (const key of [...TRACKS.map((x) => `track.${x}`), ...THEMES.map((x) => `theme.${x}`)])
    t.ok(messages.en[key], key)
})

t.test('references are easy to read aloud: WB- and six characters without 0, O, 1, I or L', async (t) => {
  t.notMatch(REFERENCE_ALPHABET, /[01OIL]/)
  t.equal(
    makeReference(() => 0),
    'WB-222222',
  )
  t.equal(
    makeReference((n) => n - 1),
    'WB-ZZZZZZ',
  )
  let i = 0
  t.equal(
    makeReference(() => [5, 12, 1, 18, 7, 22][i++]!),
    'WB-7E3M9R',
  )
  for (let k = 0; k < 200; k++)
    t.match(
      makeReference((n) => Math.floor(Math.random() * n)),
      REFERENCE_PATTERN,
    )
  t.notMatch('WB-7K3M9O', REFERENCE_PATTERN)
})

t.test('only 32 base64url characters can be a status token', async (t) => {
  t.ok(isStatusToken('a'.repeat(30) + '-_'))
  for (const token of ['', 'a'.repeat(31), 'a'.repeat(33), `${'a'.repeat(31)}=`, `${'a'.repeat(31)}/`, 'WB-7K3M9Q']) {
    t.notOk(isStatusToken(token), token)
  }
})

t.test('what an official asked of the submitter stays private; reasons and justifications are public', async (t) => {
  const kinds = ['submitted', 'resubmitted', 'approved', 'rejected', 'changes_requested', 'cost_corrected', 'merged']
  t.same(
    kinds.filter((kind) => !messageIsPublic(kind)),
    ['changes_requested'],
  )
})
