import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { auditLog, proposalEvents, proposals, rounds } from '../../db/schema.js'
import { listAudit } from '../../server/data/audit.js'
import { verifyChain } from '../../server/domain/security/audit-chain.js'
import type { Phase } from '../../server/domain/rounds/phases.js'
import { ballotsDigest } from '../../server/domain/pabulib/export.js'
import { testApp } from '../helpers/app.js'
import { html, msg } from '../helpers/html.js'
import { Visitor } from '../helpers/client.js'
import { createOfficials, signedIn } from '../helpers/officials.js'

const { app, db } = await testApp(t)
await createOfficials(db, ['admin', 'moderator', 'council'])
const admin = await signedIn(app, 'admin')

const FORM = {
  title: 'Wijkbudget Energie Oude Noorden',
  neighbourhood: 'Oude Noorden',
  description: 'Samen energie besparen.',
  budget: '75.000',
  ballotFormat: 'knapsack',
  maxChoices: '',
  minSpendPercent: '50',
  tallyRule: 'equal-shares',
  proposingFrom: '2027-01-10',
  reviewingFrom: '2027-02-10',
  votingFrom: '2027-03-01',
  votingUntil: '2027-03-21',
  publishOn: '2027-04-01',
}

let slugCounter = 0
async function insertRound(phase: Phase, values: Partial<typeof rounds.$inferInsert> = {}) {
  const [row] = await db
    .insert(rounds)
    .values({
      slug: `test-${slugCounter++}`,
      title: 'Testronde',
      neighbourhood: 'Testwijk',
      budgetCents: 5_000_000,
      phase,
      ...values,
    })
    .returning()
  return row!
}

let reference = 0
async function addProposal(roundId: number, status: 'submitted' | 'approved' | 'rejected') {
  await db.insert(proposals).values({
    roundId,
    status,
    reference: `T-${reference}`,
    statusToken: `token-${reference++}`,
    title: 'Idee',
    summary: 'Kort',
    description: 'Lang',
    costCents: 100_000,
    track: 'social',
    themes: ['green'],
    contactName: 'Bewoner',
  })
}

const roundRow = async (id: number) => (await db.select().from(rounds).where(eq(rounds.id, id)))[0]!
const roundCount = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(rounds))[0]!.n
// A refused request is itself recorded as a security event; what matters here is that no action was.
const actionCount = async () => (await listAudit(db)).filter((e) => e.action !== 'security.forbidden').length
const auditOf = (id: number) =>
  db
    .select()
    .from(auditLog)
    .where(eq(auditLog.object, `round:${id}`))
    .orderBy(auditLog.id)
/** The lines of a round's history as a reader sees them. */
const historyLines = (body: string) => html({ body }).texts('.round-history li li')
const change = (label: string, from: string, to: string) =>
  `${msg(label)}: ${msg('rounds.history.from')} ${from} ${msg('rounds.history.to')} ${to}`
/** What an official may follow from the management page's action links. */
const actionLinks = (body: string) =>
  html({ body })
    .all('.round-actions a')
    .map((a) => a.getAttribute('href'))
const idFrom = (location: unknown) => Number(/\/official\/rounds\/(\d+)/.exec(String(location))![1])

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
    t.equal(page.text('.round-history strong'), msg('rounds.history.create'))
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

t.test('an admin moves a round through every phase, one confirmed step at a time, each step audited', async (t) => {
  const round = await insertRound('draft', { title: 'Stap voor stap' })
  await addProposal(round.id, 'approved')
  const steps: [Phase, Phase][] = [
    ['draft', 'proposing'],
    ['proposing', 'reviewing'],
    ['reviewing', 'voting'],
    ['voting', 'closed'],
  ]
  for (const [from, to] of steps) {
    const confirm = await admin.get(`/official/rounds/${round.id}/advance`)
    t.equal(confirm.statusCode, 200)
    const page = html(confirm)
    t.equal(page.text('h1'), msg('rounds.advance.question', { from: msg(`phase.${from}`), to: msg(`phase.${to}`) }))
    t.ok(page.texts('main p').includes(msg(`rounds.advance.meaning.${to}`)), `${to}: what it means for residents`)
    t.equal(page.fields(page.form(`/official/rounds/${round.id}/advance`)).from, from)
    t.equal((await roundRow(round.id)).phase, from, 'the confirmation page itself changes nothing')
    const res = await admin.post(`/official/rounds/${round.id}/advance`, { from })
    t.equal(res.statusCode, 303, `${from} → ${to}`)
    t.equal(res.headers.location, `/official/rounds/${round.id}?notice=advanced`)
    t.equal((await roundRow(round.id)).phase, to)
    t.equal(
      html(await admin.get(String(res.headers.location))).text('[role=status]'),
      msg('rounds.notice.advanced', { phase: msg(`phase.${to}`) }),
    )
  }
  const entries = await auditOf(round.id)
  // Closing voting first seals the ballots: their fingerprint goes into the chain.
  t.same(
    entries.map((e) => [e.action, e.details]),
    steps.flatMap(([from, to]) => [
      ...(to === 'closed' ? [['ballots.seal', { ballotsSha256: ballotsDigest([]), ballots: 0 }]] : []),
      ['round.advance', { from, to }],
    ]),
  )
  t.ok(verifyChain(await listAudit(db)).ok, 'the audit chain is intact')

  const publishFirst = html(await admin.get(`/official/rounds/${round.id}/advance`))
  t.equal(
    publishFirst.text('main .alert--error'),
    msg('rounds.advance.refused.publishFirst'),
    'a round is published by publishing its result',
  )
  t.ok(publishFirst.links.includes(`/official/rounds/${round.id}/results`))
  const notByAdvance = await admin.post(`/official/rounds/${round.id}/advance`, { from: 'closed' })
  t.equal(notByAdvance.statusCode, 409)
  t.equal((await roundRow(round.id)).phase, 'closed')
  t.equal((await admin.post(`/official/rounds/${round.id}/publish`, {})).statusCode, 303)
  t.equal((await roundRow(round.id)).phase, 'published')

  const final = html(await admin.get(`/official/rounds/${round.id}/advance`))
  t.equal(final.text('h1'), msg('rounds.advance.finalTitle'))
  t.notOk(final.has('[name=from]'), 'no button beyond published')
  const refused = await admin.post(`/official/rounds/${round.id}/advance`, { from: 'published' })
  t.equal(refused.statusCode, 409)
  t.equal(html(refused).alert, msg('rounds.advance.refused.final'))
  t.equal((await roundRow(round.id)).phase, 'published')
  t.equal((await auditOf(round.id)).length, steps.length + 2, 'each step, the seal and the publication')
})

t.test('voting does not open without an approved proposal', async (t) => {
  const round = await insertRound('reviewing')
  await addProposal(round.id, 'submitted')
  await addProposal(round.id, 'rejected')
  const confirm = html(await admin.get(`/official/rounds/${round.id}/advance`))
  t.equal(confirm.text('main .alert--error'), msg('rounds.advance.refused.noApproved'))
  t.notOk(confirm.has('[name=from]'), 'no button to press')
  const res = await admin.post(`/official/rounds/${round.id}/advance`, { from: 'reviewing' })
  t.equal(res.statusCode, 422)
  t.equal(html(res).alert, msg('rounds.advance.refused.noApproved'))
  t.equal((await roundRow(round.id)).phase, 'reviewing')
  t.equal((await auditOf(round.id)).length, 0)
  const counts = html(await admin.get(`/official/rounds/${round.id}`)).rows('table.table')
  t.same(
    counts.find(([label]) => label === msg('status.submitted')),
    [msg('status.submitted'), '1'],
  )
  t.same(
    counts.find(([label]) => label === msg('status.approved')),
    [msg('status.approved'), '0'],
  )
  t.same(
    counts.find(([label]) => label === msg('status.rejected')),
    [msg('status.rejected'), '1'],
  )
})

t.test(
  'voting does not open while proposals wait for an answer, unless the admin confirms each is answered "not reviewed"',
  async (t) => {
    const round = await insertRound('reviewing')
    await addProposal(round.id, 'approved')
    const waitingSince = new Date('2027-02-01T10:00:00Z')
    const [early, late] = await db
      .insert(proposals)
      .values(
        ['Vroeg', 'Laat'].map((title) => ({
          roundId: round.id,
          status: 'submitted' as const,
          reference: `T-${reference}`,
          statusToken: `token-${reference++}`,
          title,
          summary: 'Kort',
          description: 'Lang',
          costCents: 100_000,
          track: 'social' as const,
          themes: ['green'],
          contactName: 'Bewoner',
          waitingSince,
        })),
      )
      .returning()
    const url = `/official/rounds/${round.id}/advance`
    const confirm = await admin.get(url)
    t.equal(confirm.statusCode, 200)
    for (const p of [early!, late!])
      t.match(confirm.body, `name="unreviewed" value="${p.id}"`, `${p.title} can be ticked`)

    const refused = await admin.post(url, { from: 'reviewing', unreviewed: String(early!.id) })
    t.equal(refused.statusCode, 422, 'one proposal left unticked stops it')
    t.match(refused.body, 'er wachten nog ideeën op een antwoord')
    t.match(refused.body, `value="${early!.id}" checked`, 'what was ticked stays ticked')
    t.equal((await roundRow(round.id)).phase, 'reviewing')
    t.equal((await auditOf(round.id)).length, 0)
    t.same(
      (await db.select().from(proposals).where(eq(proposals.id, late!.id)))[0]!.waitingSince,
      waitingSince,
      'nothing answered',
    )

    const moved = await admin.post(url, { from: 'reviewing', unreviewed: [String(early!.id), String(late!.id)] })
    t.equal(moved.statusCode, 303)
    t.equal((await roundRow(round.id)).phase, 'voting')
    for (const p of [early!, late!]) {
      const row = (await db.select().from(proposals).where(eq(proposals.id, p.id)))[0]!
      t.match(row, { status: 'not_reviewed', waitingSince: null }, `${p.title} is answered`)
      t.ok(row.firstAnsweredAt)
      const events = await db.select().from(proposalEvents).where(eq(proposalEvents.proposalId, p.id))
      t.same(
        events.map((e) => e.kind),
        ['not_reviewed'],
      )
      const page = await new Visitor(app).get(`/proposals/${p.reference}`)
      t.match(page.body, 'Niet beoordeeld vóór het stemmen', 'the public answer is on the proposal page')
    }
    const [entry] = await auditOf(round.id)
    t.same(entry!.details, { from: 'reviewing', to: 'voting', unreviewed: [early!.reference, late!.reference] })
  },
)

t.test('a replayed advance form moves the round one step only and gets 409', async (t) => {
  const round = await insertRound('draft')
  await admin.get(`/official/rounds/${round.id}/advance`)
  t.equal((await admin.post(`/official/rounds/${round.id}/advance`, { from: 'draft' })).statusCode, 303)
  const replay = await admin.post(`/official/rounds/${round.id}/advance`, { from: 'draft' })
  t.equal(replay.statusCode, 409)
  t.equal(html(replay).alert, msg('rounds.advance.stale', { phase: msg('phase.proposing') }))
  t.equal((await roundRow(round.id)).phase, 'proposing')
  t.equal((await auditOf(round.id)).length, 1)
})

t.test(
  'two advance requests at the same moment: exactly one moves the round, with exactly one audit entry',
  async (t) => {
    const round = await insertRound('proposing')
    await admin.get(`/official/rounds/${round.id}/advance`)
    const results = await Promise.all(
      [1, 2].map(() => admin.post(`/official/rounds/${round.id}/advance`, { from: 'proposing' })),
    )
    t.same(results.map((r) => r.statusCode).sort(), [303, 409])
    t.equal((await roundRow(round.id)).phase, 'reviewing')
    t.equal((await auditOf(round.id)).length, 1)
  },
)

t.test('a POST without a valid CSRF token is refused with 403 and changes nothing', async (t) => {
  const round = await insertRound('draft', { title: 'Beschermd' })
  const before = { rounds: await roundCount(), audit: await actionCount() }
  const posts: [string, Record<string, string>][] = [
    ['/official/rounds', FORM],
    [`/official/rounds/${round.id}`, { ...FORM, title: 'Gekaapt' }],
    [`/official/rounds/${round.id}/advance`, { from: 'draft' }],
  ]
  for (const [url, form] of posts) {
    for (const token of [null, 'forged']) {
      const res = await admin.post(url, { ...form, _csrf: token })
      t.equal(res.statusCode, 403, `${url} with ${token}`)
      t.equal(html(res).text('h1'), msg('errors.csrf'))
    }
  }
  t.match(await roundRow(round.id), { title: 'Beschermd', phase: 'draft' })
  t.equal(await roundCount(), before.rounds)
  t.equal(await actionCount(), before.audit)
})

t.test(
  'moderators and council members get 403 on every form and POST, change nothing, and read the round without buttons',
  async (t) => {
    const round = await insertRound('proposing', { title: 'Alleen beheerders' })
    await addProposal(round.id, 'approved')
    const visitors = { moderator: await signedIn(app, 'moderator'), council: await signedIn(app, 'council') }
    const before = { rounds: await roundCount(), audit: await actionCount() }
    for (const [role, v] of Object.entries(visitors)) {
      for (const url of [
        '/official/rounds/new',
        `/official/rounds/${round.id}/edit`,
        `/official/rounds/${round.id}/advance`,
      ]) {
        const res = await v.get(url)
        t.equal(res.statusCode, 403, `${role} GET ${url}`)
        t.equal(html(res).text('h1'), msg('errors.forbidden'))
      }
      await v.get('/official')
      const posts: [string, Record<string, string>][] = [
        ['/official/rounds', FORM],
        [`/official/rounds/${round.id}`, { ...FORM, title: 'Overgenomen' }],
        [`/official/rounds/${round.id}/advance`, { from: 'proposing' }],
      ]
      for (const [url, form] of posts) t.equal((await v.post(url, form)).statusCode, 403, `${role} POST ${url}`)
      const page = await v.get(`/official/rounds/${round.id}`)
      t.equal(page.statusCode, 200, `${role} reads the management page`)
      t.equal(html(page).text('h1'), 'Alleen beheerders')
      t.same(
        html(page)
          .rows('table.table')
          .find(([label]) => label === msg('status.approved')),
        [msg('status.approved'), '1'],
      )
      t.notOk(actionLinks(page.body).includes(`/official/rounds/${round.id}/advance`), 'no advance button')
      t.notOk(actionLinks(page.body).includes(`/official/rounds/${round.id}/edit`), 'no edit link')
      const dashboard = html(await v.get('/official'))
      t.ok(dashboard.links.includes(`/official/rounds/${round.id}`))
      t.notOk(dashboard.links.includes('/official/rounds/new'), 'no new-round link')
    }
    t.match(await roundRow(round.id), { title: 'Alleen beheerders', phase: 'proposing' })
    t.equal(await roundCount(), before.rounds)
    t.equal(await actionCount(), before.audit)
  },
)

t.test('an unknown or malformed round id is a 404 on every round page and POST', async (t) => {
  await admin.get('/official')
  for (const id of ['999999', 'abc', '0', '1e3', '-1', '12345678901234567890']) {
    for (const suffix of ['', '/edit', '/advance']) {
      t.equal((await admin.get(`/official/rounds/${id}${suffix}`)).statusCode, 404, `GET ${id}${suffix}`)
    }
    const edit = await admin.post(`/official/rounds/${id}`, FORM)
    t.equal(edit.statusCode, 404, `POST ${id}`)
    t.equal(html(edit).text('h1'), msg('errors.notFound'))
    t.equal(
      (await admin.post(`/official/rounds/${id}/advance`, { from: 'draft' })).statusCode,
      404,
      `POST ${id}/advance`,
    )
  }
  const bad = await admin.post('/official/rounds/1/advance', { from: 'somewhere' })
  t.equal(bad.statusCode, 400, 'a phase that does not exist is a bad request')
})

t.test(
  'HTML in a title is shown as text on the dashboard, the management page, its history and the form',
  async (t) => {
    const title = '<script>alert("x")</script> & <b>vet</b>'
    const res = await admin.post('/official/rounds', { ...FORM, title })
    const id = idFrom(res.headers.location)
    t.equal((await roundRow(id)).title, title, 'stored as typed')
    t.equal((await roundRow(id)).slug, 'script-alert-x-script-b-vet-b')
    await admin.post(`/official/rounds/${id}`, { ...FORM, title: `${title}!` })
    for (const url of [
      '/official',
      `/official/rounds/${id}`,
      `/official/rounds/${id}/edit`,
      `/official/rounds/${id}/advance`,
    ]) {
      const page = html(await admin.get(url))
      t.ok(
        page.text('main').includes(`${title}!`) || page.fields(page.root).title === `${title}!`,
        `${url}: shown as text`,
      )
      t.notOk(
        page.all('script').some((s) => s.text.includes('alert')),
        `${url}: never run`,
      )
      t.notOk(page.has('main b'), `${url}: no markup from the title`)
    }
    const history = await admin.get(`/official/rounds/${id}`)
    t.ok(historyLines(history.body).includes(change('rounds.setting.title', `‘${title}’`, `‘${title}!’`)))
  },
)

t.test('the management page links to what each role may do in this phase, by the permission table', async (t) => {
  const voting = await insertRound('voting', { title: 'Links tijdens stemmen' })
  const closed = await insertRound('closed', { title: 'Links na sluiten' })
  const moderator = await signedIn(app, 'moderator')
  const council = await signedIn(app, 'council')
  const links = async (v: typeof admin, id: number) => {
    const hrefs = html(await v.get(`/official/rounds/${id}`)).links
    return ['codes', 'paper', 'turnout', 'results'].filter((page) => hrefs.includes(`/official/rounds/${id}/${page}`))
  }
  t.same(await links(admin, voting.id), ['codes', 'paper', 'turnout'])
  t.same(await links(admin, closed.id), ['codes', 'turnout', 'results'])
  t.same(await links(moderator, voting.id), ['paper', 'turnout'])
  t.same(await links(moderator, closed.id), ['turnout'])
  t.same(await links(council, voting.id), ['turnout'])
  t.notOk(
    html(await council.get('/official')).links.includes('/official/rounds/new'),
    'only admins are offered a new round',
  )
  t.ok(html(await admin.get('/official')).links.includes('/official/rounds/new'))
})
