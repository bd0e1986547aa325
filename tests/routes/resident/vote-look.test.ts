import { randomInt } from 'node:crypto'
import { Writable } from 'node:stream'
import { brotliDecompressSync } from 'node:zlib'
import t, { type Test } from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, ballots, budgets, proposals, rounds, sessions } from '../../../db/schema.js'
import { HTMX_PATH } from '../../../server/assets.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { setPhase } from '../../helpers/voting.js'
import { createOfficial } from '../../helpers/officials.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { insertCodeBatch } from '../../../server/data/voting-codes.js'
import { generateCode, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { formatEuro } from '../../../server/formatters.js'

// Every log line the app writes, to show that no choice reaches one.
const logged: string[] = []
const to = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged.push(...chunk.toString().split('\n').filter(Boolean))
    done()
  },
})

const { app, db, round, roundId, projects, byTitle, nextCode } = await demoRound(t, {
  phase: 'voting',
  codes: 20,
  officials: [],
  log: { level: 'info', to },
})
const coaches = byTitle('Energiecoaches')
const solar = byTitle('Zonnepanelen')
const cafe = byTitle('Energiecafé')
const garden = byTitle('Buurtmoestuin')
const ballotPath = `/rounds/${round.slug}/vote/ballot`
const lookPath = (id: number | string) => `/rounds/${round.slug}/vote/look/${id}`

const ballotRows = () => db.select().from(ballots)

async function residentOnBallot(code = nextCode()) {
  const v = new Visitor(app)
  await v.get(`/rounds/${round.slug}/vote`)
  await v.post(`/rounds/${round.slug}/vote`, { code })
  const page = await v.get(ballotPath)
  return { v, page, code }
}

/** The round as the file starts it: voting, knapsack; a subtest that changes it is undone afterwards. */
async function asSeeded(t: Test) {
  const reset = () =>
    db.update(rounds).set({ phase: 'voting', ballotFormat: 'knapsack', maxChoices: null }).where(eq(rounds.id, roundId))
  await reset()
  t.teardown(reset)
}

t.test('every project on the ballot has a "view project" button of the ballot form', async (t) => {
  const { page } = await residentOnBallot()
  const doc = html(page)
  const buttons = doc.all('#ballot button.project__look')
  t.equal(buttons.length, projects.length, 'one per project')
  for (const p of projects) {
    const button = doc.get(`#ballot button[formaction="${lookPath(p.id)}"]`)
    t.equal(button.getAttribute('type'), 'submit', `${p.title}: it sends the form, choices and token with it`)
    t.ok(button.hasAttribute('formnovalidate'))
    t.match(button.text, msg('vote.look.button'))
    t.match(button.text, p.title, 'its name says which project')
  }
  const first = doc.get('#ballot button[type=submit]')
  t.equal(first.getAttribute('value'), 'check', 'Enter in a field still checks the choice, as before')
  t.equal(first.getAttribute('aria-hidden'), 'true')
  t.notOk(doc.has('script[src*="leaflet"]'), 'the ballot loads no map code')
})

t.test(
  'ticking two projects and viewing a third opens its page with a way back; the ballot still has the two ticked',
  async (t) => {
    const { v } = await residentOnBallot()
    const before = (await ballotRows()).length
    const auditBefore = (await db.select().from(auditLog)).length
    const look = await v.post(lookPath(cafe.id), { projects: [String(coaches.id), String(solar.id)] })
    t.equal(look.statusCode, 303)
    t.equal(look.headers.location, `/proposals/${cafe.reference}?from=ballot`, 'the choices are not in the address')
    t.notMatch(String(look.headers.location), String(coaches.id))

    const project = await v.get(String(look.headers.location))
    t.equal(project.statusCode, 200)
    const doc = html(project)
    t.equal(doc.text('h1'), cafe.title, "the project's own public page")
    const back = doc.all('.ballot-back a')
    t.equal(back.length, 2, 'a way back at the top and at the end')
    t.ok(
      back.every((a) => a.getAttribute('href') === `${ballotPath}#project-${cafe.id}`),
      'to the project on the ballot',
    )
    t.equal(back[0]!.text, msg('vote.look.back'))
    t.match(doc.text('.ballot-back'), msg('vote.look.notCast'), 'the choice is kept but not cast')

    const again = html(await v.get(ballotPath))
    t.same(again.checked('projects').sort(), [String(coaches.id), String(solar.id)].sort(), 'the two are still ticked')
    t.ok(again.has(`#project-${cafe.id}`), 'the anchor the way back points to')
    t.ok(again.texts('main > .alert').includes(msg('vote.look.notCast')), 'the ballot says it is not cast yet')
    t.match(
      again.text('.meter__numbers'),
      msg('vote.spent', { spent: formatEuro(coaches.costCents + solar.costCents, 'nl') }),
      'the meter counts the kept choice',
    )

    t.equal((await ballotRows()).length, before, 'a draft is no ballot')
    t.equal((await db.select().from(auditLog)).length, auditBefore, 'nor an audit entry')
    const kept = await db.select().from(sessions)
    t.notOk(
      kept.some((s) => JSON.stringify(s.data).includes(String(coaches.id))),
      'nor anything in a session on the server',
    )

    const cast = await v.post(ballotPath, { projects: [String(coaches.id), String(garden.id)], intent: 'submit' })
    t.equal(cast.statusCode, 303)
    const [stored] = await db
      .select()
      .from(ballots)
      .where(eq(ballots.receipt, /\/receipts\/([^?]+)/.exec(String(cast.headers.location))![1]!))
    t.same(
      stored!.projectIds,
      [coaches.id, garden.id].sort((a, b) => a - b),
      'what was cast counts, not the draft',
    )
    t.equal(v.cookie('ballot-draft'), undefined, 'casting ends the draft')

    const later = await residentOnBallot(undefined)
    t.same(html(later.page).checked('projects'), [], "another code's ballot starts empty")
  },
)

t.test('a draft overrides the cast ballot on the way back, and ends with the code', async (t) => {
  const { v, code } = await residentOnBallot()
  await v.post(ballotPath, { projects: [String(cafe.id)], intent: 'submit' })
  const { v: back } = await residentOnBallot(code)
  t.same(html(await back.get(ballotPath)).checked('projects'), [String(cafe.id)], 'the cast choice, as before')
  await back.post(lookPath(solar.id), { projects: [String(coaches.id)] })
  const shown = html(await back.get(ballotPath))
  t.same(shown.checked('projects'), [String(coaches.id)], 'the choice made before viewing, not the cast one')
  t.equal(shown.text('main > .alert'), msg('vote.votedBefore'))
  await back.post(lookPath(solar.id), {})
  t.same(html(await back.get(ballotPath)).checked('projects'), [], 'unticking everything is kept too')

  const stranger = await residentOnBallot()
  const draft = back.cookie('ballot-draft')!
  const borrowed = await app.inject({
    url: ballotPath,
    headers: { cookie: `${stranger.v.cookieHeader}; ballot-draft=${draft}` },
  })
  t.same(html(borrowed).checked('projects'), [], "a draft of another code's is not shown")

  await back.post(`/rounds/${round.slug}/vote`, { code })
  t.equal(back.cookie('ballot-draft'), undefined, 'entering a code again starts without a draft')
  t.same(html(await back.get(ballotPath)).checked('projects'), [String(cafe.id)])
})

t.test('a points ballot keeps its points', async (t) => {
  await asSeeded(t)
  await db
    .update(rounds)
    .set({ ballotFormat: 'points', pointsPerVoter: 10, maxPointsPerProject: 4 })
    .where(eq(rounds.id, roundId))
  const { v, page } = await residentOnBallot()
  t.equal(html(page).all('#ballot button.project__look').length, projects.length)
  const given = new Map([
    [coaches.id, '4'],
    [solar.id, '3'],
  ])
  const look = await v.post(lookPath(garden.id), {
    projects: projects.map((p) => String(p.id)),
    points: projects.map((p) => given.get(p.id) ?? ''),
  })
  t.equal(look.statusCode, 303)
  const doc = html(await v.get(ballotPath))
  t.equal(doc.get(`#project-${coaches.id}`).getAttribute('value'), '4')
  t.equal(doc.get(`#project-${solar.id}`).getAttribute('value'), '3')
  t.equal(doc.get(`#project-${cafe.id}`).getAttribute('value'), '', 'the others stay empty')
  t.equal(
    doc.text('.meter__numbers'),
    `${msg('vote.pointsUsed', { used: 7, total: 10 })} · ${msg('vote.pointsLeft', { left: 3 })}`,
  )
  t.equal((await ballotRows()).filter((b) => b.points !== null).length, 0, 'nothing cast')
})

t.test('a draft bypasses no rule: over the budget it shows as over, and casting it is refused', async (t) => {
  await asSeeded(t)
  const { v } = await residentOnBallot()
  const all = projects.map((p) => String(p.id))
  await v.post(lookPath(cafe.id), { projects: all })
  const doc = html(await v.get(ballotPath))
  t.same(doc.checked('projects').sort(), [...all].sort(), 'kept as ticked')
  t.ok(doc.has('.meter--over'), 'the meter says it is over the budget')
  const before = (await ballotRows()).length
  const cast = await v.post(ballotPath, { projects: all, intent: 'submit' })
  t.equal(cast.statusCode, 422)
  t.equal((await ballotRows()).length, before)
})

t.test('a project not on the ballot, garbage, no token or no code: refused, and no draft is kept', async (t) => {
  const { v } = await residentOnBallot()
  const waiting = (await db.select().from(proposals).where(eq(proposals.status, 'submitted')))[0]!
  const [other] = await db
    .insert(rounds)
    .values({ slug: 'elders', title: 'Elders', neighbourhood: 'Elders', budgetCents: 1_000_000, phase: 'voting' })
    .returning()
  const [foreign] = await db
    .insert(proposals)
    .values({
      roundId: other!.id,
      reference: 'WB-ELDERS',
      statusToken: 'elders-token-xxxxxxxxxxxxxxxxxxxxxxx',
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
  const form = { projects: [String(coaches.id)] }
  for (const id of [foreign!.id, waiting.id, 999_999_999, 0, 'abc', '1e3', '-1']) {
    const res = await v.post(lookPath(id), form)
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${id}: ${res.statusCode}`)
    t.equal(v.cookie('ballot-draft'), undefined, `${id}: no draft`)
  }
  const long = await v.post(lookPath('1'.repeat(20)), form)
  t.equal(long.statusCode, 400)
  const noToken = await v.post(lookPath(cafe.id), { ...form, _csrf: null })
  t.equal(noToken.statusCode, 403)
  t.equal(v.cookie('ballot-draft'), undefined, 'no draft without the form token')

  const stranger = new Visitor(app)
  await stranger.get(`/rounds/${round.slug}/vote`)
  const noCode = await stranger.post(lookPath(cafe.id), form)
  t.equal(noCode.statusCode, 303, 'without a code, to the code entry')
  t.equal(noCode.headers.location, `/rounds/${round.slug}/vote`)
  t.equal(stranger.cookie('ballot-draft'), undefined)
})

t.test('after voting closed, "view project" shows the closed page and the project page no way back', async (t) => {
  await asSeeded(t)
  const { v } = await residentOnBallot()
  await setPhase(db, roundId, 'closed')
  const res = await v.post(lookPath(cafe.id), { projects: [String(coaches.id)] })
  t.equal(res.statusCode, 409)
  t.equal(html(res).text('main > .alert'), msg('vote.closed'))
  t.equal(v.cookie('ballot-draft'), undefined)
  const project = html(await new Visitor(app).get(`/proposals/${cafe.reference}?from=ballot`))
  t.notOk(project.has('.ballot-back'), 'nothing to go back to')
})

t.test('the public page opened without the ballot shows no way back to it', async (t) => {
  const page = html(await new Visitor(app).get(`/proposals/${cafe.reference}`))
  t.notOk(page.has('.ballot-back'))
})

t.test('the ballot with its buttons weighs under 50 KB compressed with its CSS and htmx', async (t) => {
  const { v } = await residentOnBallot()
  let total = 0
  for (const url of [ballotPath, '/static/app.css', HTMX_PATH]) {
    const res = await app.inject({ url, headers: { cookie: v.cookieHeader, 'accept-encoding': 'br' } })
    t.equal(res.statusCode, 200, url)
    if (url === ballotPath) t.ok(html({ body: brotliDecompressSync(res.rawPayload).toString() }).has('#ballot'))
    total += res.rawPayload.length
  }
  t.ok(total < 50 * 1024, `ballot, CSS and htmx: ${total} bytes compressed`)
})

t.test('no log line holds a choice', async (t) => {
  const { v } = await residentOnBallot()
  const from = logged.length
  await v.post(lookPath(cafe.id), { projects: [String(coaches.id), String(solar.id)] })
  await v.get(ballotPath)
  const lines = logged.slice(from)
  t.equal(lines.length, 2, 'each request is one line')
  const choices = `${coaches.id}_1-${solar.id}_1`
  t.match(decodeURIComponent(v.cookie('ballot-draft')!), choices, 'the draft held the choices')
  for (const line of lines) {
    const entry = JSON.parse(line) as { req: Record<string, unknown>; msg: string }
    t.same(Object.keys(entry.req).sort(), ['method', 'path'], 'a request is logged by its method and path')
    t.match(entry.msg, /^(POST|GET) \/rounds\/[a-z-]+\/vote\/(look\/\d+|ballot) \d{3} \d+ ms$/)
    t.notMatch(line, choices, 'not the draft')
    t.notMatch(line, /ballot-draft|cookie|projects/i, 'no cookie, no form')
  }
})

t.test(
  "in a round of several budgets, a draft holds only the code's own budgets, each shown in its section",
  async (t) => {
    await asSeeded(t)
    const [north, south, city] = await db
      .insert(budgets)
      .values([
        { roundId, name: 'Noord', amountCents: 3_000_000, district: 'Noord', position: 0 },
        { roundId, name: 'Zuid', amountCents: 3_000_000, district: 'Zuid', position: 1 },
        { roundId, name: 'Heel de wijk', amountCents: 6_000_000, district: null, position: 2 },
      ])
      .returning()
    const put = (budgetId: number | null, ...ids: number[]) =>
      Promise.all(ids.map((id) => db.update(proposals).set({ budgetId }).where(eq(proposals.id, id))))
    await put(north!.id, coaches.id, cafe.id)
    await put(south!.id, garden.id)
    await put(city!.id, ...projects.filter((p) => ![coaches, cafe, garden].includes(p)).map((p) => p.id))
    t.teardown(async () => {
      await put(null, ...projects.map((p) => p.id))
      await db.delete(budgets).where(eq(budgets.roundId, roundId))
    })
    const admin = await createOfficial(db, 'admin', 'look-admin@example.test')
    const northCode = generateCode(randomInt)
    await insertCodeBatch(db, {
      roundId,
      groupLabel: 'Noord',
      district: 'Noord',
      hashes: [hashCode(TEST_CONFIG.codeKey, normaliseCode(northCode)!)],
      official: { id: admin.id, email: admin.email },
    })
    const { v, page } = await residentOnBallot(northCode)
    t.notOk(html(page).has(`button[formaction="${lookPath(garden.id)}"]`), "South's project is not on a North ballot")

    const refused = await v.post(lookPath(garden.id), { projects: [String(coaches.id)] })
    t.equal(refused.statusCode, 404, "viewing South's project from a North ballot names nothing")
    t.equal(v.cookie('ballot-draft'), undefined)

    const look = await v.post(lookPath(solar.id), { projects: [coaches, garden, solar].map((p) => String(p.id)) })
    t.equal(look.statusCode, 303)
    const doc = html(await v.get(ballotPath))
    t.same(
      doc.checked('projects').sort(),
      [coaches, solar].map((p) => String(p.id)).sort(),
      'the smuggled one is dropped',
    )
    t.ok(doc.get(`section[aria-labelledby="budget-${north!.id}"] #project-${coaches.id}`).hasAttribute('checked'))
    t.ok(doc.get(`section[aria-labelledby="budget-${city!.id}"] #project-${solar.id}`).hasAttribute('checked'))
  },
)
