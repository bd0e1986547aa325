import { randomBytes } from 'node:crypto'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposals } from '../../../db/schema.js'
import { addProposalEvent } from '../../../server/data/proposal-events.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { proposingRound, SLUG, VALID } from '../../helpers/proposals.js'

// After sending in: the private status page, editing when changes are asked, and the public idea page.
const { app, db, inPhase, eventsOf, byToken, withForm, submitted } = await proposingRound(t)

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
