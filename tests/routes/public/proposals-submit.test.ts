import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposals, rounds } from '../../../db/schema.js'
import { createProposal } from '../../../server/data/proposals.js'
import { REFERENCE_PATTERN, validateProposal } from '../../../server/domain/proposals/rules.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { proposingRound, SLUG, VALID, type Form } from '../../helpers/proposals.js'

// A resident sends in an idea: the form, what is stored, and what is refused.
const { app, db, round, inPhase, countProposals, eventsOf, byToken, submit, withForm, submitted } =
  await proposingRound(t)

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
