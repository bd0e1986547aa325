import t from 'tap'
import { and, eq, like } from 'drizzle-orm'
import { auditLog, outbox, proposalEvents, proposals, rounds } from '../../../db/schema.js'
import { seedDemo } from '../../../server/data/demo.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { appWithInbox } from '../../helpers/smtp.js'
import { createOfficial, signedIn } from '../../helpers/officials.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, inbox, smtp } = await appWithInbox(t)
await seedDemo(db)
await createOfficial(db, 'moderator')
await createOfficial(db, 'council')
await createOfficial(db, 'admin')

const [round] = await db.select().from(rounds)

async function proposalByTitle(title: string) {
  const [row] = await db.select().from(proposals).where(eq(proposals.title, title))
  return row!
}

/** A new proposal waiting for an answer, submitted `hoursAgo` hours ago. */
let counter = 0
async function waitingProposal(title: string, hoursAgo = 1, email: string | null = 'indiener@example.org') {
  const submittedAt = new Date(Date.now() - hoursAgo * 3_600_000)
  const [row] = await db
    .insert(proposals)
    .values({
      roundId: round!.id,
      reference: `T-${++counter}`,
      statusToken: `token-${counter}-${'x'.repeat(30)}`,
      title,
      summary: 's',
      description: 'd',
      costCents: 500_000,
      track: 'social',
      themes: ['green'],
      contactName: 'Fatima',
      contactEmail: email,
      contactConsent: true,
      submittedAt,
      waitingSince: submittedAt,
      lang: 'en',
    })
    .returning()
  return row!
}

/** The error shown in the form of one moderation action. */
const formError = (res: { body: string }, id: number, action: string) =>
  html(res).form(`/official/proposals/${id}/${action}`).querySelector('.field__error')?.text

async function auditCount(action: string, id: number) {
  return (
    await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.object, `proposal:${id}`)))
  ).length
}

t.test(
  'the queue lists waiting proposals oldest first with working-hours waiting time, marking overdue ones',
  async (t) => {
    await waitingProposal('Recent idea', 0)
    await waitingProposal('Old idea', 24 * 14)
    const moderator = await signedIn(app, 'moderator')
    const res = await moderator.get('/official/moderation')
    t.equal(res.statusCode, 200)
    const page = html(res)
    const rows = page.all('table.table tbody tr')
    const titles = rows.map((row) => row.querySelector('a')!.text)
    t.ok(titles.indexOf('Old idea') >= 0 && titles.indexOf('Old idea') < titles.indexOf('Recent idea'), 'oldest first')
    const old = rows[titles.indexOf('Old idea')]!
    t.ok(old.classList.contains('is-overdue'), 'the old one is marked overdue')
    t.equal(old.querySelector('.badge')?.text, msg('moderation.overdue'))
    t.match(old.querySelector('.waited')?.text, msg('moderation.days', { count: 10 }), 'two weeks are ten working days')
    t.notOk(rows[titles.indexOf('Recent idea')]!.classList.contains('is-overdue'))
    t.ok(titles.includes('Led-verlichting in portieken'), 'demo proposals waiting are there too')
    t.ok(
      page.texts('main ul:not(.history) li a').includes('Leer-werkplekken als energieklusser'),
      'the one waiting for its submitter is listed',
    )
  },
)

t.test(
  'approving puts the proposal on the ballot, records history, audit and first answer, and mails the submitter',
  async (t) => {
    const p = await waitingProposal('Solar benches')
    const moderator = await signedIn(app, 'moderator')
    await moderator.get(`/official/proposals/${p.id}`)
    const before = inbox.length
    const res = await moderator.post(`/official/proposals/${p.id}/approve`, {})
    t.equal(res.statusCode, 303)
    t.equal(res.headers.location, `/official/proposals/${p.id}?done=approve`)
    const after = await proposalByTitle('Solar benches')
    t.equal(after.status, 'approved')
    t.equal(after.waitingSince, null)
    t.ok(after.firstAnsweredAt)
    const events = await db.select().from(proposalEvents).where(eq(proposalEvents.proposalId, p.id))
    t.same(
      events.map((e) => e.kind),
      ['approved'],
    )
    t.equal(await auditCount('proposal.approve', p.id), 1)
    await app.deliverMail()
    t.equal(inbox.length, before + 1)
    const mail = inbox.at(-1)!
    t.same(mail.to, ['indiener@example.org'])
    t.match(mail.raw, 'Good news', 'in the language the submitter wrote in')
    t.match(mail.raw, `http://localhost:3000/status/${p.statusToken}`)
    const page = html(await moderator.get(`/official/proposals/${p.id}?done=approve`))
    t.equal(page.text('[role=status] p'), msg('moderation.done.approve'))
  },
)

t.test('the mail about a decision is kept while the mail server is down, and arrives once it is back', async (t) => {
  const p = await waitingProposal('Rain barrels')
  const moderator = await signedIn(app, 'moderator')
  await moderator.get(`/official/proposals/${p.id}`)
  await smtp.stop()
  const before = inbox.length
  const res = await moderator.post(`/official/proposals/${p.id}/approve`, {})
  t.equal(res.statusCode, 303, 'the decision does not wait for the mail')
  t.equal((await proposalByTitle('Rain barrels')).status, 'approved')
  await app.deliverMail()
  const [waiting] = await db
    .select()
    .from(outbox)
    .where(like(outbox.body, `%${p.statusToken}%`))
  t.match(waiting, { purpose: 'decision', attempts: 1, sentAt: null, failedAt: null })
  await smtp.start()
  await db.update(outbox).set({ nextAttemptAt: new Date() })
  await app.deliverMail()
  t.equal(inbox.length, before + 1)
  t.same(inbox.at(-1)!.to, ['indiener@example.org'])
  t.match(inbox.at(-1)!.raw, `/status/${p.statusToken}`)
})

t.test('rejecting needs a public reason; without one nothing changes', async (t) => {
  const p = await waitingProposal('Fountain')
  const moderator = await signedIn(app, 'moderator')
  await moderator.get(`/official/proposals/${p.id}`)
  const empty = await moderator.post(`/official/proposals/${p.id}/reject`, { message: '   ' })
  t.equal(empty.statusCode, 422)
  t.equal(formError(empty, p.id, 'reject'), msg('moderation.messageRequired'))
  t.equal((await proposalByTitle('Fountain')).status, 'submitted')
  t.equal(await auditCount('proposal.reject', p.id), 0)
  const res = await moderator.post(`/official/proposals/${p.id}/reject`, { message: 'Geen energieproject.' })
  t.equal(res.statusCode, 303)
  t.equal((await proposalByTitle('Fountain')).status, 'rejected')
  const [event] = await db.select().from(proposalEvents).where(eq(proposalEvents.proposalId, p.id))
  t.equal(event!.message, 'Geen energieproject.')
})

t.test('asking for changes sends the message to the submitter and waits for them', async (t) => {
  const p = await waitingProposal('Bike shed')
  const moderator = await signedIn(app, 'moderator')
  await moderator.get(`/official/proposals/${p.id}`)
  const res = await moderator.post(`/official/proposals/${p.id}/request-changes`, {
    message: 'Hoeveel fietsen passen erin?',
  })
  t.equal(res.statusCode, 303)
  const after = await proposalByTitle('Bike shed')
  t.equal(after.status, 'needs_changes')
  t.equal(after.waitingSince, null)
  await app.deliverMail()
  t.match(inbox.at(-1)!.raw, 'Hoeveel fietsen passen erin?')
})

t.test('correcting the cost keeps the status, needs a justification and refuses bad amounts', async (t) => {
  const p = await waitingProposal('Heat pumps')
  const moderator = await signedIn(app, 'moderator')
  await moderator.get(`/official/proposals/${p.id}`)
  const bad: [string, string][] = [
    ['0', 'money.notPositive'],
    ['-5', 'money.notPositive'],
    ['100.000,01', 'moderation.costOverBudget'],
    ['10,5555', 'money.fraction'],
    ['abc', 'money.invalid'],
    ['200000', 'moderation.costOverBudget'],
    ['', 'money.required'],
  ]
  for (const [cost, key] of bad) {
    const res = await moderator.post(`/official/proposals/${p.id}/correct-cost`, { cost, message: 'Offerte' })
    t.equal(res.statusCode, 422, cost)
    t.equal(formError(res, p.id, 'correct-cost'), msg(key), cost)
    if (cost) t.equal(html(res).field('cost').value, cost, 'the typed amount is kept')
  }
  t.equal((await proposalByTitle('Heat pumps')).correctedCostCents, null)
  const noReason = await moderator.post(`/official/proposals/${p.id}/correct-cost`, { cost: '4500', message: '' })
  t.equal(noReason.statusCode, 422)
  const ok = await moderator.post(`/official/proposals/${p.id}/correct-cost`, {
    cost: '4.500,50',
    message: 'Offerte van de installateur',
  })
  t.equal(ok.statusCode, 303)
  const after = await proposalByTitle('Heat pumps')
  t.equal(after.correctedCostCents, 450_050)
  t.equal(after.costJustification, 'Offerte van de installateur')
  t.equal(after.status, 'submitted')
  t.ok(after.waitingSince, 'a cost correction alone is not an answer')
})

t.test('a duplicate is merged into another proposal of the same round', async (t) => {
  const p = await waitingProposal('Energy coaches again')
  const target = await proposalByTitle('Energiecoaches in je eigen taal')
  const moderator = await signedIn(app, 'moderator')
  const page = html(await moderator.get(`/official/proposals/${p.id}`))
  t.ok(
    page.form(`/official/proposals/${p.id}/merge`).querySelector(`select[name=target] option[value="${target.id}"]`),
    'the target can be chosen',
  )
  const wrong = await moderator.post(`/official/proposals/${p.id}/merge`, { target: '999999' })
  t.equal(wrong.statusCode, 422)
  t.equal((await proposalByTitle('Energy coaches again')).status, 'submitted')
  const ok = await moderator.post(`/official/proposals/${p.id}/merge`, { target: String(target.id) })
  t.equal(ok.statusCode, 303)
  const after = await proposalByTitle('Energy coaches again')
  t.equal(after.status, 'rejected')
  t.equal(after.duplicateOfId, target.id)
})

t.test('two officials deciding at once: one decision takes effect, one audit entry', async (t) => {
  const p = await waitingProposal('Contested')
  const a = await signedIn(app, 'moderator')
  const b = await signedIn(app, 'admin')
  await a.get(`/official/proposals/${p.id}`)
  await b.get(`/official/proposals/${p.id}`)
  const [ra, rb] = await Promise.all([
    a.post(`/official/proposals/${p.id}/approve`, {}),
    b.post(`/official/proposals/${p.id}/reject`, { message: 'Te duur' }),
  ])
  const statuses = [ra.statusCode, rb.statusCode].sort()
  t.same(statuses, [303, 409])
  const after = await proposalByTitle('Contested')
  const decided = ra.statusCode === 303 ? 'approved' : 'rejected'
  t.equal(after.status, decided)
  t.equal((await auditCount('proposal.approve', p.id)) + (await auditCount('proposal.reject', p.id)), 1)
  t.equal((await db.select().from(proposalEvents).where(eq(proposalEvents.proposalId, p.id))).length, 1)
  const mails = await db
    .select()
    .from(outbox)
    .where(like(outbox.body, `%${p.statusToken}%`))
  t.same(
    mails.map((m) => m.purpose),
    ['decision'],
    'one mail, for the decision that took effect',
  )
  const replay = await a.post(`/official/proposals/${p.id}/approve`, {})
  t.equal(replay.statusCode, 409, 'a replayed form changes nothing')
  t.equal(html(replay).alert, msg('moderation.alreadyDecided'))
})

t.test('council members see the queue and decisions but cannot act or see contact details', async (t) => {
  const p = await waitingProposal('Council watch')
  const council = await signedIn(app, 'council')
  const queue = await council.get('/official/moderation')
  t.equal(queue.statusCode, 200)
  t.ok(html(queue).links.includes(`/official/proposals/${p.id}`), 'the proposal is in the queue')
  const page = await council.get(`/official/proposals/${p.id}`)
  t.equal(page.statusCode, 200)
  t.notMatch(page.body, 'indiener@example.org')
  t.same(html(page).all('form[action^="/official/proposals/"]'), [], 'no decision forms')
  for (const action of ['approve', 'reject', 'request-changes', 'correct-cost', 'merge']) {
    const res = await council.post(`/official/proposals/${p.id}/${action}`, { message: 'x', cost: '10', target: '1' })
    t.equal(res.statusCode, 403, action)
  }
  t.equal((await proposalByTitle('Council watch')).status, 'submitted')
})

t.test(
  'residents are sent to login for pages and get 403 for every moderation action; a POST without CSRF is refused',
  async (t) => {
    const p = await waitingProposal('No entry')
    const resident = new Visitor(app)
    t.equal((await resident.get('/official/moderation')).statusCode, 303)
    await resident.get('/login')
    for (const action of ['approve', 'reject', 'request-changes', 'correct-cost', 'merge']) {
      const res = await resident.post(`/official/proposals/${p.id}/${action}`, {
        message: 'x',
        cost: '10',
        target: '1',
      })
      t.equal(res.statusCode, 403, `a resident cannot ${action}`)
    }
    const moderator = await signedIn(app, 'moderator')
    const noToken = await moderator.post(`/official/proposals/${p.id}/approve`, { _csrf: null })
    t.equal(noToken.statusCode, 403)
    t.equal((await proposalByTitle('No entry')).status, 'submitted')
  },
)

t.test('moderation is closed once voting has opened', async (t) => {
  const p = await waitingProposal('Too late')
  await setPhase(db, round!.id, 'voting')
  t.teardown(() => setPhase(db, round!.id, 'reviewing'))
  const moderator = await signedIn(app, 'moderator')
  await moderator.get(`/official/proposals/${p.id}`)
  const res = await moderator.post(`/official/proposals/${p.id}/correct-cost`, { cost: '10', message: 'x' })
  t.equal(res.statusCode, 409)
  t.equal(html(res).alert, msg('moderation.closedPhase'))
  t.equal((await proposalByTitle('Too late')).correctedCostCents, null)
})

t.test('unknown proposals and actions are 404, bad input is 4xx, HTML stays text', async (t) => {
  const moderator = await signedIn(app, 'moderator')
  t.equal((await moderator.get('/official/proposals/999999')).statusCode, 404)
  t.equal((await moderator.get('/official/proposals/abc')).statusCode, 404, 'an id that is not a number names nothing')
  const p = await waitingProposal('<script>alert(1)</script>')
  for (const url of [`/official/proposals/${p.id}`, '/official/moderation']) {
    const page = html(await moderator.get(url))
    t.match(page.text('main'), '<script>alert(1)</script>', `${url}: shown as text`)
    t.notOk(
      page.all('script').some((s) => s.text.includes('alert(1)')),
      `${url}: never run`,
    )
  }
  t.equal((await moderator.post(`/official/proposals/${p.id}/delete`, {})).statusCode, 400)
  const long = await moderator.post(`/official/proposals/${p.id}/reject`, { message: 'x'.repeat(2001) })
  t.equal(long.statusCode, 422)
  t.equal(formError(long, p.id, 'reject'), msg('form.tooLong'))
  t.equal((await db.select().from(proposals).where(eq(proposals.id, p.id)))[0]!.status, 'submitted')
})
