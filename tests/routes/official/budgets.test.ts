import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, ballots, budgets, codeBatches, proposals, results, rounds } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { html, msg } from '../../helpers/html.js'
import { randomInt } from 'node:crypto'
import { setPhase } from '../../helpers/voting.js'
import { FORM } from '../../helpers/rounds.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { insertCodeBatch } from '../../../server/data/voting-codes.js'
import { generateCode, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { parsePb, pbTallyInput } from '../../../server/domain/pabulib/read.js'
import { tally } from '../../../server/domain/tally/tally.js'
import { sha256 } from '../../../server/domain/common/digest.js'

const { app, db, round, roundId, byTitle, signedIn: as } = await demoRound(t, { phase: 'reviewing' })
await db.update(rounds).set({ minSpendPercent: 0 }).where(eq(rounds.id, roundId))
const admin = await as('admin')
const page = `/official/rounds/${roundId}/budgets`
const coaches = byTitle('Energiecoaches') // 18,000, social
const cafe = byTitle('Energiecafé') // 4,500, social
const scan = byTitle('Warmtescan') // 9,500, financial-technical
const insulation = byTitle('Isolatiehulp') // 42,000, financial-technical
const solar = byTitle('Zonnepanelen') // 28,000, spatial
const garden = byTitle('Buurtmoestuin') // 6,000, spatial

const stored = () => db.select().from(budgets).where(eq(budgets.roundId, roundId)).orderBy(budgets.position)
const budgetAudit = async () =>
  (await db.select().from(auditLog)).filter((e) => e.action.startsWith('budgets.')).map((e) => e.action)

/** The three districts' form: North and South each with their own codes, and one for the whole neighbourhood. */
const threeBudgets = {
  'id-0': '',
  'name-0': 'Noord',
  'amount-0': '30000',
  'district-0': 'Noord',
  'leftover-0': '2',
  'id-1': '',
  'name-1': 'Zuid',
  'amount-1': '30000',
  'district-1': 'Zuid',
  'leftover-1': '',
  'id-2': '',
  'name-2': 'Heel de wijk',
  'amount-2': '55000',
  'district-2': '',
  'leftover-2': '',
  districtRule: 'own-and-citywide',
}

t.test('a round without budgets of its own shows its whole budget as the one, and a form to split it', async (t) => {
  const res = await admin.get(page)
  t.equal(res.statusCode, 200)
  const doc = html(res)
  t.match(doc.text('h1'), msg('budgets.title', { title: round.title }))
  t.equal(doc.all('input[name^=name-]').length, 1, 'one empty row to add a budget')
  t.notOk(doc.has('#projects'), 'no projects to put in budgets before there are budgets')
  t.ok(html(await admin.get(`/official/rounds/${roundId}`)).links.includes(page), 'the round page links to it')
})

t.test('bad budgets are refused with the reason at the field, and nothing is saved', async (t) => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['a name without an amount', { 'name-0': 'Noord', 'amount-0': '' }, 'amount-0', 'rounds.error.amount.required'],
    ['an amount without a name', { 'name-0': '', 'amount-0': '100' }, 'name-0', 'budgets.error.name'],
    ['no money', { 'name-0': 'Noord', 'amount-0': '0' }, 'amount-0', 'rounds.error.amount.notPositive'],
    ['words for money', { 'name-0': 'Noord', 'amount-0': 'veel' }, 'amount-0', 'rounds.error.amount.invalid'],
    ['a huge name', { 'name-0': 'N'.repeat(121), 'amount-0': '100' }, 'name-0', 'budgets.error.name'],
    [
      'leftovers in a circle',
      { ...threeBudgets, 'leftover-1': '0', 'leftover-0': '1' },
      'leftover-0',
      'budgets.error.leftover-circle',
    ],
    [
      'a leftover to itself',
      { 'name-0': 'Noord', 'amount-0': '100', 'leftover-0': '0' },
      'leftover-0',
      'budgets.error.leftover-to-itself',
    ],
    [
      'a leftover to no row',
      { 'name-0': 'Noord', 'amount-0': '100', 'leftover-0': '7' },
      'leftover-0',
      'budgets.error.leftover-unknown',
    ],
  ]
  for (const [what, form, field, key] of cases) {
    const res = await admin.post(page, { districtRule: 'own-and-citywide', ...form })
    t.equal(res.statusCode, 422, what)
    const doc = html(res)
    t.match(
      doc.text(`#${field}-error`),
      msg(key, { budgetExample: '100.000', amountExample: '€ 2.500,50' }).slice(0, 20),
      what,
    )
    t.equal(doc.get(`#${field}`).getAttribute('aria-invalid'), 'true', what)
  }
  const rule = await admin.post(page, { ...threeBudgets, districtRule: 'everyone-everywhere' })
  t.equal(rule.statusCode, 422, 'an unknown district rule')
  t.same(await stored(), [], 'nothing saved')
  t.same(await budgetAudit(), [])
})

t.test('only an admin sets budgets', async (t) => {
  for (const role of ['moderator', 'coach', 'council'] as const) {
    const v = await as(role)
    t.equal((await v.post(page, threeBudgets)).statusCode, 403, role)
    t.equal((await v.get(page)).statusCode, 403, `${role} does not see the page`)
  }
  t.equal((await new Visitor(app).get(page)).statusCode, 303, 'an anonymous visitor is sent to sign in')
  t.same(await stored(), [])
})

t.test('an admin splits the round into district budgets and a citywide one', async (t) => {
  const res = await admin.post(page, threeBudgets)
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `${page}?saved=1`)
  const rows = await stored()
  t.same(
    rows.map((b) => [b.name, b.amountCents, b.district, b.position]),
    [
      ['Noord', 3_000_000, 'Noord', 0],
      ['Zuid', 3_000_000, 'Zuid', 1],
      ['Heel de wijk', 5_500_000, null, 2],
    ],
  )
  t.equal(rows[0]!.leftoverTo, rows[2]!.id, "North's leftover goes to the whole neighbourhood")
  const [saved] = await db.select().from(rounds).where(eq(rounds.id, roundId))
  t.equal(saved!.budgetCents, 11_500_000, "the round's budget is their sum")
  t.same(await budgetAudit(), ['budgets.save'])

  const doc = html(await admin.get(`${page}?saved=1`))
  t.match(doc.text('[role=status]'), msg('budgets.saved'))
  t.equal(doc.get('#name-2').getAttribute('value'), 'Heel de wijk', 'the form shows what is stored')
  t.equal(doc.get('#leftover-0 option[selected]').getAttribute('value'), '2')
  t.ok(doc.has('#projects'), 'now the projects can be put in budgets')
})

t.test("the round's form keeps the budgets' sum as the round's budget", async (t) => {
  const edit = html(await admin.get(`/official/rounds/${roundId}/edit`))
  t.match(edit.text('#budget-hint'), msg('budgets.roundHint'), 'the form says where the budget is changed')
  const [before] = await db.select().from(rounds).where(eq(rounds.id, roundId))
  const res = await admin.post(`/official/rounds/${roundId}`, {
    ...FORM,
    title: before!.title,
    budget: '1',
    minSpendPercent: '0',
    tallyRule: before!.tallyRule,
    ballotFormat: before!.ballotFormat,
  })
  t.equal(res.statusCode, 303)
  const [after] = await db.select().from(rounds).where(eq(rounds.id, roundId))
  t.equal(after!.budgetCents, 11_500_000, 'still the sum of the budgets')
  t.equal(after!.description, FORM.description, 'the rest of the form is saved')
})

t.test('the admin puts proposals in budgets, one by one and by track', async (t) => {
  const [north, south, city] = await stored()
  const bySocial = await admin.post(`${page}/projects`, { track: 'social', trackBudget: String(north!.id) })
  t.equal(bySocial.statusCode, 303)
  const bySpatial = await admin.post(`${page}/projects`, { track: 'spatial', trackBudget: String(south!.id) })
  t.equal(bySpatial.statusCode, 303)
  const one = await admin.post(`${page}/projects`, {
    [`budget-${scan.id}`]: String(city!.id),
    [`budget-${insulation.id}`]: String(city!.id),
  })
  t.equal(one.statusCode, 303)
  const budgetOf = async (id: number) =>
    (await db.select({ b: proposals.budgetId }).from(proposals).where(eq(proposals.id, id)))[0]!.b
  t.equal(await budgetOf(coaches.id), north!.id)
  t.equal(await budgetOf(cafe.id), north!.id)
  t.equal(await budgetOf(solar.id), south!.id)
  t.equal(await budgetOf(garden.id), south!.id)
  t.equal(await budgetOf(scan.id), city!.id)

  const before = await budgetAudit()
  const foreign = await admin.post(`${page}/projects`, { [`budget-${scan.id}`]: '999999' })
  t.equal(foreign.statusCode, 422, "another round's or no budget")
  t.equal(await budgetOf(scan.id), city!.id, 'unchanged')
  const badTrack = await admin.post(`${page}/projects`, { track: 'everything', trackBudget: String(city!.id) })
  t.equal(badTrack.statusCode, 422)
  t.same(await budgetAudit(), before, 'nothing audited for refused forms')
  t.ok(before.filter((a) => a === 'budgets.assign').length >= 6, 'each move audited')
})

t.test('a batch of codes is bound to a district of the round, and named after it', async (t) => {
  const codesPage = `/official/rounds/${roundId}/codes`
  const form = html(await admin.get(codesPage))
  t.same(
    form.all('#district option').map((o) => o.getAttribute('value')),
    ['', 'Noord', 'Zuid'],
    "the districts of the round's budgets, or none",
  )
  const unknown = await admin.post(codesPage, { count: '3', group: '', district: 'Oost', letters: 'yes' })
  t.equal(unknown.statusCode, 422, 'a district the budgets do not have')
  t.match(html(unknown).text('#district-error'), msg('codes.generate.districtUnknown'))
  const before = await db.select().from(codeBatches)
  const made = await admin.post(codesPage, { count: '3', group: '', district: 'Zuid' })
  t.equal(made.statusCode, 200)
  t.equal(made.headers['content-type'], 'application/zip')
  const batches = await db.select().from(codeBatches)
  t.equal(batches.length, before.length + 1)
  const batch = batches.find((b) => !before.some((x) => x.id === b.id))!
  t.equal(batch.district, 'Zuid')
  t.equal(batch.groupLabel, 'Zuid', 'turnout per district comes from the codes: the group is the district')
})

const ballotPath = `/rounds/${round.slug}/vote/ballot`
async function voter(code: string) {
  const v = new Visitor(app)
  await v.get(`/rounds/${round.slug}/vote`)
  await v.post(`/rounds/${round.slug}/vote`, { code })
  return v
}
async function districtCodes(district: string, n: number): Promise<string[]> {
  const plain = Array.from({ length: n }, () => generateCode(randomInt))
  const [official] = await db.select({ id: auditLog.officialId }).from(auditLog).limit(1)
  await insertCodeBatch(db, {
    roundId,
    groupLabel: district,
    district,
    hashes: plain.map((c) => hashCode(TEST_CONFIG.codeKey, normaliseCode(c)!)),
    official: { id: official!.id!, email: 'admin@example.test' },
  })
  return plain
}

t.test('the budgets are fixed once voting opens', async (t) => {
  await setPhase(db, roundId, 'voting')
  t.teardown(() => setPhase(db, roundId, 'reviewing'))
  const before = await stored()
  t.equal((await admin.post(page, { ...threeBudgets, 'amount-0': '1' })).statusCode, 403)
  const [north] = before
  t.equal((await admin.post(`${page}/projects`, { [`budget-${scan.id}`]: String(north!.id) })).statusCode, 403)
  t.same(await stored(), before)
  const doc = html(await admin.get(page))
  t.match(doc.text('main'), msg('budgets.closed'))
  t.notOk(doc.has(`form[action="${page}"]`), 'no form')
})

t.test('Warsaw: a district code votes in its own district and the citywide budget, each with its meter', async (t) => {
  await setPhase(db, roundId, 'voting')
  const [north, south, city] = await stored()
  const [code, code2] = await districtCodes('Noord', 2)
  const v = await voter(code!)
  const doc = html(await v.get(ballotPath))
  t.same(
    doc.all('.ballot-budget h2').map((h) => h.textContent.replace(/\s/g, ' ')),
    ['Noord: € 30.000', 'Heel de wijk: € 55.000'],
    'its district and the citywide budget, not Zuid',
  )
  t.ok(doc.has(`#project-${coaches.id}`))
  t.notOk(doc.has(`#project-${solar.id}`), "another district's project is not on the ballot")
  t.equal(doc.all('.meter').length, 2, 'one meter per budget')

  const rows = async () => (await db.select().from(ballots)).length
  const count = await rows()
  const other = await v.post(ballotPath, { projects: [String(coaches.id), String(solar.id)], intent: 'submit' })
  t.equal(other.statusCode, 422, 'a project of a budget the code does not vote in, whatever the browser sent')
  t.match(html(other).text('.error-summary'), msg('vote.error.unknown-project'))

  // The whole neighbourhood's 55,000 holds insulation and the heat scan (51,500); North's 30,000 both its projects.
  const over = await v.post(ballotPath, {
    projects: [String(coaches.id), String(insulation.id), String(scan.id), String(cafe.id)],
    intent: 'check',
  })
  t.equal(over.statusCode, 200)
  t.notOk(html(over).has('.error-summary'), 'both budgets hold their choices')
  t.equal(await rows(), count, 'nothing stored by refusals and checks')

  const cast = await v.post(ballotPath, {
    projects: [String(coaches.id), String(cafe.id), String(insulation.id), String(scan.id)],
    intent: 'submit',
  })
  t.equal(cast.statusCode, 303)
  t.equal(await rows(), count + 1)

  // Over one budget: the error sits in that budget's section. (The solar roof joins the whole neighbourhood's for this.)
  await db.update(proposals).set({ budgetId: city!.id }).where(eq(proposals.id, solar.id))
  t.teardown(() => db.update(proposals).set({ budgetId: south!.id }).where(eq(proposals.id, solar.id)))
  const w = await voter(code2!)
  const tooMuch = await w.post(ballotPath, {
    projects: [String(insulation.id), String(scan.id), String(solar.id)],
    intent: 'submit',
  })
  t.equal(tooMuch.statusCode, 422)
  const summary = html(tooMuch)
  t.match(
    summary.text('.error-summary').replace(/\s/g, ' '),
    msg('vote.error.over-budget', { over: '€ 24.500' }).replace(/\s/g, ' '),
    "the figure is the budget's own: 79,500 chosen of 55,000",
  )
  t.equal(
    summary.get('.error-summary a').getAttribute('href'),
    `#projects-${city!.id}`,
    'it leads to the budget it is about',
  )
  t.ok(north)

  // Paper ballots follow the same rule: what the code may vote in, each budget within its amount.
  const [paperCode] = await districtCodes('Noord', 1)
  const paper = `/official/rounds/${roundId}/paper`
  const count2 = await rows()
  const foreign = await admin.post(paper, { code: paperCode!, projects: [String(coaches.id), String(garden.id)] })
  t.equal(foreign.statusCode, 422, "a paper ballot with another district's project")
  const overPaper = await admin.post(paper, {
    code: paperCode!,
    projects: [String(insulation.id), String(scan.id), String(solar.id)],
  })
  t.equal(overPaper.statusCode, 422, 'a paper ballot over one budget, though within the round’s sum')
  t.equal(await rows(), count2, 'no paper ballot stored')
  const fine = await admin.post(paper, { code: paperCode!, projects: [String(coaches.id), String(scan.id)] })
  t.equal(fine.statusCode, 303)
  t.equal(await rows(), count2 + 1)
  await setPhase(db, roundId, 'reviewing')
})

t.test('Barcelona: a district code may choose in one other district, not two', async (t) => {
  const [north, south, city] = await stored()
  const res = await admin.post(page, {
    ...threeBudgets,
    'id-0': String(north!.id),
    'id-1': String(south!.id),
    'id-2': String(city!.id),
    'name-3': 'West',
    'amount-3': '5000',
    'district-3': 'West',
    districtRule: 'own-plus-one',
  })
  t.equal(res.statusCode, 303)
  const west = (await stored())[3]!
  await admin.post(`${page}/projects`, { [`budget-${garden.id}`]: String(west.id) })
  await setPhase(db, roundId, 'voting')
  const [code] = await districtCodes('Noord', 1)
  const v = await voter(code!)
  const doc = html(await v.get(ballotPath))
  t.equal(doc.all('.ballot-budget').length, 4, 'every district is open to choose from')
  t.match(doc.text('#ballot'), msg('budgets.ballot.otherDistrict'))
  const two = await v.post(ballotPath, {
    projects: [String(coaches.id), String(solar.id), String(garden.id)],
    intent: 'submit',
  })
  t.equal(two.statusCode, 422)
  t.match(html(two).text('.error-summary'), msg('vote.error.one-other-district'))
  const one = await v.post(ballotPath, { projects: [String(coaches.id), String(solar.id)], intent: 'submit' })
  t.equal(one.statusCode, 303, 'own district and one other')
})

t.test(
  'each budget is counted on its own, and the results say what each spent and where its leftover went',
  async (t) => {
    await setPhase(db, roundId, 'closed')
    const preview = html(await admin.get(`/official/rounds/${roundId}/results`))
    t.equal(preview.all('section.preview li').length, 8, 'the what-if preview shows each budget under each rule')
    t.match(
      preview.text('section.preview--official').replace(/\s/g, ' '),
      msg('budgets.results.moved', { amount: '€ 7.500', name: 'Heel de wijk' }).replace(/\s/g, ' '),
    )
    const publish = await admin.post(`/official/rounds/${roundId}/publish`, {})
    t.equal(publish.statusCode, 303)
    const [result] = await db.select().from(results).where(eq(results.roundId, roundId))
    const outcome = result!.outcome as {
      budgets: { id: string; spent: number; moved: number; movedTo: string | null }[]
    }
    const [north, , city] = await stored()
    const northCount = outcome.budgets.find((b) => b.id === String(north!.id))!
    t.equal(northCount.spent, 2_250_000, 'North bought the coaches and the café')
    t.equal(northCount.moved, 750_000, 'and moved its 7,500 left to the whole neighbourhood')
    t.equal(northCount.movedTo, String(city!.id))
    const order = outcome.budgets.map((b) => b.id)
    t.ok(order.indexOf(String(north!.id)) < order.indexOf(String(city!.id)), 'the receiving budget is counted after')

    const doc = html(await new Visitor(app).get(`/rounds/${round.slug}/results`))
    t.match(doc.text('main'), msg('budgets.results.heading'))
    t.match(doc.text('main'), msg('budgets.results.moved', { amount: '€ 7.500', name: 'Heel de wijk' }))
    const json = JSON.parse((await new Visitor(app).get(`/rounds/${round.slug}/results.json`)).body) as {
      budgets: { name: string }[]
    }
    t.equal(json.budgets.length, 4)

    // One .pb per budget, tied together by budgets.json: each recounts to its budget's winners.
    const visitor = new Visitor(app)
    const tie = JSON.parse((await visitor.get(`/rounds/${round.slug}/budgets.json`)).body) as {
      rule: string
      budgets: {
        id: string
        subunit: string
        counted_cents: number
        selected: string[]
        file: string
        sha256: string
      }[]
    }
    t.equal(tie.budgets.length, 4)
    for (const b of tie.budgets) {
      const file = await visitor.get(b.file)
      t.equal(file.statusCode, 200, b.subunit)
      t.equal(sha256(file.body), b.sha256, `${b.subunit}: the file is the one the overview names`)
      const election = parsePb(file.body)
      t.equal(election.meta.subunit, b.subunit)
      const recount = tally(pbTallyInput(election), tie.rule === 'greedy' ? 'greedy' : 'equal-shares')
      t.same(recount.selected, b.selected, `${b.subunit}: recounting its file gives its winners`)
    }
    const northFile = tie.budgets.find((b) => b.subunit === 'Noord')!
    const cityFile = tie.budgets.find((b) => b.subunit === 'Heel de wijk')!
    t.equal(
      cityFile.counted_cents,
      5_500_000 + northFile.counted_cents - 2_250_000,
      "North's leftover counted in the city's file",
    )
    t.equal((await visitor.get(`/rounds/${round.slug}/budgets/999/ballots.pb`)).statusCode, 404)

    // Importing the set replays it: one round with a budget per file, each counting to the same spending.
    const set = (await Promise.all(tie.budgets.map(async (b) => (await visitor.get(b.file)).body))).join('')
    const imported = await admin.post('/official/rounds/import', { pb: set, tallyRule: tie.rule })
    t.equal(imported.statusCode, 303, 'the set is imported')
    const replayId = Number(/rounds\/(\d+)\//.exec(imported.headers.location as string)![1])
    const replayBudgets = await db.select().from(budgets).where(eq(budgets.roundId, replayId)).orderBy(budgets.position)
    t.same(
      replayBudgets.map((b) => b.name),
      tie.budgets.map((b) => b.subunit),
      'a budget per file, named by its subunit',
    )
    t.equal((await admin.post(`/official/rounds/${replayId}/publish`, {})).statusCode, 303)
    const [replayed] = await db.select().from(results).where(eq(results.roundId, replayId))
    const replayedBudgets = (replayed!.outcome as { budgets: { id: string; spent: number; selected: string[] }[] })
      .budgets
    for (const b of tie.budgets) {
      const mine = replayBudgets.find((r) => r.name === b.subunit)!
      const counted = replayedBudgets.find((r) => r.id === String(mine.id))!
      t.equal(counted.selected.length, b.selected.length, `${b.subunit}: as many winners in the replay`)
    }
    t.equal(replayed!.ballotCount, result!.ballotCount, 'a voter in several files is one ballot again')
    const page = html(await visitor.get(`/rounds/${round.slug}/results`))
    t.ok(page.links.includes(`/rounds/${round.slug}/budgets.json`), 'the results page links to the files')
    t.match(
      json.budgets.find((b: { name: string }) => b.name === 'Noord'),
      { spent_cents: 2_250_000, moved_cents: 750_000 },
    )
  },
)
