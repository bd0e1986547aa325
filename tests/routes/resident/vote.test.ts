import t, { type Test } from 'tap'
import { eq } from 'drizzle-orm'
import { ballots, proposals, rounds, votingCodes } from '../../../db/schema.js'
import { hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { formatEuro } from '../../../server/formatters.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId, projects, byTitle, codes, nextCode } = await demoRound(t, {
  phase: 'voting',
  codes: 40,
  group: '3024',
  officials: [],
})
const coaches = byTitle('Energiecoaches')
const insulation = byTitle('Isolatiehulp')
const solar = byTitle('Zonnepanelen')
const cafe = byTitle('Energiecafé')

async function ballotCount() {
  return (await db.select().from(ballots)).length
}

/** A resident who has entered a letter code and sees the ballot. */
async function residentWithCode(code = nextCode()) {
  const v = new Visitor(app)
  await v.get(`/rounds/${round.slug}/vote`)
  const res = await v.post(`/rounds/${round.slug}/vote`, { code })
  return { v, res, code }
}

t.test('the ballot shows only the approved projects, with the budget meter', async (t) => {
  const { v, res } = await residentWithCode()
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/rounds/${round.slug}/vote/ballot`)
  const res2 = await v.get(`/rounds/${round.slug}/vote/ballot`)
  t.equal(res2.statusCode, 200)
  t.equal(res2.headers['cache-control'], 'no-store')
  const page = html(res2)
  const offered = page.all('#ballot input[name=projects]').map((input) => Number(input.getAttribute('value')))
  t.same(offered.sort(), projects.map((p) => p.id).sort(), 'exactly the approved projects: none waiting, none rejected')
  t.same(page.texts('#ballot .project__title').sort(), projects.map((p) => p.title).sort())
  t.match(page.text('.meter__numbers'), msg('vote.left', { left: '€ 100.000' }))
})

t.test('a resident votes inside the budget, gets a receipt, and the receipt says the ballot counts', async (t) => {
  const { v } = await residentWithCode()
  await v.get(`/rounds/${round.slug}/vote/ballot`)
  const res = await v.post(`/rounds/${round.slug}/vote/ballot`, {
    projects: [String(coaches.id), String(solar.id)],
    intent: 'submit',
  })
  t.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  t.match(location, /^\/receipts\/[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}\?new=1$/)
  const code = /^\/receipts\/([^?]+)/.exec(location)![1]!
  const stored = await db.select().from(ballots).where(eq(ballots.receipt, code))
  t.equal(stored.length, 1)
  t.same(
    stored[0]!.projectIds,
    [coaches.id, solar.id].sort((a, b) => a - b),
  )
  t.equal(stored[0]!.channel, 'online')
  const receipt = await v.get(location)
  t.equal(receipt.statusCode, 200)
  const page = html(receipt)
  t.equal(page.text('.alert--ok strong'), msg('receipt.thanks'))
  t.equal(page.text('.receipt-code'), code)
  t.ok(page.texts('main p').includes(msg('receipt.inCount', { round: round.title })), 'the ballot counts')
  t.notMatch(page.text(), coaches.title, 'the receipt reveals nothing of the choice')
  const lookup = await new Visitor(app).get(
    `/receipts?receipt=${encodeURIComponent(code.toLowerCase().replace('-', ' '))}`,
  )
  t.equal(lookup.statusCode, 303, 'typing the receipt in any case works')
})

t.test('with htmx each choice updates the meter; a project that no longer fits says why', async (t) => {
  const { v } = await residentWithCode()
  await v.get(`/rounds/${round.slug}/vote/ballot`)
  const chosen = [insulation, solar, coaches, cafe].map((p) => String(p.id))
  const before = await ballotCount()
  const res = await v.post(`/rounds/${round.slug}/vote/ballot`, { projects: chosen }, { 'hx-request': 'true' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers.vary, 'HX-Request, Accept-Language, Cookie')
  const fragment = html(res)
  t.notOk(fragment.has('html'), 'only the ballot fragment')
  t.ok(fragment.has('form#ballot'))
  t.equal(
    fragment.text('.meter__numbers'),
    `${msg('vote.spent', { spent: '€ 92.500' })} · ${msg('vote.left', { left: '€ 7.500' })}`,
  )
  const heatScan = fragment.get(`#project-${byTitle('Warmtescan').id}`)
  t.equal(heatScan.getAttribute('aria-disabled'), 'true', 'the heat scan (€ 9.500) no longer fits')
  t.equal(
    fragment.text(`#${heatScan.getAttribute('aria-describedby')}`),
    msg('vote.doesNotFit', { short: '€ 2.000' }),
    'and says why',
  )
  t.notOk(
    fragment.get(`#project-${byTitle('Buurtmoestuin').id}`).hasAttribute('aria-disabled'),
    'the garden (€ 6.000) still fits',
  )
  t.same(fragment.checked('projects').sort(), [...chosen].sort())
  t.equal(await ballotCount(), before, 'checking stores nothing')
})

t.test('without JavaScript, "check my choice" re-renders the whole page with the meter', async (t) => {
  const { v } = await residentWithCode()
  await v.get(`/rounds/${round.slug}/vote/ballot`)
  const res = await v.post(`/rounds/${round.slug}/vote/ballot`, {
    projects: [String(insulation.id), String(solar.id), String(coaches.id), String(cafe.id)],
    intent: 'check',
  })
  t.equal(res.statusCode, 200)
  const page = html(res)
  t.ok(page.has('html'), 'the whole page')
  t.match(page.text('.meter__numbers'), msg('vote.left', { left: '€ 7.500' }))
})

/** Submits a ballot for a fresh code and expects it refused with the message `key`, nothing stored. */
async function expectRefused(t: Test, chosen: number[], key: string, vars: Record<string, unknown> = {}) {
  const { v } = await residentWithCode()
  await v.get(`/rounds/${round.slug}/vote/ballot`)
  const before = await ballotCount()
  const res = await v.post(`/rounds/${round.slug}/vote/ballot`, { projects: chosen.map(String), intent: 'submit' })
  t.equal(res.statusCode, 422, key)
  t.equal(html(res).alert, msg(`vote.error.${key}`, vars), key)
  t.equal(await ballotCount(), before, 'nothing stored')
}

/** The demo round as the file starts it (voting, knapsack, no minimum); a subtest that changes it is undone afterwards. */
async function asSeeded(t: Test) {
  const reset = () =>
    db
      .update(rounds)
      .set({ phase: 'voting', ballotFormat: 'knapsack', maxChoices: null, minSpendPercent: 0 })
      .where(eq(rounds.id, roundId))
  await reset()
  t.teardown(reset)
}

t.test('the server refuses ballots the rules do not allow, whatever the browser sent', async (t) => {
  const waiting = (await db.select().from(proposals).where(eq(proposals.status, 'submitted')))[0]!
  const [other] = await db
    .insert(rounds)
    .values({
      slug: 'oude-westen',
      title: 'Oude Westen',
      neighbourhood: 'Oude Westen',
      budgetCents: 1_000_000,
      phase: 'voting',
    })
    .returning()
  const [foreign] = await db
    .insert(proposals)
    .values({
      roundId: other!.id,
      reference: 'WB-OTHER1',
      statusToken: 'other-token-xxxxxxxxxxxxxxxxxxxxxxx',
      title: 'Elders',
      summary: 's',
      description: 'd',
      costCents: 100,
      track: 'social',
      themes: ['green'],
      contactName: 'x',
      status: 'approved',
    })
    .returning()
  await asSeeded(t)
  await expectRefused(t, [insulation.id, solar.id, coaches.id, byTitle('Warmtescan').id, cafe.id], 'over-budget', {
    over: '€ 2.000',
  })
  await expectRefused(t, [], 'empty')
  await expectRefused(t, [coaches.id, coaches.id], 'duplicate')
  await expectRefused(t, [coaches.id, 999_999], 'unknown-project')
  await expectRefused(t, [coaches.id, waiting.id], 'unknown-project')
  await expectRefused(t, [coaches.id, foreign!.id], 'unknown-project')

  await db.update(rounds).set({ minSpendPercent: 50 }).where(eq(rounds.id, roundId))
  await expectRefused(t, [coaches.id], 'under-minimum', { minimum: '€ 50.000' })
  await db
    .update(rounds)
    .set({ ballotFormat: 'approval', maxChoices: 2, minSpendPercent: 0 })
    .where(eq(rounds.id, roundId))
  await expectRefused(t, [coaches.id, cafe.id, solar.id], 'too-many', { count: 3, max: 2, tooMany: 1 })
  await db.update(rounds).set({ ballotFormat: 'knapsack', maxChoices: null }).where(eq(rounds.id, roundId))

  const { v } = await residentWithCode()
  await v.get(`/rounds/${round.slug}/vote/ballot`)
  const before = await ballotCount()
  const junk = await v.post(`/rounds/${round.slug}/vote/ballot`, { projects: ['abc', '1e3'], intent: 'submit' })
  t.equal(junk.statusCode, 422)
  const noToken = await v.post(`/rounds/${round.slug}/vote/ballot`, {
    projects: [String(cafe.id)],
    intent: 'submit',
    _csrf: null,
  })
  t.equal(noToken.statusCode, 403)
  t.equal(await ballotCount(), before, 'neither stored anything')
})

t.test('a code can change its ballot until voting closes; the last one counts and the receipt stays', async (t) => {
  const { v, code } = await residentWithCode()
  await v.get(`/rounds/${round.slug}/vote/ballot`)
  const before = await ballotCount()
  const first = await v.post(`/rounds/${round.slug}/vote/ballot`, { projects: [String(cafe.id)], intent: 'submit' })
  const again = await residentWithCode(code)
  const res = await again.v.get(`/rounds/${round.slug}/vote/ballot`)
  const page = html(res)
  t.equal(page.text('main > .alert'), msg('vote.votedBefore'))
  t.same(page.checked('projects'), [String(cafe.id)], 'changing starts from the earlier choice')
  t.match(
    page.text('.meter__numbers'),
    msg('vote.spent', { spent: formatEuro(cafe.costCents, 'nl') }),
    'and the meter counts it',
  )
  t.notMatch(res.body, code, 'the code is not on the ballot page')
  const second = await again.v.post(`/rounds/${round.slug}/vote/ballot`, {
    projects: [String(solar.id), String(coaches.id)],
    intent: 'submit',
  })
  t.equal(second.headers.location, first.headers.location, 'the same receipt')
  const receipt = String(first.headers.location).slice('/receipts/'.length, -'?new=1'.length)
  const [stored] = await db.select().from(ballots).where(eq(ballots.receipt, receipt))
  t.same(
    stored!.projectIds,
    [coaches.id, solar.id].sort((a, b) => a - b),
  )
  t.equal(await ballotCount(), before + 1, 'one ballot for the code')
})

t.test('20 concurrent submits with one code store exactly one ballot, equal to one of them in full', async (t) => {
  const code = nextCode()
  const choices = [
    [coaches.id],
    [solar.id, cafe.id],
    [insulation.id, coaches.id],
    [byTitle('Buurtmoestuin').id, cafe.id, coaches.id],
  ]
  const residents = await Promise.all(Array.from({ length: 20 }, () => residentWithCode(code)))
  for (const r of residents) await r.v.get(`/rounds/${round.slug}/vote/ballot`)
  const before = await ballotCount()
  const replies = await Promise.all(
    residents.map((r, i) =>
      r.v.post(`/rounds/${round.slug}/vote/ballot`, {
        projects: choices[i % choices.length]!.map(String),
        intent: 'submit',
      }),
    ),
  )
  t.ok(replies.every((r) => r.statusCode === 303))
  t.equal(await ballotCount(), before + 1)
  const receipts = new Set(replies.map((r) => r.headers.location))
  t.equal(receipts.size, 1, 'every reply names the one ballot')
  const receipt = String([...receipts][0]).slice('/receipts/'.length, -'?new=1'.length)
  const [stored] = await db.select().from(ballots).where(eq(ballots.receipt, receipt))
  const sorted = choices.map((c) => [...c].sort((a, b) => a - b))
  t.ok(
    sorted.some((c) => JSON.stringify(c) === JSON.stringify(stored!.projectIds)),
    'one submitted ballot in full, never a mix',
  )
})

t.test(
  'unknown, empty and revoked codes are refused with a clear message; guessing is rate-limited and counted',
  async (t) => {
    const v = new Visitor(app, '10.9.9.9')
    await v.get(`/rounds/${round.slug}/vote`)
    const empty = await v.post(`/rounds/${round.slug}/vote`, { code: '' })
    t.equal(empty.statusCode, 422)
    t.equal(html(empty).text('#code-error'), msg('vote.codeRequired'))
    t.equal(html(empty).field('code').invalid, true)
    const before = (await db.select().from(rounds).where(eq(rounds.id, roundId)))[0]!.failedCodeAttempts
    for (let i = 0; i < 10; i++) {
      const res = await v.post(`/rounds/${round.slug}/vote`, { code: 'ABCD-EFGH-JKMN-PQRS' })
      t.equal(res.statusCode, 422)
    }
    const blocked = await v.post(`/rounds/${round.slug}/vote`, { code: codes[39]! })
    t.equal(blocked.statusCode, 429, 'even a right code waits once this address guessed ten times')
    t.equal(html(blocked).text('#code-error'), msg('vote.tooManyCodes'))
    t.equal((await db.select().from(rounds).where(eq(rounds.id, roundId)))[0]!.failedCodeAttempts, before + 10)

    const code = nextCode()
    const { v: r, res } = await residentWithCode(code)
    t.equal(res.statusCode, 303)
    await db
      .update(votingCodes)
      .set({ revokedAt: new Date() })
      .where(eq(votingCodes.codeHash, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!)))
    await r.get(`/rounds/${round.slug}/vote/ballot`)
    const late = await r.post(`/rounds/${round.slug}/vote/ballot`, { projects: [String(cafe.id)], intent: 'submit' })
    t.equal(late.statusCode, 409, 'a code revoked while the ballot page was open cannot vote')
    t.equal(html(late).text('#code-error'), msg('vote.codeRevoked'))
    const again = await residentWithCode(code)
    t.equal(again.res.statusCode, 422)
    t.equal(html(again.res).text('#code-error'), msg('vote.codeRevoked'))
  },
)

t.test('a forged ballot cookie leads back to code entry', async (t) => {
  const forged = await app.inject({
    url: `/rounds/${round.slug}/vote/ballot`,
    headers: { cookie: `ballot=${roundId}.1.forged` },
  })
  t.equal(forged.statusCode, 303)
  t.equal(forged.headers.location, `/rounds/${round.slug}/vote`)
  const unsigned = await app.inject({
    url: `/rounds/${round.slug}/vote/ballot`,
    headers: { cookie: `ballot=${roundId}.1` },
  })
  t.equal(unsigned.statusCode, 303)
})

t.test('before voting opens and after it closes, nothing can be cast', async (t) => {
  await asSeeded(t)
  const { v } = await residentWithCode()
  await v.get(`/rounds/${round.slug}/vote/ballot`)
  const before = await ballotCount()
  await setPhase(db, roundId, 'closed')
  const closed = await v.post(`/rounds/${round.slug}/vote/ballot`, { projects: [String(cafe.id)], intent: 'submit' })
  t.equal(closed.statusCode, 409)
  t.equal(html(closed).text('main > .alert'), msg('vote.closed'))
  const entry = html(await new Visitor(app).get(`/rounds/${round.slug}/vote`))
  t.equal(entry.text('main > .alert'), msg('vote.closed'))
  t.notOk(entry.has('input[name=code]'), 'no code to type')
  await setPhase(db, roundId, 'reviewing')
  const early = html(await new Visitor(app).get(`/rounds/${round.slug}/vote`))
  t.match(early.text('main > .alert'), msg('vote.notYet'))
  t.equal(await ballotCount(), before)
})

t.test('unknown receipts are not found; receipts never show choices', async (t) => {
  const res = await new Visitor(app).get('/receipts/ABCDE-FGHJK')
  t.equal(res.statusCode, 404)
  t.equal(html(res).alert, msg('receipt.notFound'))
  const junk = await new Visitor(app).get('/receipts?receipt=%3Cscript%3E')
  t.equal(junk.statusCode, 422)
  t.same(
    html(junk)
      .all('script')
      .filter((s) => !s.hasAttribute('src')),
    [],
    'what was typed is not run',
  )
})

t.test('during voting the round page invites residents to vote', async (t) => {
  await asSeeded(t)
  const page = html(await new Visitor(app).get(`/rounds/${round.slug}`))
  t.equal(page.get('a.proposal-button-large').getAttribute('href'), `/rounds/${round.slug}/vote`)
})

t.test('each htmx tick also updates a live region that stays on the page', async (t) => {
  const { v } = await residentWithCode()
  const region = html(await v.get(`/rounds/${round.slug}/vote/ballot`)).get('#ballot-announce')
  t.match(region.attributes, { role: 'status', 'aria-live': 'polite' })
  t.equal(region.text, '', 'empty until something is chosen')
  const res = await v.post(
    `/rounds/${round.slug}/vote/ballot`,
    { projects: [String(cafe.id)] },
    { 'hx-request': 'true' },
  )
  const update = html(res).get('#ballot-announce')
  t.equal(update.getAttribute('hx-swap-oob'), 'innerHTML', 'only the words inside the region change')
  t.equal(
    html(res).text('#ballot-announce'),
    `${msg('vote.spent', { spent: '€ 4.500' })}. ${msg('vote.left', { left: '€ 95.500' })}.`,
  )
})

t.test('an htmx tick after voting closed or without a code reloads the page instead of nesting one', async (t) => {
  await asSeeded(t)
  const { v } = await residentWithCode()
  await v.get(`/rounds/${round.slug}/vote/ballot`)
  await setPhase(db, roundId, 'closed')
  const closed = await v.post(
    `/rounds/${round.slug}/vote/ballot`,
    { projects: [String(cafe.id)] },
    { 'hx-request': 'true' },
  )
  t.equal(closed.headers['hx-refresh'], 'true')
  t.notOk(html(closed).has('html'))
  await setPhase(db, roundId, 'voting')
  const stranger = new Visitor(app)
  await stranger.get(`/rounds/${round.slug}/vote`)
  const noCode = await stranger.post(
    `/rounds/${round.slug}/vote/ballot`,
    { projects: [String(cafe.id)] },
    { 'hx-request': 'true' },
  )
  t.equal(noCode.headers['hx-redirect'], `/rounds/${round.slug}/vote`)
  t.notOk(html(noCode).has('html'))
})
