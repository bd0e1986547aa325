import { randomBytes } from 'node:crypto'
import t from 'tap'
import { asc, count, eq } from 'drizzle-orm'
import { proposalEvents, proposals, rounds } from '../../db/schema.js'
import { seedDemo } from '../../server/data/demo.js'
import { addProposalEvent } from '../../server/data/proposal-events.js'
import { createProposal } from '../../server/data/proposals.js'
import { REFERENCE_PATTERN, validateProposal } from '../../server/domain/proposals/rules.js'
import { testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { html, msg } from '../helpers/html.js'

const { app, db } = await testApp(t)
await seedDemo(db)
const SLUG = 'bospolder-tussendijken'
const [round] = await db.update(rounds).set({ phase: 'proposing' }).where(eq(rounds.slug, SLUG)).returning()

/** Each subtest puts the round in the phase it needs, so none depends on what an earlier one left. */
const inPhase = (phase: 'proposing' | 'reviewing' | 'voting' | 'closed' | 'published') =>
  db.update(rounds).set({ phase }).where(eq(rounds.id, round!.id))

const VALID = {
  title: 'Tochtstrips voor de Schiedamseweg',
  summary: 'Buren plakken samen tochtstrips in 50 woningen.',
  description: 'Op twee zaterdagen gaan we langs.\nWe nemen materiaal mee.',
  cost: '2.500,50',
  track: 'social',
  themes: ['energy-poverty', 'green'],
  location: 'Schiedamseweg',
  kwhPerYear: '12.000',
  co2KgPerYear: '5000',
  households: '50',
  organisation: 'Bewonersgroep Schiedamseweg',
  contactName: 'Fatima Yilmaz',
  contactEmail: 'fatima@example.net',
  contactPhone: '06 12345678',
  consent: 'yes',
}
type Form = Record<keyof typeof VALID, string | string[] | null>

const countProposals = async () => (await db.select({ n: count() }).from(proposals))[0]!.n
const eventsOf = (proposalId: number) =>
  db.select().from(proposalEvents).where(eq(proposalEvents.proposalId, proposalId)).orderBy(asc(proposalEvents.id))
const byToken = async (token: string) => (await db.select().from(proposals).where(eq(proposals.statusToken, token)))[0]!

async function submit(visitor: Visitor, changes: Partial<Form> = {}, slug = SLUG) {
  await visitor.get(`/rounds/${SLUG}/proposals/new`)
  return visitor.post(`/rounds/${slug}/proposals`, { ...VALID, ...changes })
}

/** A visitor who has the proposal form open, so their posts carry a CSRF token. */
async function withForm() {
  const visitor = new Visitor(app)
  await visitor.get(`/rounds/${SLUG}/proposals/new`)
  return visitor
}

/** Submits a valid idea and returns its row and status token. */
async function submitted(changes: Partial<Form> = {}) {
  await inPhase('proposing')
  const res = await submit(new Visitor(app), changes)
  const token = /^\/status\/([\w-]+)$/.exec(String(res.headers.location))![1]!
  return { token, row: await byToken(token) }
}

t.test('in the proposing phase the round page shows a prominent button to send in an idea', async (t) => {
  await inPhase('proposing')
  const res = await new Visitor(app).get(`/rounds/${SLUG}`)
  t.equal(res.statusCode, 200)
  const button = html(res).get('a.proposal-button-large')
  t.equal(button.getAttribute('href'), `/rounds/${SLUG}/proposals/new`)
})

t.test('the form is a plain form with labels, hints, grouped choices and no JavaScript needed', async (t) => {
  await inPhase('proposing')
  const before = await countProposals()
  const page = html(await new Visitor(app).get(`/rounds/${SLUG}/proposals/new`))
  const form = page.form(`/rounds/${SLUG}/proposals`)
  t.equal(form.getAttribute('method'), 'post')
  t.ok(form.querySelector('input[type=hidden][name=_csrf]')?.getAttribute('value'), 'a CSRF token')
  t.ok(page.has('label[for=title]'), 'the title has a label')
  t.same(page.field('title').describedBy, ['title-hint'])
  t.equal(page.get('fieldset.proposal-choices legend').text, msg('proposals.field.track'))
  t.ok(page.has('fieldset input[type=radio][name=track][value=social]'))
  t.ok(page.has('fieldset input[type=checkbox][name=themes][value=green]'))
  t.match(page.text('#cost-hint'), '€ 100.000', 'the hint names the whole budget')
  t.notOk(
    Object.keys(form.attributes).some((name) => name.startsWith('hx-')),
    'the form needs no htmx',
  )
  t.equal(await countProposals(), before, 'looking stores nothing')
})

t.test('a valid idea is stored with its event, and the submitter lands on the private status page', async (t) => {
  await inPhase('proposing')
  const visitor = new Visitor(app)
  const before = Date.now()
  const res = await submit(visitor)
  t.equal(res.statusCode, 303)
  const token = /^\/status\/([\w-]{32})$/.exec(String(res.headers.location))?.[1]
  t.ok(token, 'redirected to the status page by a 32-character token')
  const row = await byToken(token!)
  t.match(row.reference, REFERENCE_PATTERN)
  t.match(row, {
    roundId: round!.id,
    status: 'submitted',
    lang: 'nl',
    title: VALID.title,
    summary: VALID.summary,
    description: VALID.description,
    costCents: 250_050,
    correctedCostCents: null,
    track: 'social',
    themes: ['energy-poverty', 'green'],
    location: 'Schiedamseweg',
    kwhPerYear: 12_000,
    co2KgPerYear: 5_000,
    households: 50,
    organisation: 'Bewonersgroep Schiedamseweg',
    contactName: 'Fatima Yilmaz',
    contactEmail: 'fatima@example.net',
    contactPhone: '06 12345678',
    contactConsent: true,
  })
  t.equal(row.waitingSince?.getTime(), row.submittedAt.getTime())
  t.ok(row.submittedAt.getTime() >= before - 1000)
  t.same(
    (await eventsOf(row.id)).map((e) => e.kind),
    ['submitted'],
  )

  const res2 = await visitor.get(res.headers.location!)
  t.equal(res2.statusCode, 200)
  t.equal(res2.headers['cache-control'], 'no-store')
  t.equal(res2.headers['referrer-policy'], 'no-referrer')
  const page = html(res2)
  t.equal(page.text('.proposal-reference'), row.reference)
  t.match(page.text('h1'), VALID.title)
  t.ok(page.has('.badge--submitted'))
  t.match(page.get('a.proposal-link').getAttribute('href'), new RegExp(`/status/${token}$`), 'the private link to keep')
  t.equal(page.text('.proposal-cost'), '€ 2.500,50')
  t.notOk(page.links.includes(`/status/${token}/edit`), 'no edit button while it waits')
})

t.test('an idea sent in from the English pages is stored with lang en', async (t) => {
  await inPhase('proposing')
  const visitor = new Visitor(app)
  await visitor.get('/language/en?next=/')
  const res = await submit(visitor, { cost: '1,500.25' })
  const row = await byToken(String(res.headers.location).slice('/status/'.length))
  t.equal(row.lang, 'en')
  t.equal(row.costCents, 150_025)
  t.equal(
    html(await visitor.get(res.headers.location!))
      .get('html')
      .getAttribute('lang'),
    'en',
  )
})

t.test(
  'a cost of zero, below zero, a fraction of a cent, over the budget or absurd is refused and nothing is stored',
  async (t) => {
    await inPhase('proposing')
    const cases: [string, string, Record<string, string>?][] = [
      ['0', 'proposals.error.costNotPositive'],
      ['-250', 'proposals.error.costNotPositive'],
      ['1500,125', 'proposals.error.costFraction'],
      ['100.000,01', 'proposals.error.costOverBudget', { max: '€ 100.000' }],
      ['999999999999999', 'proposals.error.costTooLarge'],
      ['twee euro', 'proposals.error.costInvalid'],
      ['', 'proposals.error.required'],
    ]
    const before = await countProposals()
    const visitor = new Visitor(app)
    for (const [cost, key, vars] of cases) {
      const res = await submit(visitor, { cost })
      t.equal(res.statusCode, 422, cost)
      const page = html(res)
      const field = page.field('cost')
      t.equal(field.error, msg(key, vars), cost)
      t.ok(field.invalid, `${cost}: marked invalid`)
      t.same(field.describedBy, ['cost-hint', 'cost-error'])
      t.equal(field.value, cost, 'the cost comes back as typed')
      t.equal(page.field('title').value, VALID.title, 'the other fields come back too')
      t.ok(page.has('#error-summary a[href="#cost"]'), 'the summary links to the field')
    }
    t.equal(await countProposals(), before)
  },
)

t.test('over-long fields are refused with a message at each one, and everything typed comes back', async (t) => {
  await inPhase('proposing')
  const before = await countProposals()
  const long = (n: number) => 'x'.repeat(n)
  const res = await submit(new Visitor(app), {
    title: long(121),
    summary: long(301),
    description: long(5001),
    location: long(201),
    organisation: long(121),
    contactName: long(121),
    contactEmail: `${long(250)}@x.nl`,
    contactPhone: '0'.repeat(31),
  })
  t.equal(res.statusCode, 422)
  const page = html(res)
  t.match(page.title, msg('form.errorTitle', { title: msg('proposals.new.title') }))
  for (const [field, max] of [
    ['title', '120'],
    ['summary', '300'],
    ['description', '5.000'],
    ['location', '200'],
    ['organisation', '120'],
    ['contactName', '120'],
    ['contactEmail', '254'],
    ['contactPhone', '30'],
  ] as const) {
    t.equal(page.field(field).error, msg('proposals.error.tooLong', { max }), field)
    t.ok(page.has(`#error-summary a[href="#${field}"]`), `${field} in the error summary`)
  }
  t.equal(page.field('description').value, long(5001))
  t.equal(await countProposals(), before)
})

t.test('wrong types are refused: an unknown theme or track, a list where text is expected', async (t) => {
  await inPhase('proposing')
  const before = await countProposals()
  const visitor = new Visitor(app)
  const cases: [Partial<Form>, string, string, Record<string, string>?][] = [
    [{ themes: ['green', 'nuclear'] }, 'themes', 'proposals.error.themesInvalid'],
    [{ themes: null }, 'themes', 'proposals.error.themesRequired'],
    [{ track: 'nuclear' }, 'track', 'proposals.error.trackInvalid'],
    [{ track: null }, 'track', 'proposals.error.trackRequired'],
    [{ title: ['een', 'twee'] }, 'title', 'proposals.error.invalid'],
    [{ cost: ['10', '20'] }, 'cost', 'proposals.error.invalid'],
    [{ kwhPerYear: '-5' }, 'kwhPerYear', 'proposals.error.wholeNumber'],
    [{ households: '1000000' }, 'households', 'proposals.error.numberTooLarge', { max: '100.000' }],
  ]
  for (const [changes, field, key, vars] of cases) {
    const res = await submit(visitor, changes)
    t.equal(res.statusCode, 422, JSON.stringify(changes))
    t.equal(html(res).text(`#${field}-error`), msg(key, vars), JSON.stringify(changes))
  }
  const unknownTheme = html(await submit(visitor, { themes: ['green', 'nuclear'] }))
  t.same(unknownTheme.checked('themes'), ['green'], 'the valid choice stays ticked')
  t.equal(await countProposals(), before)
})

t.test('without a way to reach the submitter, or without consent, the idea is refused', async (t) => {
  await inPhase('proposing')
  const before = await countProposals()
  const visitor = new Visitor(app)
  const noContact = await submit(visitor, { contactEmail: '', contactPhone: '' })
  t.equal(noContact.statusCode, 422)
  t.equal(html(noContact).field('contactEmail').error, msg('proposals.error.contactRequired'))
  const noConsent = await submit(visitor, { consent: null })
  t.equal(noConsent.statusCode, 422)
  const consent = html(noConsent).field('consent')
  t.equal(consent.error, msg('proposals.error.consentRequired'))
  t.ok(consent.invalid)
  t.same(consent.describedBy, ['consent-error'])
  const badEmail = html(await submit(visitor, { contactEmail: 'fatima.example.net', contactPhone: 'bel me' }))
  t.equal(badEmail.field('contactEmail').error, msg('proposals.error.emailInvalid'))
  t.equal(badEmail.field('contactPhone').error, msg('proposals.error.phoneInvalid'))
  const noName = html(await submit(visitor, { contactName: '   ' }))
  t.equal(noName.field('contactName').error, msg('proposals.error.required'))
  t.equal(await countProposals(), before)
  const phoneOnly = await submit(visitor, { contactEmail: '', contactPhone: '+31 6 1234 5678' })
  t.equal(phoneOnly.statusCode, 303, 'a phone number alone is enough')
  t.equal(await countProposals(), before + 1)
})

t.test('HTML and script typed in title and description are shown as text on every page', async (t) => {
  const { token, row } = await submitted({
    title: '<script>alert(1)</script>',
    description: '<img src=x onerror=alert(2)>',
  })
  t.equal(row.title, '<script>alert(1)</script>', 'stored as typed')
  const visitor = new Visitor(app)
  for (const url of [`/status/${token}`, `/proposals/${row.reference}`, `/rounds/${SLUG}`]) {
    const res = await visitor.get(url)
    t.equal(res.statusCode, 200, url)
    const page = html(res)
    t.match(page.text('main'), '<script>alert(1)</script>', `${url}: shown as text`)
    t.notOk(
      page.all('script').some((s) => s.text.includes('alert(1)')),
      `${url}: no script element`,
    )
    t.notOk(page.has('img[onerror]'), `${url}: no image with a handler`)
  }
})

t.test('outside the proposing phase the form says sending in is closed, and a post stores nothing', async (t) => {
  const before = await countProposals()
  for (const phase of ['reviewing', 'voting', 'closed', 'published'] as const) {
    await inPhase('proposing')
    const visitor = await withForm()
    await inPhase(phase)
    const res = await visitor.get(`/rounds/${SLUG}/proposals/new`)
    t.equal(res.statusCode, 409, phase)
    const page = html(res)
    t.equal(page.text('h1'), msg('proposals.closed.title'))
    t.notOk(page.has('[name=title]'), 'no form')
    t.notOk(
      html(await visitor.get(`/rounds/${SLUG}`)).has('a.proposal-button-large[href$="/proposals/new"]'),
      `no button while ${phase}`,
    )
    const post = await visitor.post(`/rounds/${SLUG}/proposals`, VALID)
    t.equal(post.statusCode, 409, phase)
    t.equal(html(post).text('h1'), msg('proposals.closed.title'))
  }
  t.equal(await countProposals(), before)
})

t.test('a round that does not exist, or is still a draft, has no form and takes no ideas', async (t) => {
  await inPhase('proposing')
  await db
    .insert(rounds)
    .values({ slug: 'concept', title: 'Concept', neighbourhood: 'Oude Westen', budgetCents: 5_000_000 })
  const before = await countProposals()
  const visitor = new Visitor(app)
  for (const slug of ['bestaat-niet', 'concept', 'x'.repeat(100)]) {
    const page = await visitor.get(`/rounds/${slug}/proposals/new`)
    t.equal(page.statusCode, 404, slug)
    t.equal(html(page).text('h1'), msg('errors.notFound'))
    t.equal((await submit(visitor, {}, slug)).statusCode, 404, slug)
  }
  t.equal(await countProposals(), before)
})

t.test('a form without its CSRF token is refused with 403 and nothing is stored', async (t) => {
  await inPhase('proposing')
  const before = await countProposals()
  const visitor = new Visitor(app)
  await visitor.get(`/rounds/${SLUG}/proposals/new`)
  const res = await visitor.post(`/rounds/${SLUG}/proposals`, { ...VALID, _csrf: null })
  t.equal(res.statusCode, 403)
  t.equal(html(res).text('h1'), msg('errors.csrf'))
  const stranger = await new Visitor(app).post(`/rounds/${SLUG}/proposals`, { ...VALID, _csrf: 'forged' })
  t.equal(stranger.statusCode, 403)
  t.equal(await countProposals(), before)
})

t.test('a body over 100 KB gets a friendly 413 and nothing is stored', async (t) => {
  await inPhase('proposing')
  const before = await countProposals()
  const res = await submit(new Visitor(app), { description: 'a'.repeat(101 * 1024) })
  t.equal(res.statusCode, 413)
  t.equal(html(res).text('h1'), msg('errors.tooLarge'))
  t.equal(await countProposals(), before)
})

t.test('a guessed, malformed or public reference used as status token is a 404', async (t) => {
  const { token, row } = await submitted()
  const visitor = await withForm()
  const changed = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
  for (const guess of [
    randomBytes(24).toString('base64url'),
    changed,
    row.reference,
    'abc',
    'x'.repeat(99),
    `${token}x`,
  ]) {
    const res = await visitor.get(`/status/${guess}`)
    t.equal(res.statusCode, 404, guess)
    const page = html(res)
    t.equal(page.text('h1'), msg('errors.notFound'))
    t.notMatch(page.text(), row.title)
    t.equal((await visitor.get(`/status/${guess}/edit`)).statusCode, 404)
    t.equal((await visitor.post(`/status/${guess}`, VALID)).statusCode, 404)
  }
  t.match(await byToken(token), { title: row.title, status: 'submitted' })
})

t.test('an approved, rejected or waiting idea cannot be edited, and nothing changes', async (t) => {
  const { token, row } = await submitted()
  const visitor = await withForm()
  for (const status of ['submitted', 'approved', 'rejected'] as const) {
    await db.update(proposals).set({ status }).where(eq(proposals.id, row.id))
    t.notOk(
      html(await visitor.get(`/status/${token}`)).links.includes(`/status/${token}/edit`),
      `${status}: no edit button`,
    )
    const edit = await visitor.get(`/status/${token}/edit`)
    t.equal(edit.statusCode, 409, status)
    t.equal(html(edit).text('main p'), msg(`proposals.locked.${status}`))
    const post = await visitor.post(`/status/${token}`, { ...VALID, title: 'Stiekem veranderd' })
    t.equal(post.statusCode, 409, status)
    t.equal(html(post).text('main p'), msg(`proposals.locked.${status}`))
    t.equal(post.headers['cache-control'], 'no-store')
  }
  t.match(await byToken(token), { title: VALID.title, status: 'rejected' })
  t.same(
    (await eventsOf(row.id)).map((e) => e.kind),
    ['submitted'],
  )
})

t.test('when changes are asked the submitter edits the idea and it waits for an answer again, once', async (t) => {
  const { token, row } = await submitted()
  await db.update(proposals).set({ status: 'needs_changes', waitingSince: null }).where(eq(proposals.id, row.id))
  await addProposalEvent(db, { proposalId: row.id, kind: 'changes_requested', message: 'Hoeveel buren doen al mee?' })
  const visitor = new Visitor(app)

  const status = html(await visitor.get(`/status/${token}`))
  t.ok(status.has('.badge--needs_changes'))
  t.same(status.texts('.proposal-history-item .proposal-text'), [
    `${msg('proposals.eventMessage.changes_requested')} Hoeveel buren doen al mee?`,
  ])
  t.ok(status.links.includes(`/status/${token}/edit`), 'a link to change the idea')

  const edit = await visitor.get(`/status/${token}/edit`)
  t.equal(edit.statusCode, 200)
  t.equal(edit.headers['cache-control'], 'no-store')
  const form = html(edit)
  t.match(form.fields(form.form(`/status/${token}`)), {
    title: VALID.title,
    cost: '2500,50',
    kwhPerYear: '12000',
    track: 'social',
    contactEmail: 'fatima@example.net',
    consent: 'yes',
  })

  const invalid = await visitor.post(`/status/${token}`, { ...VALID, title: '' })
  t.equal(invalid.statusCode, 422)
  t.ok(html(invalid).form(`/status/${token}`), 'the same form again')
  t.match(await byToken(token), { status: 'needs_changes', title: VALID.title })

  const changed = { ...VALID, title: 'Tochtstrips, nu met 20 buren', cost: '3000' }
  const beforeSave = Date.now()
  const saved = await visitor.post(`/status/${token}`, changed)
  t.equal(saved.statusCode, 303)
  t.equal(saved.headers.location, `/status/${token}`)
  const after = await byToken(token)
  t.match(after, {
    status: 'submitted',
    title: 'Tochtstrips, nu met 20 buren',
    costCents: 300_000,
    reference: row.reference,
  })
  t.ok(after.waitingSince && after.waitingSince.getTime() >= beforeSave, 'the waiting clock restarted')
  t.equal(after.submittedAt.getTime(), row.submittedAt.getTime(), 'the first submission date stays')
  t.same(
    (await eventsOf(row.id)).map((e) => e.kind),
    ['submitted', 'changes_requested', 'resubmitted'],
  )
  t.ok(
    html(await visitor.get(`/status/${token}`))
      .texts('.proposal-history-item strong')
      .includes(msg('proposals.event.resubmitted')),
  )

  const replay = await visitor.post(`/status/${token}`, { ...changed, title: 'Nog een keer' })
  t.equal(replay.statusCode, 409)
  t.equal((await byToken(token)).title, 'Tochtstrips, nu met 20 buren')
  t.equal((await eventsOf(row.id)).filter((e) => e.kind === 'resubmitted').length, 1)
})

t.test('changes asked after the review phase can no longer be made', async (t) => {
  const { token, row } = await submitted()
  await db.update(proposals).set({ status: 'needs_changes' }).where(eq(proposals.id, row.id))
  const visitor = await withForm()
  await inPhase('voting')
  t.notOk(html(await visitor.get(`/status/${token}`)).links.includes(`/status/${token}/edit`))
  const post = await visitor.post(`/status/${token}`, VALID)
  t.equal(post.statusCode, 409)
  t.equal(html(post).text('main p'), msg('proposals.locked.needs_changes'))
  t.equal((await byToken(token)).status, 'needs_changes')
})

t.test(
  'the public page shows status, cost, correction, facts and decisions, but never contact details or the token',
  async (t) => {
    const { token, row } = await submitted()
    await addProposalEvent(db, {
      proposalId: row.id,
      kind: 'changes_requested',
      message: 'PRIVE-VRAAG aan de indiener',
    })
    await addProposalEvent(db, {
      proposalId: row.id,
      kind: 'cost_corrected',
      message: 'De offerte van de leverancier is hoger.',
    })
    await addProposalEvent(db, { proposalId: row.id, kind: 'approved' })
    await db
      .update(proposals)
      .set({
        status: 'approved',
        correctedCostCents: 320_000,
        costJustification: 'De offerte van de leverancier is hoger.',
      })
      .where(eq(proposals.id, row.id))

    const visitor = new Visitor(app)
    const res = await visitor.get(`/proposals/${row.reference.toLowerCase()}`)
    t.equal(res.statusCode, 200)
    const page = html(res)
    t.equal(page.text('h1'), VALID.title)
    t.equal(page.get('h1').getAttribute('lang'), 'nl', 'the title carries the language it was written in')
    t.ok(page.has('.badge--approved'))
    t.equal(page.text('.proposal-cost'), '€ 3.200')
    t.ok(
      page.texts('main p').includes(msg('proposals.detail.correctedFrom', { original: '€ 2.500,50' })),
      'the first estimate',
    )
    t.ok(
      page.texts('main p').includes(`${msg('proposals.detail.justification')} De offerte van de leverancier is hoger.`),
      'why it changed',
    )
    const facts = Object.fromEntries(
      page.all('dl.facts > div').map((d) => [d.querySelector('dt')!.text.trim(), d.querySelector('dd')!.text.trim()]),
    )
    t.match(facts, {
      [msg('proposal.track')]: msg('track.social'),
      [msg('proposals.detail.location')]: 'Schiedamseweg',
      [msg('proposals.detail.kwhPerYear')]: '12.000',
    })
    t.ok(page.texts('.tags .tag').includes(msg('theme.energy-poverty')))
    t.ok(page.texts('main p').includes(msg('proposal.by', { organisation: 'Bewonersgroep Schiedamseweg' })))
    t.ok(page.texts('.proposal-history-item strong').includes(msg('proposals.event.changes_requested')))
    t.notMatch(page.text(), 'PRIVE-VRAAG', 'what was asked of the submitter stays private')
    t.match(html(await visitor.get(`/status/${token}`)).text(), 'PRIVE-VRAAG', 'the submitter reads it')

    for (const url of [`/proposals/${row.reference}`, `/rounds/${SLUG}`, `/rounds/${SLUG}?theme=green`]) {
      const body = (await visitor.get(url)).body
      for (const secret of [token, 'Fatima Yilmaz', 'fatima@example.net', '06 12345678'])
        t.notMatch(body, secret, `${url}: ${secret}`)
    }
  },
)

t.test('a rejected or merged idea shows why, with a link to the idea it was merged into', async (t) => {
  const target = await submitted({ title: 'Het grote tochtstrip-plan' })
  const { token, row } = await submitted({ title: 'Dubbel idee' })
  await addProposalEvent(db, { proposalId: row.id, kind: 'merged', message: 'Hetzelfde als een ander idee.' })
  await db.update(proposals).set({ status: 'rejected', duplicateOfId: target.row.id }).where(eq(proposals.id, row.id))
  const visitor = new Visitor(app)
  for (const url of [`/proposals/${row.reference}`, `/status/${token}`]) {
    const page = html(await visitor.get(url))
    const merged = page
      .all('.proposal-history-item')
      .find((li) => li.querySelector('strong')?.text === msg('proposals.event.merged'))
    t.ok(merged, `${url}: the merge in the history`)
    t.equal(
      merged?.querySelector('.proposal-text')?.text,
      `${msg('proposals.eventMessage.merged')} Hetzelfde als een ander idee.`,
      url,
    )
    const link = page.find(`main a[href="/proposals/${target.row.reference}"]`)
    t.equal(link?.text, 'Het grote tochtstrip-plan', `${url}: a link to the idea it joined`)
  }
})

t.test('an unknown reference is a 404', async (t) => {
  const visitor = new Visitor(app)
  for (const reference of ['WB-ZZZZZZ', 'x'.repeat(60)]) {
    const res = await visitor.get(`/proposals/${reference}`)
    t.equal(res.statusCode, 404, reference)
    t.equal(html(res).text('h1'), msg('errors.notFound'))
  }
})

const cardTitles = (page: ReturnType<typeof html>, selector = '#proposal-list') =>
  page.texts(`${selector} .card__title`)

t.test('the round page filters ideas by theme and track with a plain GET form', async (t) => {
  await inPhase('proposing')
  const visitor = new Visitor(app)
  const page = html(await visitor.get(`/rounds/${SLUG}`))
  const form = page.get('form.proposal-filters')
  t.match(form.attributes, {
    method: 'get',
    action: `/rounds/${SLUG}`,
    'hx-get': `/rounds/${SLUG}`,
    'hx-target': '#proposal-list',
    'hx-push-url': 'true',
  })
  const sections = page.get('#proposal-list').querySelectorAll('ul.cards')
  t.equal(sections.length, 2, 'approved and waiting ideas, then the rejected ones')
  t.ok(sections[1]!.text.includes('Gratis energiekastje voor iedereen'), 'rejected ideas in their own section')
  t.notOk(sections[0]!.text.includes('Gratis energiekastje'), 'and not among the others')

  const green = await visitor.get(`/rounds/${SLUG}?theme=green&track=`)
  t.equal(green.statusCode, 200)
  t.ok(cardTitles(html(green)).includes('Groene daken op bushokjes'))
  t.notOk(cardTitles(html(green)).includes('Energiecoaches in je eigen taal'))
  t.equal(html(green).fields(html(green).get('form.proposal-filters')).theme, 'green')

  const both = cardTitles(html(await visitor.get(`/rounds/${SLUG}?theme=green&track=spatial`)))
  t.ok(both.includes('Groene daken op bushokjes'))
  t.ok(both.includes('Buurtmoestuin met regenton'))
  t.notOk(both.includes('Warmtescan van 200 woningen'), 'green but financial-technical')
  t.notOk(both.includes('Gratis energiekastje voor iedereen'))

  const none = html(await visitor.get(`/rounds/${SLUG}?theme=ageing&track=spatial`))
  t.same(cardTitles(none), [])
  t.match(none.text('#proposal-list'), msg('proposals.list.noMatch'))
  t.equal(none.text('#proposal-count'), msg('proposals.list.count', { count: 0 }))

  const unknown = await visitor.get(`/rounds/${SLUG}?theme=nuclear&track=rockets`)
  t.equal(unknown.statusCode, 200, 'an unknown value means all, so an old link still works')
  t.equal(cardTitles(html(unknown)).length, await countProposals())
  t.equal(html(unknown).text('#proposal-count'), msg('proposals.list.count', { count: await countProposals() }))

  t.equal(
    (await visitor.get(`/rounds/${SLUG}?theme=green&theme=social`)).statusCode,
    400,
    'two values for one filter is not a form we sent',
  )
})

t.test('htmx gets only the list partial, and the response varies on HX-Request', async (t) => {
  await inPhase('proposing')
  const visitor = new Visitor(app)
  const res = await visitor.get(`/rounds/${SLUG}?theme=green`, { 'hx-request': 'true' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.vary, 'HX-Request, Accept-Language, Cookie')
  const fragment = html(res)
  t.notOk(fragment.has('html'), 'no page around it')
  t.notOk(fragment.has('form.proposal-filters'), 'not the form around the list')
  t.equal(fragment.root.querySelector('*')?.id, 'proposal-count', 'the count comes first')
  t.equal(fragment.get('#proposal-count').getAttribute('hx-swap-oob'), 'true', 'and updates out of band')
  t.match(fragment.text('#proposal-count'), /\d+/)
  const titles = fragment.texts('.card__title')
  t.ok(titles.includes('Groene daken op bushokjes'))
  t.notOk(titles.includes('Energiecoaches in je eigen taal'))
  for (const header of ['hx-boosted', 'hx-history-restore-request']) {
    const full = html(await visitor.get(`/rounds/${SLUG}?theme=green`, { 'hx-request': 'true', [header]: 'true' }))
    t.ok(full.has('html'), `${header}: the whole page`)
  }
})

t.test('a reference already taken is tried again with another; nothing half-stored', async (t) => {
  const { row } = await submitted()
  const result = validateProposal({ ...VALID, themes: ['green'], consent: true }, round!.budgetCents)
  if (!('fields' in result)) throw new Error('fixture must be valid')
  const offered = [row.reference, 'WB-2345AB']
  const created = await createProposal(
    db,
    { roundId: round!.id, openIn: [round!.phase], lang: 'nl', fields: result.fields, now: new Date() },
    () => offered.shift()!,
  )
  t.equal(created?.reference, 'WB-2345AB')
  const [stored] = await db.select().from(proposals).where(eq(proposals.reference, 'WB-2345AB'))
  t.same(
    (await eventsOf(stored!.id)).map((e) => e.kind),
    ['submitted'],
  )
  t.equal((await db.select().from(proposals).where(eq(proposals.reference, row.reference))).length, 1)
})
