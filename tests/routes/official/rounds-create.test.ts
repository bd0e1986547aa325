import t from 'tap'
import { html, msg } from '../../helpers/html.js'
import { actionLinks, change, FORM, historyLines, idFrom, roundsAdmin } from '../../helpers/rounds.js'

// Creating and editing a round through its form.
const { admin, insertRound, roundRow, roundCount, actionCount, auditOf } = await roundsAdmin(t)

t.test(
  'an admin creates a round: stored as a draft in cents with a slug, audited, and shown on its management page',
  async (t) => {
    const form = await admin.get('/official/rounds/new')
    t.equal(form.statusCode, 200)
    const page0 = html(form)
    t.equal(page0.text('h1'), msg('rounds.new.title'))
    t.ok(
      page0.form('/official/rounds').querySelector('fieldset input[type=radio][name=ballotFormat][value=knapsack]'),
      'the ballot format is a choice',
    )
    const res = await admin.post('/official/rounds', FORM)
    t.equal(res.statusCode, 303)
    t.match(res.headers.location, /^\/official\/rounds\/\d+\?notice=created$/)
    const id = idFrom(res.headers.location)
    const row = await roundRow(id)
    t.match(row, {
      slug: 'wijkbudget-energie-oude-noorden',
      title: FORM.title,
      neighbourhood: 'Oude Noorden',
      budgetCents: 7_500_000,
      phase: 'draft',
      ballotFormat: 'knapsack',
      maxChoices: null,
      minSpendPercent: 50,
      tallyRule: 'equal-shares',
      votingFrom: '2027-03-01',
      publishOn: '2027-04-01',
    })
    const [entry] = await auditOf(id)
    t.equal(entry!.action, 'round.create')
    t.equal(entry!.actor, 'admin@example.test')
    t.same(entry!.details.slug, 'wijkbudget-energie-oude-noorden')
    t.same((entry!.details.changes as Record<string, unknown>).budgetCents, { old: null, new: 7_500_000 })

    const res2 = await admin.get(String(res.headers.location))
    t.equal(res2.statusCode, 200)
    const page = html(res2)
    t.equal(page.text('[role=status]'), msg('rounds.notice.created'))
    t.match(page.facts(), {
      [msg('round.budget')]: '€ 75.000',
      [msg('rounds.setting.tallyRule')]: msg('rounds.choice.equal-shares'),
      [msg('rounds.setting.slug')]: '/rounds/wijkbudget-energie-oude-noorden',
    })
    t.equal(page.text('.round-history strong'), msg('transparency.audit.action.round.create'))
    t.equal(page.get('a.button').getAttribute('href'), `/official/rounds/${id}/advance`)
    t.equal(page.text('a.button'), msg('rounds.show.advance', { phase: msg('phase.proposing') }))
    const dashboard = html(await admin.get('/official'))
    t.equal(dashboard.find(`a[href="/official/rounds/${id}"]`)?.text, FORM.title)
    t.ok(dashboard.links.includes('/official/rounds/new'))
  },
)

t.test('a title that is taken gets a numbered slug; the slug does not change when the title does', async (t) => {
  const title = 'Zon op het dak'
  const ids: number[] = []
  for (let i = 0; i < 3; i++)
    ids.push(idFrom((await admin.post('/official/rounds', { ...FORM, title })).headers.location))
  t.same(await Promise.all(ids.map(async (id) => (await roundRow(id)).slug)), [
    'zon-op-het-dak',
    'zon-op-het-dak-2',
    'zon-op-het-dak-3',
  ])
  await admin.get(`/official/rounds/${ids[0]}/edit`)
  await admin.post(`/official/rounds/${ids[0]}`, { ...FORM, title: 'Wind in de wijk' })
  t.match(await roundRow(ids[0]!), { title: 'Wind in de wijk', slug: 'zon-op-het-dak' })
})

t.test('an admin edits a round: the changed fields are stored and audited with old and new values', async (t) => {
  const round = await insertRound('proposing', { title: 'Oud', budgetCents: 1_000_000 })
  const form = await admin.get(`/official/rounds/${round.id}/edit`)
  t.equal(form.statusCode, 200)
  t.match(
    html(form).fields(html(form).form(`/official/rounds/${round.id}`)),
    { budget: '10000', title: 'Oud' },
    'the budget is shown in euros',
  )
  const res = await admin.post(`/official/rounds/${round.id}`, {
    ...FORM,
    title: 'Nieuw',
    neighbourhood: 'Testwijk',
    description: '',
    budget: '12.500,50',
    ballotFormat: 'approval',
    maxChoices: '3',
    minSpendPercent: '',
    tallyRule: 'greedy',
    proposingFrom: '',
    reviewingFrom: '',
    votingFrom: '',
    votingUntil: '',
    publishOn: '2027-06-01',
  })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/official/rounds/${round.id}?notice=saved`)
  t.match(await roundRow(round.id), {
    title: 'Nieuw',
    budgetCents: 1_250_050,
    ballotFormat: 'approval',
    maxChoices: 3,
    publishOn: '2027-06-01',
    phase: 'proposing',
  })
  const [entry] = await auditOf(round.id)
  t.equal(entry!.action, 'round.edit')
  t.same(entry!.details, {
    changes: {
      title: { old: 'Oud', new: 'Nieuw' },
      budgetCents: { old: 1_000_000, new: 1_250_050 },
      ballotFormat: { old: 'knapsack', new: 'approval' },
      maxChoices: { old: null, new: 3 },
      publishOn: { old: null, new: '2027-06-01' },
    },
  })
  const page = await admin.get(String(res.headers.location))
  t.equal(html(page).text('[role=status]'), msg('rounds.notice.saved'))
  t.equal(html(page).facts('.round-settings')[msg('rounds.setting.ballotFormat')], msg('rounds.choice.approval'))
  const lines = historyLines(page.body)
  t.ok(lines.includes(change('rounds.setting.title', '‘Oud’', '‘Nieuw’')), 'the title change')
  t.ok(
    lines.includes(change('rounds.setting.publishOn', msg('rounds.none'), '1 juni 2027')),
    'a date set for the first time',
  )
})

t.test('each wrong field gets its own message, the form keeps what was typed, and nothing is stored', async (t) => {
  const round = await insertRound('draft', { title: 'Onveranderd' })
  const cases: [string, Record<string, string | string[]>, string, string][] = [
    ['empty title', { title: '' }, 'title', msg('rounds.error.required')],
    ['huge title', { title: 'x'.repeat(5000) }, 'title', msg('rounds.error.tooLong', { max: 120 })],
    ['huge description', { description: 'y'.repeat(2001) }, 'description', msg('rounds.error.tooLong', { max: 2000 })],
    ['empty budget', { budget: '' }, 'budget', msg('rounds.error.amount.required')],
    ['negative budget', { budget: '-100' }, 'budget', msg('rounds.error.amount.notPositive')],
    ['fraction of a cent', { budget: '1500,555' }, 'budget', msg('rounds.error.amount.fraction')],
    ['dates out of order', { votingFrom: '2027-01-01' }, 'votingFrom', msg('rounds.error.dateOrder')],
    ['not a date', { publishOn: '2027-02-31' }, 'publishOn', msg('rounds.error.date')],
    ['approval without K', { ballotFormat: 'approval', maxChoices: '' }, 'maxChoices', msg('rounds.error.maxChoices')],
    ['K = 0', { ballotFormat: 'approval', maxChoices: '0' }, 'maxChoices', msg('rounds.error.maxChoices')],
    ['minimum spend 101', { minSpendPercent: '101' }, 'minSpendPercent', msg('rounds.error.minSpend')],
    ['unknown ballot format', { ballotFormat: 'ranked' }, 'ballotFormat', msg('rounds.error.choice')],
    ['unknown tally rule', { tallyRule: 'borda' }, 'tallyRule', msg('rounds.error.choice')],
    ['title given twice', { title: ['a', 'b'] }, 'title', msg('rounds.error.invalid')],
  ]
  const before = { rounds: await roundCount(), audit: await actionCount() }
  for (const [name, change, field, message] of cases) {
    for (const url of ['/official/rounds', `/official/rounds/${round.id}`]) {
      const res = await admin.post(url, { ...FORM, neighbourhood: 'Getypte wijk', ...change })
      t.equal(res.statusCode, 422, `${name} at ${url}`)
      const page = html(res)
      t.equal(page.text(`#${field}-error`), message, name)
      t.equal(page.alert, msg('rounds.error.summary'), name)
      t.ok(
        page.all(`[name=${field}]`).some((e) => e.getAttribute('aria-invalid') === 'true'),
        `${name}: the field is marked`,
      )
      const values = page.fields(page.form(url))
      t.equal(values.neighbourhood, 'Getypte wijk', `${name}: what was typed is kept`)
      const typed =
        typeof change[field] === 'string' && change[field] !== '' && !['ballotFormat', 'tallyRule'].includes(field)
      if (typed) t.equal(values[field], change[field], `${name}: the wrong value is kept`)
    }
  }
  t.equal(await roundCount(), before.rounds, 'no round was created')
  t.equal(await actionCount(), before.audit, 'nothing was audited')
  t.equal((await roundRow(round.id)).title, 'Onveranderd', 'the round was not changed')
})

t.test(
  'once voting opens, budget and rules are read-only and a POST changing them is refused; title and dates still save',
  async (t) => {
    const round = await insertRound('voting', { title: 'Stemronde', budgetCents: 5_000_000, tallyRule: 'greedy' })
    const form = html(await admin.get(`/official/rounds/${round.id}/edit`))
    t.equal(form.text('#locked-heading'), msg('rounds.locked.title'))
    t.notOk(form.has('[name=budget]'), 'no budget field to type in')
    t.notOk(form.has('[name=tallyRule]'))
    const { budget: _b, ballotFormat: _f, maxChoices: _k, minSpendPercent: _m, tallyRule: _r, ...editable } = FORM
    const refused: Record<string, string>[] = [
      { budget: '1' },
      { tallyRule: 'equal-shares' },
      { ballotFormat: 'approval', maxChoices: '2' },
      { minSpendPercent: '90' },
    ]
    for (const change of refused) {
      const res = await admin.post(`/official/rounds/${round.id}`, { ...editable, title: 'Stiekem', ...change })
      t.equal(res.statusCode, 422, JSON.stringify(change))
      t.equal(html(res).alert, msg('rounds.error.lockedRefused'))
    }
    t.match(
      await roundRow(round.id),
      { title: 'Stemronde', budgetCents: 5_000_000, tallyRule: 'greedy' },
      'nothing stored',
    )
    t.equal((await auditOf(round.id)).length, 0)

    const same = await admin.post(`/official/rounds/${round.id}`, {
      ...editable,
      title: 'Stemronde 2027',
      budget: '50000,00',
      tallyRule: 'greedy',
    })
    t.equal(same.statusCode, 303, 'sending the stored rules unchanged is fine')
    const saved = await admin.post(`/official/rounds/${round.id}`, {
      ...editable,
      title: 'Stemronde 2027',
      votingUntil: '2027-03-28',
    })
    t.equal(saved.statusCode, 303)
    t.match(await roundRow(round.id), { title: 'Stemronde 2027', votingUntil: '2027-03-28', budgetCents: 5_000_000 })
    const entries = await auditOf(round.id)
    const changed = entries.map((e) => Object.keys(e.details.changes as object))
    t.equal(changed.length, 2, 'each save is audited once')
    t.notOk(
      changed
        .flat()
        .some((f) => ['budgetCents', 'ballotFormat', 'maxChoices', 'minSpendPercent', 'tallyRule'].includes(f)),
      'no rule changed',
    )
    t.same(changed[1], ['votingUntil'])
  },
)

t.test('a published round can no longer be edited', async (t) => {
  const round = await insertRound('published', { title: 'Klaar' })
  const form = await admin.get(`/official/rounds/${round.id}/edit`)
  t.equal(form.statusCode, 409)
  t.equal(html(form).alert, msg('rounds.error.published'))
  const res = await admin.post(`/official/rounds/${round.id}`, { ...FORM, title: 'Toch anders' })
  t.equal(res.statusCode, 409)
  t.equal((await roundRow(round.id)).title, 'Klaar')
  t.equal((await auditOf(round.id)).length, 0)
  const page = await admin.get(`/official/rounds/${round.id}`)
  t.notOk(actionLinks(page.body).includes(`/official/rounds/${round.id}/advance`), 'no advance button')
  t.notOk(actionLinks(page.body).includes(`/official/rounds/${round.id}/edit`), 'no edit link')
  t.ok(html(page).texts('main p').includes(msg('rounds.show.final')))
})
