import { randomInt } from 'node:crypto'
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { auditLog, ballots, proposals, results, roundEquity, rounds, votingCodes } from '../../../db/schema.js'
import { findProposal } from '../../../server/data/moderation.js'
import { moderateProposal } from '../../../server/usecases/moderation.js'
import { countedBallots } from '../../../server/data/results.js'
import { findCode } from '../../../server/data/voting-codes.js'
import { castBallot, listBallotProjects } from '../../../server/data/ballots.js'
import { exportBallotsPb } from '../../../server/domain/pabulib/export.js'
import { sha256 } from '../../../server/domain/common/digest.js'
import type { ModerationAction } from '../../../server/domain/proposals/moderation.js'
import { generateReceipt, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { type Teardown, TEST_CONFIG, testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { createOfficials, signedIn } from '../../helpers/officials.js'
import { createCodes, setPhase } from '../../helpers/voting.js'
import { MAIL_WORDS } from '../../helpers/mail-words.js'

const { app, db } = await testApp(t)
const { moderator } = await createOfficials(db, ['admin', 'moderator'])
const [round] = await db
  .insert(rounds)
  .values({
    slug: 'noord',
    title: 'Wijkbudget Noord',
    neighbourhood: 'Noord',
    budgetCents: 50_000_00,
    phase: 'reviewing',
  })
  .returning()
const roundId = round!.id
await db.insert(rounds).values({ slug: 'concept', title: 'Nog geheim', neighbourhood: 'Zuid', budgetCents: 1_00 })

// Monday 23 November 2026, 9:00 in Amsterdam; answers follow in working time.
const MONDAY_9 = new Date('2026-11-23T08:00:00Z')
const minutesLater = (m: number) => new Date(MONDAY_9.getTime() + m * 60_000)
const titles = ['Zonnepanelen school', 'Koffie-ochtend', 'Tuin achter de flat', 'Led in portieken', 'Nog niet bekeken']
const made = await db
  .insert(proposals)
  .values(
    titles.map((title, i) => ({
      roundId,
      reference: `NRD-${i + 1}`,
      statusToken: `token-${i + 1}`.padEnd(32, 'x'),
      title,
      summary: 's',
      description: 'd',
      costCents: 10_000_00,
      track: 'social' as const,
      themes: ['green'],
      contactName: 'Bewoner',
      submittedAt: MONDAY_9,
      waitingSince: MONDAY_9,
    })),
  )
  .returning()
const ids = made.map((p) => p.id)

async function decide(
  index: number,
  action: ModerationAction,
  minutes: number,
  message: string | null,
  extra: { correctedCostCents?: number } = {},
) {
  const proposal = (await findProposal(db, ids[index]!))!
  await moderateProposal(
    db,
    {
      proposal,
      action,
      official: { id: moderator.id, email: 'moderator@example.test' },
      message,
      now: minutesLater(minutes),
      ...extra,
    },
    MAIL_WORDS,
  )
}
await decide(0, 'approve', 120, null)
// Monday 9:00 to Tuesday 12:00: one working day and three hours.
await decide(1, 'reject', 24 * 60 + 180, 'Dit past niet bij energie.')
await decide(2, 'request-changes', 30, 'Uw adres Dorpsstraat 1 staat in het plan; haal dat eruit.')
await decide(3, 'correct-cost', 60, 'Offerte van de leverancier is lager.', { correctedCostCents: 8_000_00 })
await decide(3, 'approve', 240, null)

const url = '/rounds/noord/transparency'
const read = async (path = url, from = app) => {
  const res = await new Visitor(from).get(path)
  return { status: res.statusCode, page: html(res) }
}
const decisionItems = async () => (await read()).page.all('#decisions + ol.history > li')
const auditItems = async () => (await read()).page.all('#audit ~ ol.history > li')

/**
 * A published round's checks are renewed once a minute (PUBLISHED_FRESH_MS): a change made
 * behind the application's back shows on an instance that has not looked yet, like this new one.
 */
async function readAfterRenewal(t: Teardown) {
  const { app: other } = await testApp(t, { db })
  return read(url, other)
}

t.test('a draft or unknown round has no transparency page', async (t) => {
  t.equal((await read('/rounds/concept/transparency')).status, 404)
  t.equal((await read('/rounds/nergens/transparency')).status, 404)
})

t.test('before voting the page lists every decision with its reason and time, but no turnout yet', async (t) => {
  await setPhase(db, roundId, 'reviewing')
  const { status, page } = await read()
  t.equal(status, 200)
  t.equal(page.get('#turnout').nextElementSibling?.text, msg('transparency.turnout.notYet'))
  const items = await decisionItems()
  const decision = (reference: string, kind: string) =>
    items.find(
      (li) =>
        li.querySelector(`a[href="/proposals/${reference}"]`) &&
        li.querySelector('strong')?.text === msg(`proposals.event.${kind}`),
    )
  const approved = decision('NRD-1', 'approved')
  t.ok(approved, 'the approval is listed with a link to the proposal')
  t.equal(approved?.querySelector('a')?.text, 'Zonnepanelen school')
  t.equal(
    approved?.querySelector('a bdi')?.text,
    'Zonnepanelen school',
    'the title is isolated from the reference and time',
  )
  t.match(approved?.querySelector('.muted')?.text, /\(NRD-1\) · 23 nov 2026, 11:00/, 'with its time in Amsterdam')
  const messages = (li: typeof approved) =>
    li?.querySelectorAll('.history__message').map((p) => p.text.replace(/\s+/g, ' ').trim())
  t.same(messages(decision('NRD-2', 'rejected')), [
    `${msg('proposals.eventMessage.rejected')} Dit past niet bij energie.`,
  ])
  t.same(messages(decision('NRD-4', 'cost_corrected')), [
    msg('transparency.decisions.cost', { from: '€ 10.000', to: '€ 8.000' }),
    `${msg('proposals.eventMessage.cost_corrected')} Offerte van de leverancier is lager.`,
  ])
  t.same(
    messages(decision('NRD-3', 'changes_requested')),
    [msg('transparency.decisions.private')],
    'what was asked of the submitter stays private',
  )
  t.notMatch(page.text(), 'Dorpsstraat')
  t.notOk(
    items.some((li) => li.querySelector('a[href="/proposals/NRD-5"]')),
    'a proposal without a decision is not a decision',
  )
})

t.test('first-response times: the median in working time and the share answered within one working day', async (t) => {
  const { page } = await read()
  // Answered after 30, 120, 240 and 660 working minutes: the median is 180 minutes, three of four within 480.
  t.match(page.facts('#response + dl'), {
    [msg('transparency.response.median')]: msg('transparency.response.time', {
      days: msg('transparency.response.days', { count: 0 }),
      hours: msg('transparency.response.hours', { count: 3 }),
      minutes: msg('transparency.response.minutes', { count: 0 }),
    }),
    [msg('transparency.response.withinDay')]: '75%',
  })
  t.ok(
    page
      .texts('main p')
      .includes(
        `${msg('transparency.response.answered', { count: 4 })} ${msg('transparency.response.waiting', { count: 1 })}`,
      ),
    'one idea waits: in the singular',
  )
})

t.test('the audit log of the round is shown without personal details and its chain is verified', async (t) => {
  const { page } = await read()
  const entries = await db.select().from(auditLog)
  t.equal(page.text('#audit + .alert'), msg('transparency.audit.ok', { count: entries.length }))
  const [reject] = entries.filter((e) => e.action === 'proposal.reject')
  const item = (await auditItems()).find(
    (li) => li.querySelector('strong')?.text === msg('transparency.audit.action.proposal.reject'),
  )
  t.match(item?.querySelector('.muted')?.text, `#${reject!.id} · 24 nov 2026, 12:00`)
  t.match(
    item?.text,
    `${msg('role.moderator')} #${moderator.id} · NRD-2 Koffie-ochtend`,
    'officials are named by role and number',
  )
  t.notMatch(page.text(), 'moderator@example.test', 'not by e-mail address')
  t.notMatch(page.text(), 'Dorpsstraat', 'details are left out')
})

const codeId = async (code: string) =>
  (await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!)))!.id
const vote = async (code: string, channel: 'online' | 'paper', projectIds: number[]) =>
  castBallot(db, { roundId, codeId: await codeId(code), channel, projectIds, receipt: generateReceipt(randomInt) })

let voting: Promise<{ a: string[]; b: string[] }> | undefined
/** Ten codes for each of two groups, nine counted ballots and one revoked code; made once, by whichever subtest needs them first. */
function voted() {
  voting ??= (async () => {
    await setPhase(db, roundId, 'voting')
    const codes = { a: await createCodes(db, roundId, 10, '3021'), b: await createCodes(db, roundId, 10, '3022') }
    for (const code of codes.a.slice(0, 6)) await vote(code, 'online', [ids[0]!])
    for (const code of codes.b.slice(0, 3)) await vote(code, 'online', [ids[3]!])
    // A paper ballot that also names the rejected proposal: that vote is left out, the rest counts.
    await vote(codes.b[3]!, 'paper', [ids[0]!, ids[1]!])
    await db
      .update(votingCodes)
      .set({ revokedAt: new Date() })
      .where(eq(votingCodes.id, await codeId(codes.a[0]!)))
    return codes
  })()
  return voting
}

let publishing: Promise<void> | undefined
/** The round closed and its result published by the admin; once. */
function published() {
  publishing ??= (async () => {
    await voted()
    await setPhase(db, roundId, 'closed')
    const visitor = await signedIn(app, 'admin')
    await visitor.get(`/official/rounds/${roundId}/results`)
    const res = await visitor.post(`/official/rounds/${roundId}/publish`, {})
    if (res.statusCode !== 303) throw new Error(`publishing answered ${res.statusCode}`)
  })()
  return publishing
}

t.test('turnout per group and channel counts against the codes issued and leaves revoked codes out', async (t) => {
  await voted()
  const { page } = await read()
  t.match(
    page.facts('#turnout + dl'),
    {
      [msg('transparency.turnout.percent')]: '45%',
      [msg('transparency.turnout.counted')]: '9',
      [msg('transparency.turnout.issued')]: '20',
    },
    '9 counted ballots of 20 codes issued',
  )
  t.same(page.rows('table.figures-table:not(.figures-table--wide)'), [
    [msg('turnout.online'), '8', '40%'],
    [msg('turnout.paper'), '1', '5%'],
  ])
  t.same(
    page.rows('table.figures-table--wide'),
    [[msg('equity.other'), '20', '8', '1', '9', '45%']],
    'under the default minimum of 10 voters no group is shown on its own',
  )
  await db.insert(roundEquity).values({ roundId, minGroupVoters: 4 })
  t.same((await read()).page.rows('table.figures-table--wide'), [
    ['3021', '10', '5', '0', '5', '50%'],
    ['3022', '10', '3', '1', '4', '40%'],
  ])
  t.ok(
    page
      .texts('main li')
      .includes(
        `${msg('transparency.turnout.revoked', { count: 1 })} ${msg('transparency.turnout.revokedBallots', { count: 1 })}`,
      ),
  )
  t.ok(
    page
      .texts('main li')
      .includes(
        [
          msg('transparency.turnout.leftOut'),
          msg('transparency.turnout.leftOutVotes', { count: 1 }),
          msg('transparency.turnout.leftOutBallots', { count: 1 }),
        ].join(' '),
      ),
  )
  t.equal((await db.select().from(ballots)).length, 10, "the revoked code's ballot is still stored")
})

t.test(
  "after publication the page shows that today's ballots still match the published hash, and how to recount",
  async (t) => {
    await published()
    const [stored] = await db.select().from(results)
    const { page } = await read()
    t.equal(page.text('#check + .alert'), msg('transparency.check.ok', { count: 9 }))
    t.equal(page.text('#check ~ dl dd.hash'), stored!.ballotsSha256)
    t.ok(page.texts('code').includes('npm run tally -- noord-ballots.pb --rule greedy'))
    t.ok(page.links.includes('/rounds/noord/results'), 'a link to the results')
    t.ok(page.links.includes('/rounds/noord/ballots.pb'), 'and to the ballots')
    const entries = await db.select().from(auditLog)
    t.equal(
      page.text('#audit + .alert'),
      msg('transparency.audit.ok', { count: entries.length }),
      'the whole chain is checked, logins too',
    )
    const listed = (await auditItems()).map((li) => li.querySelector('strong')?.text)
    t.ok(
      listed.includes(msg('transparency.audit.action.results.publish')),
      "the publication is among the round's entries",
    )
    t.notOk(listed.includes('login'), "but only the round's entries are listed")
  },
)

t.test("a ballot changed behind the application's back shows as no longer matching the published hash", async (t) => {
  const codes = await voted()
  await published()
  const [first] = await db
    .select()
    .from(ballots)
    .where(eq(ballots.codeId, await codeId(codes.a[1]!)))
  const tamper = async (projectIds: number[]) => {
    await db.execute(sql`alter table ballots disable trigger user`)
    await db.update(ballots).set({ projectIds }).where(eq(ballots.id, first!.id))
    await db.execute(sql`alter table ballots enable trigger user`)
  }
  await tamper([ids[3]!])
  t.teardown(() => tamper(first!.projectIds))
  const { page } = await readAfterRenewal(t)
  t.equal(page.text('#check + .alert'), msg('transparency.check.changed', { today: 9, published: 9 }))
  t.equal(page.get('#check + .alert').getAttribute('role'), 'alert')
})

t.test(
  'ballots rewritten together with the stored .pb and its stored hash still show as a mismatch with the audit chain',
  async (t) => {
    const [stored] = await db.select().from(results)
    const [row] = await db.select().from(rounds).where(eq(rounds.id, roundId))
    // The same ballots in another random order: a file that differs from the stored one (nine
    // ballots, several alike, can come out in the stored order by chance, so it is drawn again then).
    const draw = async () =>
      exportBallotsPb(
        row!,
        await listBallotProjects(db, roundId),
        await countedBallots(db, roundId),
        row!.tallyRule,
        randomInt,
      )
    let forged = await draw()
    while (forged === stored!.ballotsPb) forged = await draw()
    await db.execute(sql`alter table results disable trigger user`)
    await db
      .update(results)
      .set({ ballotsPb: forged, ballotsSha256: sha256(forged) })
      .where(eq(results.roundId, roundId))
    await db.execute(sql`alter table results enable trigger user`)
    const { status, page } = await readAfterRenewal(t)
    const body = page.text()
    t.equal(status, 200)
    t.match(body, msg('transparency.check.textChanged'))
    t.notMatch(body, 'precies dezelfde')
    t.notMatch(body, sha256(forged), 'the hash shown is the one in the audit chain')
    await db.execute(sql`alter table results disable trigger user`)
    await db
      .update(results)
      .set({ ballotsPb: stored!.ballotsPb, ballotsSha256: stored!.ballotsSha256 })
      .where(eq(results.roundId, roundId))
    await db.execute(sql`alter table results enable trigger user`)
  },
)

t.test('a published round whose stored .pb cannot be read says so instead of failing', async (t) => {
  const [stored] = await db.select().from(results)
  await db.execute(sql`alter table results disable trigger user`)
  await db.update(results).set({ ballotsPb: 'META\nkey;value\n"never closed' }).where(eq(results.roundId, roundId))
  await db.execute(sql`alter table results enable trigger user`)
  const { status, page } = await readAfterRenewal(t)
  const body = page.text()
  t.equal(status, 200)
  t.match(body, msg('transparency.check.unreadable'))
  t.equal((await read('/rounds/noord/results')).status, 200, 'the results page still shows the frozen result')
  await db.execute(sql`alter table results disable trigger user`)
  await db.update(results).set({ ballotsPb: stored!.ballotsPb }).where(eq(results.roundId, roundId))
  await db.execute(sql`alter table results enable trigger user`)
})

t.test('an audit entry changed in the database shows the chain broken at that entry', async (t) => {
  const [reject] = await db.select().from(auditLog).where(eq(auditLog.action, 'proposal.reject'))
  const setActor = async (actor: string) => {
    await db.execute(sql`alter table audit_log disable trigger user`)
    await db.update(auditLog).set({ actor }).where(eq(auditLog.id, reject!.id))
    await db.execute(sql`alter table audit_log enable trigger user`)
  }
  await setActor('someone-else@example.test')
  t.teardown(() => setActor(reject!.actor))
  const { page } = await readAfterRenewal(t)
  const count = (await db.select().from(auditLog)).length
  const alert = page.get('#audit + .alert')
  t.equal(alert.text, msg('transparency.audit.broken', { id: reject!.id, at: '24 nov 2026, 12:00', count }))
  t.equal(alert.getAttribute('role'), 'alert')
})
