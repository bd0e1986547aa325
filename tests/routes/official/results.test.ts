import { randomInt } from 'node:crypto'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, ballots, progressUpdates, results, rounds, votingCodes } from '../../../db/schema.js'
import { findCode } from '../../../server/data/voting-codes.js'
import { castBallot } from '../../../server/data/ballots.js'
import { parsePb, pbTallyInput } from '../../../server/domain/pabulib/read.js'
import { sha256 } from '../../../server/domain/common/digest.js'
import { tally, type TallyResult } from '../../../server/domain/tally/tally.js'
import { generateReceipt, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { demoRound } from '../../helpers/fixtures.js'
import { html, msg, msgPattern } from '../../helpers/html.js'
import { setPhase } from '../../helpers/voting.js'

const {
  db,
  roundId,
  projects,
  byTitle,
  codes,
  signedIn: as,
} = await demoRound(t, { phase: 'voting', codes: 60, group: '3024' })
const id = (start: string) => byTitle(start).id
// Coaches and the café are popular; insulation has a large, loyal group.
const choices = [
  [id('Energiecoaches'), id('Energiecafé')],
  [id('Energiecoaches'), id('Warmtescan')],
  [id('Isolatiehulp'), id('Zonnepanelen')],
  [id('Energiecoaches'), id('Energiecafé'), id('Buurtmoestuin')],
  [id('Isolatiehulp')],
]
for (const [i, code] of codes.entries()) {
  const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
  await castBallot(db, {
    roundId,
    codeId: found!.id,
    channel: i % 10 === 0 ? 'paper' : 'online',
    projectIds: choices[i % choices.length]!.sort((a, b) => a - b),
    receipt: generateReceipt(randomInt),
  })
}
// A lost letter: its ballot stays stored but does not count.
const revoked = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(codes[0]!)!))
await db.update(votingCodes).set({ revokedAt: new Date() }).where(eq(votingCodes.id, revoked!.id))
await setPhase(db, roundId, 'closed')

let publishing: Promise<void> | undefined
/** The admin publishes the round's result; once, by whichever subtest needs it first. */
function published() {
  publishing ??= (async () => {
    const admin = await as('admin')
    await admin.get(`/official/rounds/${roundId}/results`)
    const res = await admin.post(`/official/rounds/${roundId}/publish`, {})
    if (res.statusCode !== 303) throw new Error(`publishing answered ${res.statusCode}`)
  })()
  return publishing
}

t.test("after voting closes an admin previews both rules side by side, the round's rule marked", async (t) => {
  const admin = await as('admin')
  const res = await admin.get(`/official/rounds/${roundId}/results`)
  t.equal(res.statusCode, 200)
  const page = html(res)
  t.equal(
    page.text('main > p:not(.breadcrumb)'),
    msg('results.previewIntro', { count: 59 }),
    "the revoked code's ballot does not count",
  )
  const previews = page.all('section.preview')
  t.same(
    previews.map((p) => p.getAttribute('aria-labelledby')).sort(),
    ['rule-equal-shares', 'rule-greedy'],
    'both rules',
  )
  t.equal(
    page.get('section.preview--official').getAttribute('aria-labelledby'),
    'rule-equal-shares',
    "the round's rule is marked",
  )
  t.equal(page.text('#rule-greedy'), msg('results.rule.greedy'))
  const reasons = page
    .get('section.preview--official')
    .querySelectorAll('tr.is-funded td:last-child')
    .map((td) => td.text)
  t.ok(
    reasons.length > 0 &&
      reasons.every(
        (r) =>
          msgPattern('results.reason.mes-funded').test(r) || msgPattern('results.reason.completion-funded').test(r),
      ),
    'each funded project says why',
  )
  t.same(
    page.all('form').filter((f) => f.getAttribute('action')?.endsWith('/publish')),
    [],
    'no publishing from here',
  )
  t.ok(page.links.includes(`/official/rounds/${roundId}/publish`), 'on to the confirmation page')
  t.equal((await db.select().from(results)).length, 0, 'previewing publishes nothing')
})

t.test(
  'before the irreversible step a page shows the rule, the winners, the money spent and what the other rule funds instead',
  async (t) => {
    const admin = await as('admin')
    const counted = (await db.select({ ids: ballots.projectIds, code: ballots.codeId }).from(ballots))
      .filter((b) => b.code !== revoked!.id)
      .map((b) => b.ids.map(String))
    const reference = (id: string) => projects.find((p) => String(p.id) === id)!
    const named = (ids: string[]) => ids.map((id) => `${reference(id).reference} ${reference(id).title}`)
    const confirmation = async (budgetCents: number) => {
      await db.update(rounds).set({ budgetCents }).where(eq(rounds.id, roundId))
      const res = await admin.get(`/official/rounds/${roundId}/publish`)
      t.equal(res.statusCode, 200)
      const input = {
        budget: budgetCents,
        unit: 100,
        projects: projects.map((p, order) => ({ id: String(p.id), cost: p.costCents, order })),
        ballots: counted,
      }
      return { page: html(res), counting: tally(input, 'equal-shares'), other: tally(input, 'greedy') }
    }
    const column = (page: ReturnType<typeof html>, id: string) =>
      page.rows(`#${id} + .table-scroll table`).map((row) => row[0])

    const same = await confirmation(100_000_00)
    t.same(
      [...same.counting.selected].sort(),
      [...same.other.selected].sort(),
      'with the whole budget both rules agree',
    )
    t.ok(
      same.page.texts('p').includes(msg('results.confirm.same', { other: msg('results.rule.greedy') })),
      'and the page says so',
    )
    const facts = same.page.facts('.facts--large')
    t.equal(facts[msg('results.confirm.rule')], msg('results.rule.equal-shares'), 'the rule that counts')
    t.equal(
      facts[msg('outcome.spent')],
      `€ ${(same.counting.totalCost / 100).toLocaleString('nl-NL')}`,
      'the money spent',
    )
    t.same(column(same.page, 'winners'), named(same.counting.selected), 'the winners, in the order they were chosen')

    const { page, counting, other } = await confirmation(70_000_00)
    const onlyCounting = counting.selected.filter((id) => !other.selected.includes(id))
    const onlyOther = other.selected.filter((id) => !counting.selected.includes(id))
    t.ok(onlyCounting.length > 0 && onlyOther.length > 0, 'with €70,000 the two rules differ')
    t.same(column(page, 'only-counting'), named(onlyCounting), 'what only equal shares funds')
    t.same(column(page, 'only-other'), named(onlyOther), 'what greedy would have funded instead')
    t.ok(
      page.texts('p').includes(
        msg('results.confirm.otherSpent', {
          rule: msg('results.rule.greedy'),
          spent: `€ ${(other.totalCost / 100).toLocaleString('nl-NL')}`,
        }),
      ),
      'and what greedy would have spent',
    )
    await db.update(rounds).set({ budgetCents: 100_000_00 }).where(eq(rounds.id, roundId))

    const form = page.form(`/official/rounds/${roundId}/publish`)
    t.equal(form.getAttribute('method'), 'post')
    t.ok(form.querySelector('input[name=_csrf]')?.getAttribute('value'), 'the final step carries the CSRF token')
    t.equal((await db.select().from(results)).length, 0, 'the confirmation page publishes nothing')
    const [phase] = await db.select({ phase: rounds.phase }).from(rounds).where(eq(rounds.id, roundId))
    t.equal(phase!.phase, 'closed')
  },
)

t.test('the confirmation page is for admins of a closed round only', async (t) => {
  for (const role of ['moderator', 'council'] as const) {
    const v = await as(role)
    t.equal((await v.get(`/official/rounds/${roundId}/publish`)).statusCode, 403, role)
  }
})

t.test(
  'moderators and council members cannot preview or publish; nobody sees results before publication',
  async (t) => {
    for (const role of ['moderator', 'council'] as const) {
      const v = await as(role)
      t.equal((await v.get(`/official/rounds/${roundId}/results`)).statusCode, 403, role)
      await v.get('/official')
      t.equal((await v.post(`/official/rounds/${roundId}/publish`, {})).statusCode, 403, role)
    }
    t.equal((await db.select().from(results)).length, 0)
  },
)

t.test('publishing freezes the counted result, the anonymised ballots and their hash in the audit log', async (t) => {
  const admin = await as('admin')
  await published()
  const [stored] = await db.select().from(results)
  t.ok(stored)
  t.equal(stored!.rule, 'equal-shares')
  t.equal(stored!.ballotCount, 59)
  t.equal(stored!.ballotsSha256, sha256(stored!.ballotsPb))
  t.match(stored!.softwareVersion, /^wijkbudget \d+\.\d+\.\d+/)
  const [phase] = await db.select({ phase: rounds.phase }).from(rounds).where(eq(rounds.id, roundId))
  t.equal(phase!.phase, 'published')
  const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'results.publish'))
  t.equal(entry!.details.ballotsSha256, stored!.ballotsSha256)
  t.equal(entry!.details.rule, 'equal-shares')
  t.equal(entry!.details.softwareVersion, stored!.softwareVersion)
  t.equal(entry!.details.reusedPreview, true, 'the count previewed just before is the one published')

  const recount = tally(pbTallyInput(parsePb(stored!.ballotsPb)), 'equal-shares')
  t.same(
    recount.selected.sort(),
    [...(stored!.outcome as TallyResult).selected].sort(),
    'anyone can recount the export',
  )
  t.notMatch(stored!.ballotsPb, codes[1]!, 'no codes in the export')

  const page = html(await admin.get(`/official/rounds/${roundId}/results`))
  t.equal(page.facts()[msg('results.ballotsHash')], stored!.ballotsSha256)
  const again = await admin.post(`/official/rounds/${roundId}/publish`, {})
  t.equal(again.statusCode, 409, 'publishing twice changes nothing')
  t.equal(
    (await admin.get(`/official/rounds/${roundId}/publish`)).statusCode,
    409,
    'nor is there a confirmation page for a published round',
  )
  t.equal((await db.select().from(auditLog).where(eq(auditLog.action, 'results.publish'))).length, 1)
})

t.test('after publication ballots and revocations cannot change, whatever writes to the database', async (t) => {
  await published()
  const code = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(codes[5]!)!))
  t.equal(
    await castBallot(db, {
      roundId,
      codeId: code!.id,
      channel: 'online',
      projectIds: [id('Isolatiehulp')],
      receipt: generateReceipt(randomInt),
    }),
    null,
  )
  await t.rejects(
    db
      .update(ballots)
      .set({ projectIds: [id('Isolatiehulp')] })
      .where(eq(ballots.roundId, roundId)),
  )
  await t.rejects(db.delete(ballots).where(eq(ballots.roundId, roundId)))
  await t.rejects(db.update(votingCodes).set({ revokedAt: new Date() }).where(eq(votingCodes.id, code!.id)))
  t.equal((await db.select().from(ballots)).length, 60)
})

t.test(
  'admins and moderators post progress on funded projects; bad input is refused and changes nothing',
  async (t) => {
    await published()
    const [stored] = await db.select().from(results)
    const funded = (stored!.outcome as TallyResult).selected.map(Number)
    const notFunded = projects.find((p) => !funded.includes(p.id))
    const moderator = await as('moderator')
    await moderator.get(`/official/rounds/${roundId}/progress`)
    const bad: [Record<string, string>, string, string][] = [
      [
        { proposal: String(notFunded?.id ?? 999999), status: 'planned', text: 'x', on: '2027-01-10' },
        'proposal',
        'results.progress.chooseProject',
      ],
      [
        { proposal: String(funded[0]), status: 'paused', text: 'x', on: '2027-01-10' },
        'status',
        'results.progress.chooseStatus',
      ],
      [{ proposal: String(funded[0]), status: 'planned', text: '  ', on: '2027-01-10' }, 'text', 'form.required'],
      [
        { proposal: String(funded[0]), status: 'planned', text: 'x'.repeat(2001), on: '2027-01-10' },
        'text',
        'form.tooLong',
      ],
      [
        { proposal: String(funded[0]), status: 'planned', text: 'x', on: '2027-02-30' },
        'on',
        'results.progress.chooseDate',
      ],
    ]
    const before = (await db.select().from(progressUpdates)).length
    for (const [form, field, key] of bad) {
      const res = await moderator.post(`/official/rounds/${roundId}/progress`, form)
      t.equal(res.statusCode, 422, key)
      t.equal(html(res).text(`#${field}-error`), msg(key), key)
    }
    t.equal((await db.select().from(progressUpdates)).length, before)
    const ok = await moderator.post(`/official/rounds/${roundId}/progress`, {
      proposal: String(funded[0]),
      status: 'in_progress',
      text: 'De eerste <b>tien</b> coaches zijn opgeleid.',
      on: '2027-02-01',
    })
    t.equal(ok.statusCode, 303)
    const update = (await db.select().from(progressUpdates).orderBy(progressUpdates.id)).at(-1)
    t.equal(update!.status, 'in_progress')
    t.equal(update!.proposalId, funded[0])
    t.equal(ok.headers.location, `/official/rounds/${roundId}/progress?saved=1#project-${funded[0]}`)
    const page = html(await moderator.get(`/official/rounds/${roundId}/progress?saved=1`))
    t.equal(page.text('[role=status]'), msg('results.progress.saved'))
    t.ok(
      page.texts('ul.history .history__message').includes('De eerste <b>tien</b> coaches zijn opgeleid.'),
      'shown as text',
    )
    t.equal((await db.select().from(auditLog).where(eq(auditLog.action, 'progress.post'))).length, 1)
    const council = await as('council')
    await council.get(`/official/rounds/${roundId}/results`)
    t.equal(
      (
        await council.post(`/official/rounds/${roundId}/progress`, {
          proposal: String(funded[0]),
          status: 'done',
          text: 'x',
          on: '2027-03-01',
        })
      ).statusCode,
      403,
    )
  },
)
