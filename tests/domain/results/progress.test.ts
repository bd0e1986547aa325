import t from 'tap'
import {
  checkMilestone,
  checkMilestoneDone,
  checkProgress,
  milestonesToRemind,
  newsToCome,
  projectProgress,
  type UpdateFacts,
} from '../../../server/domain/results/progress.js'
import { audience, newsToFollow } from '../../../server/domain/conversation/follows.js'

const funded = new Set(['7'])
const typed = {
  proposal: '7',
  status: 'in_progress',
  text: 'Begonnen',
  on: '2027-02-01',
  spent: '',
  kwh: '',
  co2: '',
  households: '',
}

t.test('an update names a funded project, a status, what happened and the day; figures may stay empty', async (t) => {
  t.same(checkProgress(typed, funded), {
    update: {
      proposalId: 7,
      status: 'in_progress',
      text: 'Begonnen',
      on: '2027-02-01',
      spentCents: null,
      kwhReached: null,
      co2Reached: null,
      householdsReached: null,
    },
  })
  const full = checkProgress({ ...typed, spent: '1.250,50', kwh: '2.500', co2: '800', households: '12' }, funded)
  t.match(full, { update: { spentCents: 125_050, kwhReached: 2500, co2Reached: 800, householdsReached: 12 } })
  t.match(checkProgress({ ...typed, spent: '0' }, funded), { update: { spentCents: 0 } }, 'nothing spent yet is a fact')
})

t.test('a cancelled project needs its reason; wrong figures are named per field', async (t) => {
  t.same(checkProgress({ ...typed, status: 'cancelled', text: ' ' }, funded), { errors: { text: 'reasonRequired' } })
  t.match(checkProgress({ ...typed, status: 'cancelled', text: 'Geen vergunning' }, funded), {
    update: { status: 'cancelled', text: 'Geen vergunning' },
  })
  t.same(checkProgress({ ...typed, spent: '-5', kwh: 'veel', households: '9999999' }, funded), {
    errors: { spent: 'money', kwh: 'wholeNumber', households: 'numberTooLarge' },
  })
  t.same(checkProgress({ ...typed, proposal: '8', status: 'paused', on: '2027-02-30' }, funded), {
    errors: { proposal: 'chooseProject', status: 'chooseStatus', on: 'chooseDate' },
  })
})

t.test('a milestone has a short title and a planned day; its reached day may be taken back', async (t) => {
  t.same(checkMilestone({ title: ' Dak gekeurd ', planned: '2027-03-01' }), {
    milestone: { title: 'Dak gekeurd', plannedOn: '2027-03-01' },
  })
  t.same(checkMilestone({ title: '', planned: 'morgen' }), { errors: { title: 'required', planned: 'chooseDate' } })
  t.same(checkMilestone({ title: 'x'.repeat(201), planned: '2027-03-01' }), { errors: { title: 'tooLong' } })
  t.same(checkMilestoneDone({ done: '2027-03-04' }), { doneOn: '2027-03-04' })
  t.same(checkMilestoneDone({ done: '' }), { doneOn: null })
  t.same(checkMilestoneDone({ done: '4 maart' }), { errors: { done: 'chooseDate' } })
})

const update = (on: string, status: UpdateFacts['status'], figures: Partial<UpdateFacts> = {}): UpdateFacts => ({
  status,
  text: `nieuws van ${on}`,
  on,
  spentCents: null,
  kwhReached: null,
  co2Reached: null,
  householdsReached: null,
  ...figures,
})

t.test('a project stands where its last update put it, with the last figures each update gave', async (t) => {
  const milestones = [
    { id: 2, title: 'Panelen geplaatst', plannedOn: '2027-05-01', doneOn: null },
    { id: 1, title: 'Dak gekeurd', plannedOn: '2027-03-01', doneOn: '2027-03-04' },
    { id: 3, title: 'Aannemer gekozen', plannedOn: '2027-02-01', doneOn: null },
  ]
  const nobody = projectProgress({ costCents: 10_000 }, [], milestones, '2027-04-01')
  t.match(nobody, { status: 'planned', since: null, spentCents: 0, reason: null })
  const state = projectProgress(
    { costCents: 10_000 },
    [
      update('2027-02-01', 'in_progress', { spentCents: 4_000, kwhReached: 100 }),
      update('2027-04-01', 'in_progress', { spentCents: 12_000 }),
    ],
    milestones,
    '2027-04-02',
  )
  t.match(state, { status: 'in_progress', since: '2027-04-01', spentCents: 12_000, overBudget: true })
  t.same(
    state.reached,
    { kwhPerYear: 100, co2KgPerYear: null, households: null },
    'an update without a figure keeps the last one',
  )
  t.same(
    state.milestones.map((m) => [m.title, m.late]),
    [
      ['Aannemer gekozen', true],
      ['Dak gekeurd', false],
      ['Panelen geplaatst', false],
    ],
    'by planned day; late when the day passed unreached',
  )
  const stopped = projectProgress({ costCents: 10_000 }, [update('2027-04-01', 'cancelled')], milestones, '2027-06-01')
  t.equal(stopped.reason, 'nieuws van 2027-04-01', "a cancelled project's last update is its reason")
  t.notOk(
    stopped.milestones.some((m) => m.late),
    'a cancelled project has nothing late',
  )
})

t.test('a reminder goes out once for a milestone past its day without news since', async (t) => {
  const milestone = {
    id: 1,
    proposalId: 7,
    title: 'Dak gekeurd',
    plannedOn: '2027-03-01',
    doneOn: null,
    remindedAt: null,
  }
  const today = '2027-03-02'
  t.same(milestonesToRemind([milestone], new Map(), today), [milestone], 'no news at all')
  t.same(milestonesToRemind([milestone], new Map([[7, { on: '2027-02-01', status: 'in_progress' }]]), today), [
    milestone,
  ])
  const none = [
    milestonesToRemind([milestone], new Map([[7, { on: '2027-03-01', status: 'in_progress' }]]), today),
    milestonesToRemind([{ ...milestone, doneOn: '2027-03-01' }], new Map(), today),
    milestonesToRemind([{ ...milestone, remindedAt: new Date() }], new Map(), today),
    milestonesToRemind([milestone], new Map(), '2027-03-01'),
    milestonesToRemind([milestone], new Map([[7, { on: '2027-01-01', status: 'cancelled' }]]), today),
    milestonesToRemind([milestone], new Map([[7, { on: '2027-01-01', status: 'done' }]]), today),
  ]
  t.same(none, [[], [], [], [], [], []], 'news since, reached, reminded, not yet past, cancelled or done: nothing')
})

t.test('a published round keeps its followers while a funded project may still have news', async (t) => {
  const cutoff = new Date('2027-01-01T00:00:00Z')
  const before = new Date('2026-12-01T00:00:00Z')
  const after = new Date('2027-02-01T00:00:00Z')
  t.equal(newsToCome([], cutoff), false, 'nothing funded: no news')
  t.equal(newsToCome([undefined], cutoff), true, 'funded, nothing reported yet')
  t.equal(newsToCome([{ status: 'in_progress', createdAt: before }], cutoff), true, 'under way')
  t.equal(newsToCome([{ status: 'planned', createdAt: before }], cutoff), true)
  t.equal(newsToCome([{ status: 'done', createdAt: before }], cutoff), false, 'done before the cutoff')
  t.equal(newsToCome([{ status: 'cancelled', createdAt: after }], cutoff), true, 'finished recently: kept a while')
  t.equal(
    newsToCome(
      [
        { status: 'done', createdAt: before },
        { status: 'in_progress', createdAt: before },
      ],
      cutoff,
    ),
    true,
    'one project still running keeps the round',
  )
})

t.test('after the results only the money has news: a round that funded something, and a funded project', async (t) => {
  for (const phase of ['proposing', 'reviewing', 'voting', 'closed'] as const) t.equal(newsToFollow(phase, false), true)
  t.equal(newsToFollow('published', true), true)
  t.equal(newsToFollow('published', false), false)
  t.same(
    audience({ kind: 'project-status', roundId: 3, proposalId: 9, status: 'done', text: '' }),
    { round: 3, proposal: 9 },
    "a project's new status is its round's news too",
  )
})
