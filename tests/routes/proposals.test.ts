import { randomBytes } from 'node:crypto'
import t from 'tap'
import { asc, count, eq } from 'drizzle-orm'
import { proposalEvents, proposals, rounds } from '../../db/schema.js'
import { seedDemo } from '../../db/seed.js'
import { addProposalEvent } from '../../server/data/proposal-events.js'
import { createProposal } from '../../server/data/proposals.js'
import { REFERENCE_PATTERN, validateProposal } from '../../server/domain/proposal-rules.js'
import { testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'

const { app, db } = await testApp(t)
await seedDemo(db)
const SLUG = 'bospolder-tussendijken'
const [round] = await db.update(rounds).set({ phase: 'proposing' }).where(eq(rounds.slug, SLUG)).returning()

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
  const res = await submit(new Visitor(app), changes)
  const token = /^\/status\/([\w-]+)$/.exec(String(res.headers.location))![1]!
  return { token, row: await byToken(token) }
}

t.test('in the proposing phase the round page shows a prominent button to send in an idea', async (t) => {
  const res = await new Visitor(app).get(`/rounds/${SLUG}`)
  t.equal(res.statusCode, 200)
  t.match(res.body, `<a class="button proposal-button-large" href="/rounds/${SLUG}/proposals/new">Stuur uw idee in</a>`)
  t.equal(round!.phase, 'proposing')
})

t.test('the form is a plain form with labels, hints, grouped choices and no JavaScript needed', async (t) => {
  const res = await new Visitor(app).get(`/rounds/${SLUG}/proposals/new`)
  t.equal(res.statusCode, 200)
  t.match(res.body, `<form method="post" action="/rounds/${SLUG}/proposals"`)
  t.match(res.body, 'name="_csrf"')
  t.match(res.body, '<label for="title">Titel</label>')
  t.match(res.body, 'aria-describedby="title-hint"')
  t.match(res.body, /<fieldset class="proposal-choices"[^>]*>\s*<legend>Wat voor project is het\?<\/legend>/)
  t.match(res.body, '<input type="radio" id="track-social" name="track" value="social"')
  t.match(res.body, '<input type="checkbox" id="themes-green" name="themes" value="green"')
  t.match(res.body, /Het hele budget is €\s100\.000\./)
  t.notMatch(res.body, /<form[^>]*hx-/, 'the form needs no htmx')
  t.equal(await countProposals(), 10, 'looking stores nothing')
})

t.test('a valid idea is stored with its event, and the submitter lands on the private status page', async (t) => {
  const visitor = new Visitor(app)
  const before = Date.now()
  const res = await submit(visitor)
  t.equal(res.statusCode, 303)
  const token = /^\/status\/([\w-]{32})$/.exec(String(res.headers.location))?.[1]
  t.ok(token, 'redirected to the status page by a 32-character token')
  const row = await byToken(token!)
  t.match(row.reference, REFERENCE_PATTERN)
  t.match(row, {
    roundId: round!.id, status: 'submitted', lang: 'nl', title: VALID.title, summary: VALID.summary, description: VALID.description,
    costCents: 250_050, correctedCostCents: null, track: 'social', themes: ['energy-poverty', 'green'], location: 'Schiedamseweg',
    kwhPerYear: 12_000, co2KgPerYear: 5_000, households: 50, organisation: 'Bewonersgroep Schiedamseweg',
    contactName: 'Fatima Yilmaz', contactEmail: 'fatima@example.net', contactPhone: '06 12345678', contactConsent: true,
  })
  t.equal(row.waitingSince?.getTime(), row.submittedAt.getTime())
  t.ok(row.submittedAt.getTime() >= before - 1000)
  t.same((await eventsOf(row.id)).map((e) => e.kind), ['submitted'])

  const page = await visitor.get(res.headers.location!)
  t.equal(page.statusCode, 200)
  t.equal(page.headers['cache-control'], 'no-store')
  t.equal(page.headers['referrer-policy'], 'no-referrer')
  t.match(page.body, row.reference)
  t.match(page.body, VALID.title)
  t.match(page.body, 'We hebben uw idee ontvangen')
  t.match(page.body, 'Bewaar deze link')
  t.match(page.body, `/status/${token}</a>`)
  t.match(page.body, /€\s2\.500,50/)
  t.notMatch(page.body, 'Verander mijn idee', 'no edit button while it waits')
})

t.test('an idea sent in from the English pages is stored with lang en', async (t) => {
  const visitor = new Visitor(app)
  await visitor.get('/language/en?next=/')
  const res = await submit(visitor, { cost: '1,500.25' })
  const row = await byToken(String(res.headers.location).slice('/status/'.length))
  t.equal(row.lang, 'en')
  t.equal(row.costCents, 150_025)
  t.match((await visitor.get(res.headers.location!)).body, 'We have received your idea')
})

t.test('a cost of zero, below zero, a fraction of a cent, over the budget or absurd is refused and nothing is stored', async (t) => {
  const cases: [string, RegExp][] = [
    ['0', /De kosten moeten meer zijn dan 0 euro/],
    ['-250', /De kosten moeten meer zijn dan 0 euro/],
    ['1500,125', /hoogstens twee cijfers na de komma/],
    ['100.000,01', /meer dan het hele budget van €\s100\.000/],
    ['999999999999999', /Dit bedrag is veel te hoog/],
    ['twee euro', /Schrijf een bedrag in euro/],
    ['', /Vul dit in/],
  ]
  const before = await countProposals()
  const visitor = new Visitor(app)
  for (const [cost, message] of cases) {
    const res = await submit(visitor, { cost })
    t.equal(res.statusCode, 422, cost)
    t.match(res.body, message, cost)
    t.match(res.body, /<input id="cost" name="cost" type="text" value="[^"]*"[^>]* aria-invalid="true" aria-describedby="cost-hint cost-error">/)
    t.match(res.body, `value="${cost}"`, 'the cost comes back as typed')
    t.match(res.body, `value="${VALID.title}"`, 'the other fields come back too')
    t.match(res.body, '<a href="#cost">Kosten:')
  }
  t.equal(await countProposals(), before)
})

t.test('over-long fields are refused with a message at each one, and everything typed comes back', async (t) => {
  const before = await countProposals()
  const long = (n: number) => 'x'.repeat(n)
  const res = await submit(new Visitor(app), {
    title: long(121), summary: long(301), description: long(5001), location: long(201), organisation: long(121),
    contactName: long(121), contactEmail: `${long(250)}@x.nl`, contactPhone: '0'.repeat(31),
  })
  t.equal(res.statusCode, 422)
  t.match(res.body, '<title>Fout: Stuur uw idee in · Wijkbudget</title>')
  for (const [field, max] of [['title', '120'], ['summary', '300'], ['description', '5.000'], ['location', '200'], ['organisation', '120'],
    ['contactName', '120'], ['contactEmail', '254'], ['contactPhone', '30']] as const) {
    t.match(res.body, `<p class="field__error" id="${field}-error">Dit is te lang. Gebruik hoogstens ${max} tekens.</p>`, field)
    t.match(res.body, `<a href="#${field}">`, `${field} in the error summary`)
  }
  t.match(res.body, `>${long(5001)}</textarea>`)
  t.equal(await countProposals(), before)
})

t.test('wrong types are refused: an unknown theme or track, a list where text is expected', async (t) => {
  const before = await countProposals()
  const visitor = new Visitor(app)
  const cases: [Partial<Form>, string][] = [
    [{ themes: ['green', 'nuclear'] }, 'Kies alleen thema’s uit de lijst.'],
    [{ themes: null }, 'Kies minstens één thema.'],
    [{ track: 'nuclear' }, 'Kies een van de soorten project uit de lijst.'],
    [{ track: null }, 'Kies wat voor project het is.'],
    [{ title: ['een', 'twee'] }, '<p class="field__error" id="title-error">Dit klopt niet. Kijk het na.</p>'],
    [{ cost: ['10', '20'] }, '<p class="field__error" id="cost-error">Dit klopt niet. Kijk het na.</p>'],
    [{ kwhPerYear: '-5' }, 'Schrijf een heel getal'],
    [{ households: '1000000' }, 'Dit getal is te hoog. Het hoogste is 100.000.'],
  ]
  for (const [changes, message] of cases) {
    const res = await submit(visitor, changes)
    t.equal(res.statusCode, 422, JSON.stringify(changes))
    t.match(res.body, message, JSON.stringify(changes))
  }
  const unknownTheme = await submit(visitor, { themes: ['green', 'nuclear'] })
  t.match(unknownTheme.body, 'id="themes-green" name="themes" value="green" checked', 'the valid choice stays ticked')
  t.equal(await countProposals(), before)
})

t.test('without a way to reach the submitter, or without consent, the idea is refused', async (t) => {
  const before = await countProposals()
  const visitor = new Visitor(app)
  const noContact = await submit(visitor, { contactEmail: '', contactPhone: '' })
  t.equal(noContact.statusCode, 422)
  t.match(noContact.body, 'Vul een e-mailadres of een telefoonnummer in')
  const noConsent = await submit(visitor, { consent: null })
  t.equal(noConsent.statusCode, 422)
  t.match(noConsent.body, '<p class="field__error" id="consent-error">Zet hier een vinkje.')
  t.match(noConsent.body, 'aria-invalid="true" aria-describedby="consent-error"')
  const badEmail = await submit(visitor, { contactEmail: 'fatima.example.net', contactPhone: 'bel me' })
  t.match(badEmail.body, 'Dit e-mailadres klopt niet')
  t.match(badEmail.body, 'Gebruik alleen cijfers, spaties en een +')
  const noName = await submit(visitor, { contactName: '   ' })
  t.match(noName.body, '<p class="field__error" id="contactName-error">Vul dit in.</p>')
  t.equal(await countProposals(), before)
  const phoneOnly = await submit(visitor, { contactEmail: '', contactPhone: '+31 6 1234 5678' })
  t.equal(phoneOnly.statusCode, 303, 'a phone number alone is enough')
  t.equal(await countProposals(), before + 1)
})

t.test('HTML and script typed in title and description are shown as text on every page', async (t) => {
  const { token, row } = await submitted({ title: '<script>alert(1)</script>', description: '<img src=x onerror=alert(2)>' })
  t.equal(row.title, '<script>alert(1)</script>', 'stored as typed')
  const visitor = new Visitor(app)
  for (const url of [`/status/${token}`, `/proposals/${row.reference}`, `/rounds/${SLUG}`]) {
    const res = await visitor.get(url)
    t.equal(res.statusCode, 200, url)
    t.match(res.body, '&lt;script&gt;alert(1)&lt;/script&gt;', url)
    t.notMatch(res.body, '<script>alert(1)', url)
    t.notMatch(res.body, '<img src=x', url)
  }
})

t.test('outside the proposing phase the form says sending in is closed, and a post stores nothing', async (t) => {
  const before = await countProposals()
  for (const phase of ['reviewing', 'voting', 'closed', 'published'] as const) {
    await db.update(rounds).set({ phase: 'proposing' }).where(eq(rounds.id, round!.id))
    const visitor = await withForm()
    await db.update(rounds).set({ phase }).where(eq(rounds.id, round!.id))
    const page = await visitor.get(`/rounds/${SLUG}/proposals/new`)
    t.equal(page.statusCode, 409, phase)
    t.match(page.body, 'U kunt nu geen ideeën insturen')
    t.notMatch(page.body, 'name="title"')
    t.notMatch((await visitor.get(`/rounds/${SLUG}`)).body, 'Stuur uw idee in', `no button while ${phase}`)
    const post = await visitor.post(`/rounds/${SLUG}/proposals`, VALID)
    t.equal(post.statusCode, 409, phase)
    t.match(post.body, 'Ideeën insturen voor Wijkbudget Energie Bospolder-Tussendijken is gesloten')
  }
  await db.update(rounds).set({ phase: 'proposing' }).where(eq(rounds.id, round!.id))
  t.equal(await countProposals(), before)
})

t.test('a round that does not exist, or is still a draft, has no form and takes no ideas', async (t) => {
  await db.insert(rounds).values({ slug: 'concept', title: 'Concept', neighbourhood: 'Oude Westen', budgetCents: 5_000_000 })
  const before = await countProposals()
  const visitor = new Visitor(app)
  for (const slug of ['bestaat-niet', 'concept', 'x'.repeat(100)]) {
    const page = await visitor.get(`/rounds/${slug}/proposals/new`)
    t.equal(page.statusCode, 404, slug)
    t.match(page.body, 'Deze pagina bestaat niet')
    t.equal((await submit(visitor, {}, slug)).statusCode, 404, slug)
  }
  t.equal(await countProposals(), before)
})

t.test('a form without its CSRF token is refused with 403 and nothing is stored', async (t) => {
  const before = await countProposals()
  const visitor = new Visitor(app)
  await visitor.get(`/rounds/${SLUG}/proposals/new`)
  const res = await visitor.post(`/rounds/${SLUG}/proposals`, { ...VALID, _csrf: null })
  t.equal(res.statusCode, 403)
  t.match(res.body, 'Dit formulier is verlopen')
  const stranger = await new Visitor(app).post(`/rounds/${SLUG}/proposals`, { ...VALID, _csrf: 'forged' })
  t.equal(stranger.statusCode, 403)
  t.equal(await countProposals(), before)
})

t.test('a body over 100 KB gets a friendly 413 and nothing is stored', async (t) => {
  const before = await countProposals()
  const res = await submit(new Visitor(app), { description: 'a'.repeat(101 * 1024) })
  t.equal(res.statusCode, 413)
  t.match(res.body, 'Dit is te veel tekst')
  t.match(res.body, 'Maak uw tekst korter')
  t.equal(await countProposals(), before)
})

t.test('a guessed, malformed or public reference used as status token is a 404', async (t) => {
  const { token, row } = await submitted()
  const visitor = await withForm()
  const changed = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
  for (const guess of [randomBytes(24).toString('base64url'), changed, row.reference, 'abc', 'x'.repeat(99), `${token}x`]) {
    const res = await visitor.get(`/status/${guess}`)
    t.equal(res.statusCode, 404, guess)
    t.match(res.body, 'Deze pagina bestaat niet')
    t.notMatch(res.body, row.title)
    t.equal((await visitor.get(`/status/${guess}/edit`)).statusCode, 404)
    t.equal((await visitor.post(`/status/${guess}`, VALID)).statusCode, 404)
  }
  t.match(await byToken(token), { title: row.title, status: 'submitted' })
})

t.test('an approved, rejected or waiting idea cannot be edited, and nothing changes', async (t) => {
  const { token, row } = await submitted()
  const visitor = await withForm()
  const cases = [['submitted', 'Uw idee wacht op de gemeente'], ['approved', 'Uw idee is goedgekeurd'], ['rejected', 'Er is een besluit genomen']] as const
  for (const [status, message] of cases) {
    await db.update(proposals).set({ status }).where(eq(proposals.id, row.id))
    const page = await visitor.get(`/status/${token}`)
    t.notMatch(page.body, 'Verander mijn idee', status)
    const edit = await visitor.get(`/status/${token}/edit`)
    t.equal(edit.statusCode, 409, status)
    t.match(edit.body, message)
    const post = await visitor.post(`/status/${token}`, { ...VALID, title: 'Stiekem veranderd' })
    t.equal(post.statusCode, 409, status)
    t.match(post.body, message)
    t.equal(post.headers['cache-control'], 'no-store')
  }
  t.match(await byToken(token), { title: VALID.title, status: 'rejected' })
  t.same((await eventsOf(row.id)).map((e) => e.kind), ['submitted'])
})

t.test('when changes are asked the submitter edits the idea and it waits for an answer again, once', async (t) => {
  const { token, row } = await submitted()
  await db.update(proposals).set({ status: 'needs_changes', waitingSince: null }).where(eq(proposals.id, row.id))
  await addProposalEvent(db, { proposalId: row.id, kind: 'changes_requested', message: 'Hoeveel buren doen al mee?' })
  const visitor = new Visitor(app)

  const status = await visitor.get(`/status/${token}`)
  t.match(status.body, 'De gemeente vraagt u om uw idee te veranderen')
  t.match(status.body, 'Wat u moet veranderen: Hoeveel buren doen al mee?')
  t.match(status.body, `href="/status/${token}/edit">Verander mijn idee</a>`)

  const edit = await visitor.get(`/status/${token}/edit`)
  t.equal(edit.statusCode, 200)
  t.equal(edit.headers['cache-control'], 'no-store')
  t.match(edit.body, `<form method="post" action="/status/${token}"`)
  t.match(edit.body, `value="${VALID.title}"`)
  t.match(edit.body, 'value="2500,50"')
  t.match(edit.body, 'value="12000"')
  t.match(edit.body, 'id="track-social" name="track" value="social" checked')
  t.match(edit.body, 'value="fatima@example.net"')
  t.match(edit.body, 'name="consent" value="yes" checked')

  const invalid = await visitor.post(`/status/${token}`, { ...VALID, title: '' })
  t.equal(invalid.statusCode, 422)
  t.match(invalid.body, `<form method="post" action="/status/${token}"`)
  t.match(await byToken(token), { status: 'needs_changes', title: VALID.title })

  const form = { ...VALID, title: 'Tochtstrips, nu met 20 buren', cost: '3000' }
  const beforeSave = Date.now()
  const saved = await visitor.post(`/status/${token}`, form)
  t.equal(saved.statusCode, 303)
  t.equal(saved.headers.location, `/status/${token}`)
  const after = await byToken(token)
  t.match(after, { status: 'submitted', title: 'Tochtstrips, nu met 20 buren', costCents: 300_000, reference: row.reference })
  t.ok(after.waitingSince && after.waitingSince.getTime() >= beforeSave, 'the waiting clock restarted')
  t.equal(after.submittedAt.getTime(), row.submittedAt.getTime(), 'the first submission date stays')
  t.same((await eventsOf(row.id)).map((e) => e.kind), ['submitted', 'changes_requested', 'resubmitted'])
  t.match((await visitor.get(`/status/${token}`)).body, 'Veranderd en opnieuw ingestuurd')

  const replay = await visitor.post(`/status/${token}`, { ...form, title: 'Nog een keer' })
  t.equal(replay.statusCode, 409)
  t.equal((await byToken(token)).title, 'Tochtstrips, nu met 20 buren')
  t.equal((await eventsOf(row.id)).filter((e) => e.kind === 'resubmitted').length, 1)
})

t.test('changes asked after the review phase can no longer be made', async (t) => {
  const { token, row } = await submitted()
  await db.update(proposals).set({ status: 'needs_changes' }).where(eq(proposals.id, row.id))
  const visitor = await withForm()
  await db.update(rounds).set({ phase: 'voting' }).where(eq(rounds.id, round!.id))
  t.notMatch((await visitor.get(`/status/${token}`)).body, 'Verander mijn idee')
  const post = await visitor.post(`/status/${token}`, VALID)
  t.equal(post.statusCode, 409)
  t.match(post.body, 'De tijd om ideeën te veranderen is voorbij')
  t.equal((await byToken(token)).status, 'needs_changes')
  await db.update(rounds).set({ phase: 'proposing' }).where(eq(rounds.id, round!.id))
})

t.test('the public page shows status, cost, correction, facts and decisions, but never contact details or the token', async (t) => {
  const { token, row } = await submitted()
  await addProposalEvent(db, { proposalId: row.id, kind: 'changes_requested', message: 'PRIVE-VRAAG aan de indiener' })
  await addProposalEvent(db, { proposalId: row.id, kind: 'cost_corrected', message: 'De offerte van de leverancier is hoger.' })
  await addProposalEvent(db, { proposalId: row.id, kind: 'approved' })
  await db.update(proposals).set({
    status: 'approved', correctedCostCents: 320_000, costJustification: 'De offerte van de leverancier is hoger.',
  }).where(eq(proposals.id, row.id))

  const visitor = new Visitor(app)
  const res = await visitor.get(`/proposals/${row.reference.toLowerCase()}`)
  t.equal(res.statusCode, 200)
  t.match(res.body, `<h1>${VALID.title}</h1>`)
  t.match(res.body, 'Dit idee is goedgekeurd en komt op de stemlijst.')
  t.match(res.body, /€\s3\.200/)
  t.match(res.body, /Eerste schatting: €\s2\.500,50/)
  t.match(res.body, 'Waarom de kosten anders zijn: De offerte van de leverancier is hoger.')
  t.match(res.body, 'Sociaal')
  t.match(res.body, 'Energiearmoede')
  t.match(res.body, 'Schiedamseweg')
  t.match(res.body, '12.000')
  t.match(res.body, 'Ingediend door Bewonersgroep Schiedamseweg')
  t.match(res.body, 'Wijzigingen gevraagd')
  t.notMatch(res.body, 'PRIVE-VRAAG', 'what was asked of the submitter stays private')
  t.match((await visitor.get(`/status/${token}`)).body, 'PRIVE-VRAAG', 'the submitter reads it')

  for (const url of [`/proposals/${row.reference}`, `/rounds/${SLUG}`, `/rounds/${SLUG}?theme=green`]) {
    const page = (await visitor.get(url)).body
    for (const secret of [token, 'Fatima Yilmaz', 'fatima@example.net', '06 12345678']) t.notMatch(page, secret, `${url}: ${secret}`)
  }
})

t.test('a rejected or merged idea shows why, with a link to the idea it was merged into', async (t) => {
  const target = await submitted({ title: 'Het grote tochtstrip-plan' })
  const { token, row } = await submitted({ title: 'Dubbel idee' })
  await addProposalEvent(db, { proposalId: row.id, kind: 'merged', message: 'Hetzelfde als een ander idee.' })
  await db.update(proposals).set({ status: 'rejected', duplicateOfId: target.row.id }).where(eq(proposals.id, row.id))
  const visitor = new Visitor(app)
  for (const url of [`/proposals/${row.reference}`, `/status/${token}`]) {
    const res = await visitor.get(url)
    t.match(res.body, 'Samengevoegd met een ander idee', url)
    t.match(res.body, 'Waarom: Hetzelfde als een ander idee.', url)
    t.match(res.body, `<a href="/proposals/${target.row.reference}">Het grote tochtstrip-plan</a>`, url)
  }
})

t.test('an unknown reference is a 404', async (t) => {
  const visitor = new Visitor(app)
  for (const reference of ['WB-ZZZZZZ', 'x'.repeat(60)]) {
    const res = await visitor.get(`/proposals/${reference}`)
    t.equal(res.statusCode, 404, reference)
    t.match(res.body, 'Deze pagina bestaat niet')
  }
})

t.test('the round page filters ideas by theme and track with a plain GET form', async (t) => {
  const visitor = new Visitor(app)
  const page = await visitor.get(`/rounds/${SLUG}`)
  t.match(page.body, `<form method="get" action="/rounds/${SLUG}" class="proposal-filters" hx-get="/rounds/${SLUG}" hx-target="#proposal-list" hx-push-url="true" hx-trigger="change, submit">`)
  t.match(page.body, /<h2>Niet goedgekeurd<\/h2>[\s\S]*Gratis energiekastje voor iedereen/, 'rejected ideas in their own section')
  t.notMatch(page.body.split('<h2>Niet goedgekeurd</h2>')[0], 'Gratis energiekastje', 'and not among the others')

  const green = await visitor.get(`/rounds/${SLUG}?theme=green&track=`)
  t.equal(green.statusCode, 200)
  t.match(green.body, 'Groene daken op bushokjes')
  t.notMatch(green.body, 'Energiecoaches in je eigen taal')
  t.match(green.body, '<option value="green" selected>')

  const both = await visitor.get(`/rounds/${SLUG}?theme=green&track=spatial`)
  t.match(both.body, 'Groene daken op bushokjes')
  t.match(both.body, 'Buurtmoestuin met regenton')
  t.notMatch(both.body, 'Warmtescan van 200 woningen', 'green but financial-technical')
  t.notMatch(both.body, 'Gratis energiekastje')

  const none = await visitor.get(`/rounds/${SLUG}?theme=ageing&track=spatial`)
  t.match(none.body, 'Er zijn geen ideeën die passen bij uw keuze.')
  t.match(none.body, 'Aantal ideeën: 0')

  const unknown = await visitor.get(`/rounds/${SLUG}?theme=nuclear&track=rockets`)
  t.equal(unknown.statusCode, 200, 'an unknown value means all, so an old link still works')
  t.match(unknown.body, 'Energiecoaches in je eigen taal')
  t.match(unknown.body, 'Gratis energiekastje')
  t.match(unknown.body, `Aantal ideeën: ${await countProposals()}`)

  t.equal((await visitor.get(`/rounds/${SLUG}?theme=green&theme=social`)).statusCode, 400, 'two values for one filter is not a form we sent')
})

t.test('htmx gets only the list partial, and the response varies on HX-Request', async (t) => {
  const visitor = new Visitor(app)
  const res = await visitor.get(`/rounds/${SLUG}?theme=green`, { 'hx-request': 'true' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.vary, 'HX-Request')
  t.notMatch(res.body, '<html')
  t.notMatch(res.body, 'proposal-filters', 'not the form around the list')
  t.match(res.body, /^<p id="proposal-count" class="muted" role="status" hx-swap-oob="true">Aantal ideeën: \d+<\/p>/, 'the count updates out of band')
  t.match(res.body, 'Groene daken op bushokjes')
  t.notMatch(res.body, 'Energiecoaches in je eigen taal')
  for (const header of ['hx-boosted', 'hx-history-restore-request']) {
    const full = await visitor.get(`/rounds/${SLUG}?theme=green`, { 'hx-request': 'true', [header]: 'true' })
    t.match(full.body, '<html', `${header}: the whole page`)
  }
})

t.test('a reference already taken is tried again with another; nothing half-stored', async (t) => {
  const { row } = await submitted()
  const result = validateProposal({ ...VALID, themes: ['green'], consent: true } as never, round!.budgetCents)
  if (!('fields' in result)) throw new Error('fixture must be valid')
  const offered = [row.reference, 'WB-2345AB']
  const created = await createProposal(
    db,
    { roundId: round!.id, isOpen: () => true, lang: 'nl', fields: result.fields, now: new Date() },
    () => offered.shift()!,
  )
  t.equal(created?.reference, 'WB-2345AB')
  const [stored] = await db.select().from(proposals).where(eq(proposals.reference, 'WB-2345AB'))
  t.same((await eventsOf(stored!.id)).map((e) => e.kind), ['submitted'])
  t.equal((await db.select().from(proposals).where(eq(proposals.reference, row.reference))).length, 1)
})
