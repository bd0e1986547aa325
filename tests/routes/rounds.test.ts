import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { auditLog, proposals, rounds } from '../../db/schema.js'
import { listAudit } from '../../server/data/audit.js'
import { verifyChain } from '../../server/domain/audit-chain.js'
import type { Phase } from '../../server/domain/phases.js'
import { testApp } from '../helpers/app.js'
import { createOfficials, signInFrom } from '../helpers/officials.js'

const { app, db } = await testApp(t)
await createOfficials(db, ['admin', 'moderator', 'council'])
const signedIn = signInFrom(app, '10.1.0')
const admin = await signedIn('admin')

const FORM = {
  title: 'Wijkbudget Energie Oude Noorden', neighbourhood: 'Oude Noorden', description: 'Samen energie besparen.',
  budget: '75.000', ballotFormat: 'knapsack', maxChoices: '', minSpendPercent: '50', tallyRule: 'equal-shares',
  proposingFrom: '2027-01-10', reviewingFrom: '2027-02-10', votingFrom: '2027-03-01', votingUntil: '2027-03-21', publishOn: '2027-04-01',
}

let slugCounter = 0
async function insertRound(phase: Phase, values: Partial<typeof rounds.$inferInsert> = {}) {
  const [row] = await db.insert(rounds).values({
    slug: `test-${slugCounter++}`, title: 'Testronde', neighbourhood: 'Testwijk', budgetCents: 5_000_000, phase, ...values,
  }).returning()
  return row!
}

let reference = 0
async function addProposal(roundId: number, status: 'submitted' | 'approved' | 'rejected') {
  await db.insert(proposals).values({
    roundId, status, reference: `T-${reference}`, statusToken: `token-${reference++}`, title: 'Idee', summary: 'Kort',
    description: 'Lang', costCents: 100_000, track: 'social', themes: ['green'], contactName: 'Bewoner',
  })
}

const roundRow = async (id: number) => (await db.select().from(rounds).where(eq(rounds.id, id)))[0]!
const roundCount = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(rounds))[0]!.n
const auditOf = (id: number) => db.select().from(auditLog).where(eq(auditLog.object, `round:${id}`)).orderBy(auditLog.id)
const idFrom = (location: unknown) => Number(/\/official\/rounds\/(\d+)/.exec(String(location))![1])

t.test('an admin creates a round: stored as a draft in cents with a slug, audited, and shown on its management page', async (t) => {
  const form = await admin.get('/official/rounds/new')
  t.equal(form.statusCode, 200)
  t.match(form.body, 'Nieuw wijkbudget')
  t.match(form.body, '<legend>Manier van stemmen</legend>')
  const res = await admin.post('/official/rounds', FORM)
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, /^\/official\/rounds\/\d+\?notice=created$/)
  const id = idFrom(res.headers.location)
  const row = await roundRow(id)
  t.match(row, {
    slug: 'wijkbudget-energie-oude-noorden', title: FORM.title, neighbourhood: 'Oude Noorden', budgetCents: 7_500_000, phase: 'draft',
    ballotFormat: 'knapsack', maxChoices: null, minSpendPercent: 50, tallyRule: 'equal-shares', votingFrom: '2027-03-01', publishOn: '2027-04-01',
  })
  const [entry] = await auditOf(id)
  t.equal(entry!.action, 'round.create')
  t.equal(entry!.actor, 'admin@example.test')
  t.same(entry!.details.slug, 'wijkbudget-energie-oude-noorden')
  t.same((entry!.details.changes as Record<string, unknown>).budgetCents, { old: null, new: 7_500_000 })

  const page = await admin.get(String(res.headers.location))
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Het wijkbudget is gemaakt')
  t.match(page.body, /€\s75\.000/)
  t.match(page.body, 'Gelijke delen')
  t.match(page.body, '/rounds/wijkbudget-energie-oude-noorden')
  t.match(page.body, 'Gemaakt')
  t.match(page.body, 'Naar de volgende fase: Ideeën indienen')
  const dashboard = await admin.get('/official')
  t.match(dashboard.body, `<a href="/official/rounds/${id}">${FORM.title}</a>`)
  t.match(dashboard.body, 'href="/official/rounds/new"')
})

t.test('a title that is taken gets a numbered slug; the slug does not change when the title does', async (t) => {
  const title = 'Zon op het dak'
  const ids: number[] = []
  for (let i = 0; i < 3; i++) ids.push(idFrom((await admin.post('/official/rounds', { ...FORM, title })).headers.location))
  t.same(await Promise.all(ids.map(async (id) => (await roundRow(id)).slug)), ['zon-op-het-dak', 'zon-op-het-dak-2', 'zon-op-het-dak-3'])
  await admin.get(`/official/rounds/${ids[0]}/edit`)
  await admin.post(`/official/rounds/${ids[0]}`, { ...FORM, title: 'Wind in de wijk' })
  t.match(await roundRow(ids[0]!), { title: 'Wind in de wijk', slug: 'zon-op-het-dak' })
})

t.test('an admin edits a round: the changed fields are stored and audited with old and new values', async (t) => {
  const round = await insertRound('proposing', { title: 'Oud', budgetCents: 1_000_000 })
  const form = await admin.get(`/official/rounds/${round.id}/edit`)
  t.equal(form.statusCode, 200)
  t.match(form.body, 'value="10000"', 'the budget is shown in euros')
  t.match(form.body, 'value="Oud"')
  const res = await admin.post(`/official/rounds/${round.id}`, {
    ...FORM, title: 'Nieuw', neighbourhood: 'Testwijk', description: '', budget: '12.500,50', ballotFormat: 'approval', maxChoices: '3',
    minSpendPercent: '', tallyRule: 'greedy', proposingFrom: '', reviewingFrom: '', votingFrom: '', votingUntil: '', publishOn: '2027-06-01',
  })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/official/rounds/${round.id}?notice=saved`)
  t.match(await roundRow(round.id), { title: 'Nieuw', budgetCents: 1_250_050, ballotFormat: 'approval', maxChoices: 3, publishOn: '2027-06-01', phase: 'proposing' })
  const [entry] = await auditOf(round.id)
  t.equal(entry!.action, 'round.edit')
  t.same(entry!.details, { changes: {
    title: { old: 'Oud', new: 'Nieuw' }, budgetCents: { old: 1_000_000, new: 1_250_050 }, ballotFormat: { old: 'knapsack', new: 'approval' },
    maxChoices: { old: null, new: 3 }, publishOn: { old: null, new: '2027-06-01' },
  } })
  const page = await admin.get(String(res.headers.location))
  t.match(page.body, 'De wijzigingen zijn opgeslagen.')
  t.match(page.body, 'Titel: van ‘Oud’ naar ‘Nieuw’')
  t.match(page.body, 'Kies een aantal projecten')
  t.match(page.body, 'Uitslag op: van (leeg) naar 1 juni 2027')
})

t.test('each wrong field gets its own message, the form keeps what was typed, and nothing is stored', async (t) => {
  const round = await insertRound('draft', { title: 'Onveranderd' })
  const cases: [string, Record<string, string | string[]>, string, RegExp][] = [
    ['empty title', { title: '' }, 'title', /Vul dit veld in\./],
    ['huge title', { title: 'x'.repeat(5000) }, 'title', /Dit is te lang\. Gebruik hoogstens 120 tekens\./],
    ['huge description', { description: 'y'.repeat(2001) }, 'description', /hoogstens 2000 tekens/],
    ['empty budget', { budget: '' }, 'budget', /Vul het budget in/],
    ['negative budget', { budget: '-100' }, 'budget', /Het budget moet meer dan € 0 zijn/],
    ['fraction of a cent', { budget: '1500,555' }, 'budget', /hoogstens twee cijfers achter de komma/],
    ['dates out of order', { votingFrom: '2027-01-01' }, 'votingFrom', /Deze datum moet na de datums erboven liggen/],
    ['not a date', { publishOn: '2027-02-31' }, 'publishOn', /Dit is geen goede datum/],
    ['approval without K', { ballotFormat: 'approval', maxChoices: '' }, 'maxChoices', /van 1 tot en met 50/],
    ['K = 0', { ballotFormat: 'approval', maxChoices: '0' }, 'maxChoices', /van 1 tot en met 50/],
    ['minimum spend 101', { minSpendPercent: '101' }, 'minSpendPercent', /van 0 tot en met 100/],
    ['unknown ballot format', { ballotFormat: 'ranked' }, 'ballotFormat', /Kies een van de mogelijkheden/],
    ['unknown tally rule', { tallyRule: 'borda' }, 'tallyRule', /Kies een van de mogelijkheden/],
    ['title given twice', { title: ['a', 'b'] }, 'title', /Dit klopt niet/],
  ]
  const before = { rounds: await roundCount(), audit: (await listAudit(db)).length }
  for (const [name, change, field, message] of cases) {
    for (const url of ['/official/rounds', `/official/rounds/${round.id}`]) {
      const res = await admin.post(url, { ...FORM, neighbourhood: 'Getypte wijk', ...change })
      t.equal(res.statusCode, 422, `${name} at ${url}`)
      t.match(res.body, message, name)
      t.match(res.body, 'Niet alles is goed ingevuld', name)
      t.match(res.body, new RegExp(`id="${field}(-[a-z-]+)?"[^>]*aria-invalid="true"`), `${name}: the field is marked`)
      t.match(res.body, `${field}-error`, name)
      t.match(res.body, 'value="Getypte wijk"', `${name}: what was typed is kept`)
      const typed = typeof change[field] === 'string' && change[field] !== '' && !['ballotFormat', 'tallyRule'].includes(field)
      if (typed) t.match(res.body, String(change[field]).slice(0, 200), `${name}: the wrong value is kept`)
    }
  }
  t.equal(await roundCount(), before.rounds, 'no round was created')
  t.equal((await listAudit(db)).length, before.audit, 'nothing was audited')
  t.equal((await roundRow(round.id)).title, 'Onveranderd', 'the round was not changed')
})

t.test('once voting opens, budget and rules are read-only and a POST changing them is refused; title and dates still save', async (t) => {
  const round = await insertRound('voting', { title: 'Stemronde', budgetCents: 5_000_000, tallyRule: 'greedy' })
  const form = await admin.get(`/official/rounds/${round.id}/edit`)
  t.match(form.body, 'Regels voor het stemmen')
  t.notMatch(form.body, 'name="budget"', 'no budget field to type in')
  t.notMatch(form.body, 'name="tallyRule"')
  const { budget: _b, ballotFormat: _f, maxChoices: _k, minSpendPercent: _m, tallyRule: _r, ...editable } = FORM
  const refused: Record<string, string>[] = [{ budget: '1' }, { tallyRule: 'equal-shares' }, { ballotFormat: 'approval', maxChoices: '2' }, { minSpendPercent: '90' }]
  for (const change of refused) {
    const res = await admin.post(`/official/rounds/${round.id}`, { ...editable, title: 'Stiekem', ...change })
    t.equal(res.statusCode, 422, JSON.stringify(change))
    t.match(res.body, 'kunnen niet meer veranderen: het stemmen is al begonnen. Er is niets opgeslagen.')
  }
  t.match(await roundRow(round.id), { title: 'Stemronde', budgetCents: 5_000_000, tallyRule: 'greedy' }, 'nothing stored')
  t.equal((await auditOf(round.id)).length, 0)

  const same = await admin.post(`/official/rounds/${round.id}`, { ...editable, title: 'Stemronde 2027', budget: '50000,00', tallyRule: 'greedy' })
  t.equal(same.statusCode, 303, 'sending the stored rules unchanged is fine')
  const saved = await admin.post(`/official/rounds/${round.id}`, { ...editable, title: 'Stemronde 2027', votingUntil: '2027-03-28' })
  t.equal(saved.statusCode, 303)
  t.match(await roundRow(round.id), { title: 'Stemronde 2027', votingUntil: '2027-03-28', budgetCents: 5_000_000 })
  const entries = await auditOf(round.id)
  const changed = entries.map((e) => Object.keys(e.details.changes as object))
  t.equal(changed.length, 2, 'each save is audited once')
  t.notOk(changed.flat().some((f) => ['budgetCents', 'ballotFormat', 'maxChoices', 'minSpendPercent', 'tallyRule'].includes(f)), 'no rule changed')
  t.same(changed[1], ['votingUntil'])
})

t.test('a published round can no longer be edited', async (t) => {
  const round = await insertRound('published', { title: 'Klaar' })
  const form = await admin.get(`/official/rounds/${round.id}/edit`)
  t.equal(form.statusCode, 409)
  t.match(form.body, 'De uitslag van dit wijkbudget is bekend')
  const res = await admin.post(`/official/rounds/${round.id}`, { ...FORM, title: 'Toch anders' })
  t.equal(res.statusCode, 409)
  t.equal((await roundRow(round.id)).title, 'Klaar')
  t.equal((await auditOf(round.id)).length, 0)
  const page = await admin.get(`/official/rounds/${round.id}`)
  t.notMatch(page.body, '/advance"', 'no advance button')
  t.notMatch(page.body, '/edit"', 'no edit link')
  t.match(page.body, 'Dit is de laatste fase')
})

t.test('an admin moves a round through every phase, one confirmed step at a time, each step audited', async (t) => {
  const round = await insertRound('draft', { title: 'Stap voor stap' })
  await addProposal(round.id, 'approved')
  const steps: [Phase, Phase, string, string][] = [
    ['draft', 'proposing', 'Van ‘In voorbereiding’ naar ‘Ideeën indienen’?', 'Bewoners kunnen vanaf nu ideeën indienen.'],
    ['proposing', 'reviewing', 'Van ‘Ideeën indienen’ naar ‘Ideeën worden bekeken’?', 'Bewoners kunnen geen nieuwe ideeën meer indienen.'],
    ['reviewing', 'voting', 'Van ‘Ideeën worden bekeken’ naar ‘Stemmen’?', 'staan daarna vast'],
    ['voting', 'closed', 'Van ‘Stemmen’ naar ‘Stemmen gesloten’?', 'Niemand kan nog stemmen'],
  ]
  for (const [from, to, question, meaning] of steps) {
    const confirm = await admin.get(`/official/rounds/${round.id}/advance`)
    t.equal(confirm.statusCode, 200)
    t.match(confirm.body, question)
    t.match(confirm.body, meaning)
    t.match(confirm.body, `name="from" value="${from}"`)
    t.equal((await roundRow(round.id)).phase, from, 'the confirmation page itself changes nothing')
    const res = await admin.post(`/official/rounds/${round.id}/advance`, { from })
    t.equal(res.statusCode, 303, `${from} → ${to}`)
    t.equal(res.headers.location, `/official/rounds/${round.id}?notice=advanced`)
    t.equal((await roundRow(round.id)).phase, to)
    const page = await admin.get(String(res.headers.location))
    t.match(page.body, `Het wijkbudget is nu in de fase ‘`)
  }
  const entries = await auditOf(round.id)
  t.same(entries.map((e) => [e.action, e.details]), steps.map(([from, to]) => ['round.advance', { from, to }]))
  t.ok(verifyChain(await listAudit(db)).ok, 'the audit chain is intact')

  const publishFirst = await admin.get(`/official/rounds/${round.id}/advance`)
  t.match(publishFirst.body, 'door de uitslag te publiceren', 'a round is published by publishing its result')
  t.match(publishFirst.body, `href="/official/rounds/${round.id}/results"`)
  const notByAdvance = await admin.post(`/official/rounds/${round.id}/advance`, { from: 'closed' })
  t.equal(notByAdvance.statusCode, 409)
  t.equal((await roundRow(round.id)).phase, 'closed')
  t.equal((await admin.post(`/official/rounds/${round.id}/publish`, {})).statusCode, 303)
  t.equal((await roundRow(round.id)).phase, 'published')

  const final = await admin.get(`/official/rounds/${round.id}/advance`)
  t.match(final.body, 'Dit is de laatste fase')
  t.notMatch(final.body, 'name="from"', 'no button beyond published')
  const refused = await admin.post(`/official/rounds/${round.id}/advance`, { from: 'published' })
  t.equal(refused.statusCode, 409)
  t.match(refused.body, 'De uitslag is al bekend. Dit wijkbudget kan niet verder.')
  t.equal((await roundRow(round.id)).phase, 'published')
  t.equal((await auditOf(round.id)).length, steps.length + 1, 'each step and the publication')
})

t.test('voting does not open without an approved proposal', async (t) => {
  const round = await insertRound('reviewing')
  await addProposal(round.id, 'submitted')
  await addProposal(round.id, 'rejected')
  const confirm = await admin.get(`/official/rounds/${round.id}/advance`)
  t.match(confirm.body, 'er is nog geen goedgekeurd idee')
  t.notMatch(confirm.body, 'name="from"', 'no button to press')
  const res = await admin.post(`/official/rounds/${round.id}/advance`, { from: 'reviewing' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Het stemmen kan nog niet beginnen')
  t.equal((await roundRow(round.id)).phase, 'reviewing')
  t.equal((await auditOf(round.id)).length, 0)
  const page = await admin.get(`/official/rounds/${round.id}`)
  t.match(page.body, /<td>Ingediend<\/td><td>1<\/td>/)
  t.match(page.body, /<td>Goedgekeurd<\/td><td>0<\/td>/)
  t.match(page.body, /<td>Afgewezen<\/td><td>1<\/td>/)
})

t.test('a replayed advance form moves the round one step only and gets 409', async (t) => {
  const round = await insertRound('draft')
  await admin.get(`/official/rounds/${round.id}/advance`)
  t.equal((await admin.post(`/official/rounds/${round.id}/advance`, { from: 'draft' })).statusCode, 303)
  const replay = await admin.post(`/official/rounds/${round.id}/advance`, { from: 'draft' })
  t.equal(replay.statusCode, 409)
  t.match(replay.body, 'Dit wijkbudget is al verder gegaan: het is nu in de fase ‘Ideeën indienen’. Er is niets veranderd.')
  t.equal((await roundRow(round.id)).phase, 'proposing')
  t.equal((await auditOf(round.id)).length, 1)
})

t.test('two advance requests at the same moment: exactly one moves the round, with exactly one audit entry', async (t) => {
  const round = await insertRound('proposing')
  await admin.get(`/official/rounds/${round.id}/advance`)
  const results = await Promise.all([1, 2].map(() => admin.post(`/official/rounds/${round.id}/advance`, { from: 'proposing' })))
  t.same(results.map((r) => r.statusCode).sort(), [303, 409])
  t.equal((await roundRow(round.id)).phase, 'reviewing')
  t.equal((await auditOf(round.id)).length, 1)
})

t.test('a POST without a valid CSRF token is refused with 403 and changes nothing', async (t) => {
  const round = await insertRound('draft', { title: 'Beschermd' })
  const before = { rounds: await roundCount(), audit: (await listAudit(db)).length }
  const posts: [string, Record<string, string>][] = [
    ['/official/rounds', FORM], [`/official/rounds/${round.id}`, { ...FORM, title: 'Gekaapt' }], [`/official/rounds/${round.id}/advance`, { from: 'draft' }],
  ]
  for (const [url, form] of posts) {
    for (const token of [null, 'forged']) {
      const res = await admin.post(url, { ...form, _csrf: token })
      t.equal(res.statusCode, 403, `${url} with ${token}`)
      t.match(res.body, 'Dit formulier is verlopen')
    }
  }
  t.match(await roundRow(round.id), { title: 'Beschermd', phase: 'draft' })
  t.equal(await roundCount(), before.rounds)
  t.equal((await listAudit(db)).length, before.audit)
})

t.test('moderators and council members get 403 on every form and POST, change nothing, and read the round without buttons', async (t) => {
  const round = await insertRound('proposing', { title: 'Alleen beheerders' })
  await addProposal(round.id, 'approved')
  const visitors = { moderator: await signedIn('moderator'), council: await signedIn('council') }
  const before = { rounds: await roundCount(), audit: (await listAudit(db)).length }
  for (const [role, v] of Object.entries(visitors)) {
    for (const url of ['/official/rounds/new', `/official/rounds/${round.id}/edit`, `/official/rounds/${round.id}/advance`]) {
      const res = await v.get(url)
      t.equal(res.statusCode, 403, `${role} GET ${url}`)
      t.match(res.body, 'Dit mag u niet doen')
    }
    await v.get('/official')
    const posts: [string, Record<string, string>][] = [
      ['/official/rounds', FORM], [`/official/rounds/${round.id}`, { ...FORM, title: 'Overgenomen' }], [`/official/rounds/${round.id}/advance`, { from: 'proposing' }],
    ]
    for (const [url, form] of posts) t.equal((await v.post(url, form)).statusCode, 403, `${role} POST ${url}`)
    const page = await v.get(`/official/rounds/${round.id}`)
    t.equal(page.statusCode, 200, `${role} reads the management page`)
    t.match(page.body, 'Alleen beheerders')
    t.match(page.body, /<td>Goedgekeurd<\/td><td>1<\/td>/)
    t.notMatch(page.body, '/advance"', 'no advance button')
    t.notMatch(page.body, '/edit"', 'no edit link')
    const dashboard = await v.get('/official')
    t.match(dashboard.body, `href="/official/rounds/${round.id}"`)
    t.notMatch(dashboard.body, '/official/rounds/new', 'no new-round link')
  }
  t.match(await roundRow(round.id), { title: 'Alleen beheerders', phase: 'proposing' })
  t.equal(await roundCount(), before.rounds)
  t.equal((await listAudit(db)).length, before.audit)
})

t.test('an unknown or malformed round id is a 404 on every round page and POST', async (t) => {
  await admin.get('/official')
  for (const id of ['999999', 'abc', '0', '1e3', '-1', '12345678901234567890']) {
    for (const suffix of ['', '/edit', '/advance']) {
      t.equal((await admin.get(`/official/rounds/${id}${suffix}`)).statusCode, 404, `GET ${id}${suffix}`)
    }
    const edit = await admin.post(`/official/rounds/${id}`, FORM)
    t.equal(edit.statusCode, 404, `POST ${id}`)
    t.match(edit.body, 'Deze pagina bestaat niet')
    t.equal((await admin.post(`/official/rounds/${id}/advance`, { from: 'draft' })).statusCode, 404, `POST ${id}/advance`)
  }
  const bad = await admin.post('/official/rounds/1/advance', { from: 'somewhere' })
  t.equal(bad.statusCode, 400, 'a phase that does not exist is a bad request')
})

t.test('HTML in a title is shown as text on the dashboard, the management page, its history and the form', async (t) => {
  const title = '<script>alert("x")</script> & <b>vet</b>'
  const res = await admin.post('/official/rounds', { ...FORM, title })
  const id = idFrom(res.headers.location)
  t.equal((await roundRow(id)).title, title, 'stored as typed')
  t.equal((await roundRow(id)).slug, 'script-alert-x-script-b-vet-b')
  await admin.post(`/official/rounds/${id}`, { ...FORM, title: `${title}!` })
  const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;'
  for (const url of ['/official', `/official/rounds/${id}`, `/official/rounds/${id}/edit`, `/official/rounds/${id}/advance`]) {
    const page = await admin.get(url)
    t.match(page.body, escaped, url)
    t.notMatch(page.body, '<script>alert', url)
    t.notMatch(page.body, '<b>vet', url)
  }
  const history = await admin.get(`/official/rounds/${id}`)
  t.match(history.body, `Titel: van ‘${escaped}’ naar ‘${escaped}!’`)
})

t.test('the management page links to what each role may do in this phase, by the permission table', async (t) => {
  const voting = await insertRound('voting', { title: 'Links tijdens stemmen' })
  const closed = await insertRound('closed', { title: 'Links na sluiten' })
  const moderator = await signedIn('moderator')
  const council = await signedIn('council')
  const links = async (v: typeof admin, id: number) => {
    const body = (await v.get(`/official/rounds/${id}`)).body
    return ['codes', 'paper', 'turnout', 'results'].filter((page) => body.includes(`href="/official/rounds/${id}/${page}"`))
  }
  t.same(await links(admin, voting.id), ['codes', 'paper', 'turnout'])
  t.same(await links(admin, closed.id), ['codes', 'turnout', 'results'])
  t.same(await links(moderator, voting.id), ['paper', 'turnout'])
  t.same(await links(moderator, closed.id), ['turnout'])
  t.same(await links(council, voting.id), ['turnout'])
  t.notMatch((await council.get('/official')).body, 'href="/official/rounds/new"', 'only admins are offered a new round')
  t.match((await admin.get('/official')).body, 'href="/official/rounds/new"')
})
