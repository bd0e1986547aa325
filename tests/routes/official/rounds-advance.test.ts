import t from 'tap'
import { eq } from 'drizzle-orm'
import { proposalEvents, proposals } from '../../../db/schema.js'
import { listAudit } from '../../../server/data/audit.js'
import { verifyChain } from '../../../server/domain/security/audit-chain.js'
import type { Phase } from '../../../server/domain/rounds/phases.js'
import { ballotsDigest } from '../../../server/domain/pabulib/export.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { roundsAdmin } from '../../helpers/rounds.js'
import { signedIn } from '../../helpers/officials.js'
import { formatDate } from '../../../server/formatters.js'

// Moving a round from phase to phase.
const { app, db, admin, insertRound, addProposal, roundRow, auditOf } = await roundsAdmin(t)

let waitingCount = 0
const WAITING_SINCE = new Date('2027-02-01T10:00:00Z')
/** Proposals a resident sent in that wait for an official's answer, as the proposal form leaves them. */
async function addWaiting(roundId: number, titles: string[]) {
  return db
    .insert(proposals)
    .values(
      titles.map((title) => ({
        roundId,
        status: 'submitted' as const,
        reference: `W-${waitingCount}`,
        statusToken: `waiting-${waitingCount++}`,
        title,
        summary: 'Kort',
        description: 'Lang',
        costCents: 100_000,
        track: 'social' as const,
        themes: ['green'],
        contactName: 'Bewoner',
        waitingSince: WAITING_SINCE,
      })),
    )
    .returning()
}
const proposalRow = async (id: number) => (await db.select().from(proposals).where(eq(proposals.id, id)))[0]!

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
    const [early, late] = await addWaiting(round.id, ['Vroeg', 'Laat'])
    const url = `/official/rounds/${round.id}/advance`
    const confirm = await admin.get(url)
    t.equal(confirm.statusCode, 200)
    for (const p of [early!, late!])
      t.match(confirm.body, `name="unreviewed" value="${p.id}"`, `${p.title} can be ticked`)

    const refused = await admin.post(url, { from: 'reviewing', unreviewed: String(early!.id) })
    t.equal(refused.statusCode, 422, 'one proposal left unticked stops it')
    t.match(refused.body, msg('rounds.advance.refused.unreviewed'))
    t.match(refused.body, `value="${early!.id}" checked`, 'what was ticked stays ticked')
    t.equal((await roundRow(round.id)).phase, 'reviewing')
    t.equal((await auditOf(round.id)).length, 0)
    t.same(
      (await db.select().from(proposals).where(eq(proposals.id, late!.id)))[0]!.waitingSince,
      WAITING_SINCE,
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
      t.match(page.body, msg('proposals.event.not_reviewed'), 'the public answer is on the proposal page')
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

t.test(
  'only opening voting answers waiting proposals, and even a forged form cannot make another move do it',
  async (t) => {
    for (const from of ['draft', 'proposing'] as const) {
      const round = await insertRound(from)
      const waiting = await addWaiting(round.id, ['Zonnepanelen', 'Warmtepomp'])
      const confirm = await admin.get(`/official/rounds/${round.id}/advance`)
      t.notMatch(confirm.body, 'name="unreviewed"', `${from}: nothing to tick`)
      // A form naming the waiting proposals, as if they were ticked.
      const res = await admin.post(`/official/rounds/${round.id}/advance`, {
        from,
        unreviewed: waiting.map((p) => String(p.id)),
      })
      t.equal(res.statusCode, 303, `${from} moves on`)
      for (const p of waiting) {
        const row = await proposalRow(p.id)
        t.match(row, { status: 'submitted' }, `${from}: ${p.title} still waits for an answer`)
        t.ok(row.waitingSince, `${from}: ${p.title} stays in the moderation queue`)
        t.same(
          await db.select().from(proposalEvents).where(eq(proposalEvents.proposalId, p.id)),
          [],
          'no public answer',
        )
      }
      t.same((await auditOf(round.id)).at(-1)!.details, { from, to: from === 'draft' ? 'proposing' : 'reviewing' })
    }
  },
)

t.test(
  'a whole round moderated in the reviewing phase: the queue is worked there, and only what the admin confirms goes unreviewed',
  async (t) => {
    const moderator = await signedIn(app, 'moderator')
    const round = await insertRound('proposing', { title: 'Beoordelen na het indienen' })
    const [solar, heat, bench, late] = await addWaiting(round.id, ['Zonnepanelen', 'Warmtepomp', 'Bankje', 'Laat'])
    t.equal((await admin.post(`/official/rounds/${round.id}/advance`, { from: 'proposing' })).statusCode, 303)
    t.equal((await roundRow(round.id)).phase, 'reviewing')

    const queue = await moderator.get('/official/moderation')
    for (const p of [solar!, heat!, bench!, late!]) t.match(queue.body, p.title, `${p.title} is in the queue`)
    t.equal((await moderator.post(`/official/proposals/${solar!.id}/approve`, {})).statusCode, 303)
    t.equal(
      (await moderator.post(`/official/proposals/${heat!.id}/request-changes`, { message: 'Welk dak?' })).statusCode,
      303,
    )
    t.equal(
      (await moderator.post(`/official/proposals/${bench!.id}/reject`, { message: 'Geen energieproject.' })).statusCode,
      303,
    )
    t.equal((await proposalRow(solar!.id)).status, 'approved')
    t.equal((await proposalRow(heat!.id)).status, 'needs_changes')

    const confirm = html(await admin.get(`/official/rounds/${round.id}/advance`))
    t.same(
      confirm.texts('.proposal-choice label'),
      [`${late!.reference}: Laat`],
      'only the proposal still waiting for an official can be ticked',
    )
    t.ok(
      confirm.texts('main li').includes(`${heat!.reference}: Warmtepomp`),
      'the proposal waiting for its submitter is named: it will miss the ballot',
    )
    t.ok(confirm.texts('main h2').includes(msg('rounds.advance.awaitingSubmitter.title')))

    const moved = await admin.post(`/official/rounds/${round.id}/advance`, {
      from: 'reviewing',
      unreviewed: String(late!.id),
    })
    t.equal(moved.statusCode, 303)
    t.equal((await proposalRow(late!.id)).status, 'not_reviewed')
    t.equal(
      (await proposalRow(heat!.id)).status,
      'needs_changes',
      'a proposal waiting for its submitter is not answered',
    )
    t.equal((await proposalRow(solar!.id)).status, 'approved')
    t.same((await auditOf(round.id)).at(-1)!.details, {
      from: 'reviewing',
      to: 'voting',
      unreviewed: [late!.reference],
    })
  },
)

t.test('closing voting before the day the letters promise warns with that day and asks for a reason', async (t) => {
  const round = await insertRound('voting', { votingUntil: '2099-01-03' })
  await addProposal(round.id, 'approved')
  const url = `/official/rounds/${round.id}/advance`
  const confirm = html(await admin.get(url))
  t.equal(
    confirm.text('main .alert--warning'),
    msg('rounds.advance.early.warning', { date: '3 januari 2099' }),
    "the promised last day, in the letter's words",
  )
  t.ok(confirm.has('textarea[name=reason][required]'))

  for (const reason of [undefined, '', '   ']) {
    const refused = await admin.post(url, { from: 'voting', ...(reason === undefined ? {} : { reason }) })
    t.equal(refused.statusCode, 422, `reason ${JSON.stringify(reason)} refused`)
    t.equal(html(refused).alert, msg('rounds.advance.refused.reasonNeeded'))
    t.equal((await roundRow(round.id)).phase, 'voting', 'still voting')
  }
  const tooLong = await admin.post(url, { from: 'voting', reason: 'x'.repeat(1_001) })
  t.equal(tooLong.statusCode, 400)
  t.equal((await roundRow(round.id)).phase, 'voting')

  const closed = await admin.post(url, {
    from: 'voting',
    reason: '  Storing bij de drukker: de brieven kwamen te laat.  ',
  })
  t.equal(closed.statusCode, 303)
  t.equal((await roundRow(round.id)).phase, 'closed')
  t.same((await auditOf(round.id)).at(-1)!.details, {
    from: 'voting',
    to: 'closed',
    votingUntil: '2099-01-03',
    reason: 'Storing bij de drukker: de brieven kwamen te laat.',
  })
  const transparency = html(await new Visitor(app).get(`/rounds/${round.slug}/transparency`))
  const notice = transparency.get('.alert--warning')
  t.match(notice.text, msg('transparency.closedEarly.reason'), 'the transparency page says why')
  t.match(notice.text, 'Storing bij de drukker: de brieven kwamen te laat.')
  t.match(notice.text, '3 januari 2099', 'and which day was promised')

  const history = html(await admin.get(`/official/rounds/${round.id}`)).texts('.round-history strong')
  t.ok(history.includes(msg('transparency.audit.action.ballots.seal')), "the seal is named, in the public page's words")
  t.notOk(history.includes(msg('rounds.history.other')), 'no action is "another action"')
})

t.test('closing voting after the promised day, or in a round that promised none, needs no reason', async (t) => {
  for (const votingUntil of ['2000-01-03', null]) {
    const round = await insertRound('voting', { votingUntil })
    const confirm = html(await admin.get(`/official/rounds/${round.id}/advance`))
    t.notOk(confirm.has('textarea[name=reason]'), `${votingUntil}: no reason asked`)
    t.equal((await admin.post(`/official/rounds/${round.id}/advance`, { from: 'voting' })).statusCode, 303)
    t.same((await auditOf(round.id)).at(-1)!.details, { from: 'voting', to: 'closed' })
  }
})

t.test("the public timeline shows what happened beside what was planned, in the letter's words", async (t) => {
  const round = await insertRound('draft', {
    proposingFrom: '2099-01-01',
    reviewingFrom: '2099-01-10',
    votingFrom: '2099-01-20',
    votingUntil: '2099-02-03',
    publishOn: '2099-02-10',
  })
  await addProposal(round.id, 'approved')
  const timelineOf = async () => html(await new Visitor(app).get(`/rounds/${round.slug}`)).all('.timeline__step')
  const today = formatDate(new Date(), 'nl')
  for (const from of ['draft', 'proposing', 'reviewing'] as const)
    t.equal((await admin.post(`/official/rounds/${round.id}/advance`, { from })).statusCode, 303)
  let steps = await timelineOf()
  t.same(
    steps.map((li) => [
      li.querySelector('.timeline__happened')?.text ?? null,
      li.querySelector('.timeline__date')?.text,
    ]),
    [
      [
        msg('timeline.happened.proposing', { date: today }),
        msg('timeline.planned.proposing', { date: '1 januari 2099' }),
      ],
      [
        msg('timeline.happened.reviewing', { date: today }),
        msg('timeline.planned.reviewing', { date: '10 januari 2099' }),
      ],
      [msg('timeline.happened.voting', { date: today }), msg('timeline.planned.voting', { date: '20 januari 2099' })],
      [null, msg('timeline.planned.closed', { date: '3 februari 2099' })],
      [null, msg('timeline.planned.published', { date: '10 februari 2099' })],
    ],
  )
  t.equal(msg('timeline.planned.closed', { date: 'X' }), msg('letter.until', { date: 'X' }), 'the words of the letter')

  await admin.post(`/official/rounds/${round.id}/advance`, { from: 'voting', reason: 'Storing' })
  steps = await timelineOf()
  t.equal(steps[3]!.querySelector('.timeline__happened')?.text, msg('timeline.happened.closedEarly', { date: today }))
  t.equal(steps[3]!.getAttribute('aria-current'), 'step')
})
