import { randomInt } from 'node:crypto'
import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, groupPopulations, roundEquity } from '../../../db/schema.js'
import { castBallot } from '../../../server/data/ballots.js'
import { findCode } from '../../../server/data/voting-codes.js'
import { generateReceipt, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { createCodes, setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId, projects, signedIn } = await demoRound(t, { phase: 'voting' })
const turnoutUrl = `/official/rounds/${roundId}/turnout`
const formUrl = `/official/rounds/${roundId}/turnout/populations`
const groupsTable = '[aria-labelledby="by-group"] table'

async function vote(codes: readonly string[]) {
  for (const code of codes) {
    const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
    await castBallot(db, {
      roundId,
      codeId: found!.id,
      channel: 'online',
      projectIds: [projects[0]!.id],
      receipt: generateReceipt(randomInt),
    })
  }
}

// 3024: 20 of 100 residents voted, 3025: 4 of 200, 3026: 2 of 10; average 26 of 310 = 8.4 %.
await vote((await createCodes(db, roundId, 30, '3024')).slice(0, 20))
await vote((await createCodes(db, roundId, 30, '3025')).slice(0, 4))
await vote((await createCodes(db, roundId, 3, '3026')).slice(0, 2))
const admin = await signedIn('admin')
const typed = { 'residents-0': '100', 'residents-1': '200', 'residents-2': '10', lagPoints: '5', minGroupVoters: '3' }
const stored = async () =>
  (await db.select().from(groupPopulations).where(eq(groupPopulations.roundId, roundId))).map((p) => [
    p.groupLabel,
    p.residents,
  ])

t.test('an admin enters the residents per group: the groups that have codes, in order', async (t) => {
  const page = html(await admin.get(turnoutUrl))
  const form = page.form(formUrl)
  t.same(
    form.querySelectorAll('fieldset label').map((l) => l.textContent),
    ['3024', '3025', '3026'],
  )
  t.same(page.fields(form), {
    _csrf: page.fields(form)._csrf,
    'residents-0': '',
    'residents-1': '',
    'residents-2': '',
    lagPoints: '10',
    minGroupVoters: '10',
  })
  const res = await admin.post(formUrl, typed)
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `${turnoutUrl}?saved=1#populations`)
  t.same((await stored()).sort(), [
    ['3024', 100],
    ['3025', 200],
    ['3026', 10],
  ])
  const [settings] = await db.select().from(roundEquity).where(eq(roundEquity.roundId, roundId))
  t.match(settings, { lagPoints: 5, minGroupVoters: 3 })
  const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'equity.populations'))
  t.match(entry, {
    object: `round:${roundId}`,
    details: { old: { populations: {}, lagPoints: 10 }, new: { populations: { '3024': 100 }, lagPoints: 5 } },
  })
  const saved = html(await admin.get(`${turnoutUrl}?saved=1`))
  t.equal(saved.text('[role=status]'), msg('equity.form.saved'))
  t.same(saved.fields(saved.form(formUrl))['residents-1'], '200', 'the form shows what is stored')
})

t.test('the turnout page shows turnout against population and marks the lagging group in words', async (t) => {
  const page = html(await admin.get(turnoutUrl))
  const lag = msg('equity.lagging')
  t.same(
    page.rows(groupsTable),
    [
      ['3024', '30', '0', '20', '0', '20', '66,7%', '100', '20%'],
      ['3025', '30', '0', '4', '0', '4', '13,3%', '200', '2%'],
      ['3026', '3', '0', '2', '0', '2', '66,7%', '10', '20%'],
    ].map((row) => (row[0] === '3025' ? [`3025 ${lag}`, ...row.slice(1)] : row)),
  )
  t.ok(page.texts('main p').includes(`${msg('equity.average', { n: '8,4' })} ${msg('equity.lagRule', { points: 5 })}`))
})

t.test('coaches and council members see the same list; only admins get the form', async (t) => {
  for (const role of ['coach', 'moderator', 'council'] as const) {
    const visitor = await signedIn(role)
    const res = await visitor.get(turnoutUrl)
    t.equal(res.statusCode, 200, role)
    const page = html(res)
    t.ok(page.rows(groupsTable)[1]![0]!.endsWith(msg('equity.lagging')), `${role} sees the lagging mark`)
    t.notOk(page.has(`form[action="${formUrl}"]`), `${role} has no form`)
    const post = await visitor.post(formUrl, { ...typed, 'residents-0': '1' })
    t.equal(post.statusCode, 403, `${role} may not change populations`)
  }
  t.same((await stored()).sort()[0], ['3024', 100], 'nothing changed')
})

t.test('bad input is refused with a message per field, the typed values kept, and nothing stored', async (t) => {
  await admin.get(turnoutUrl)
  const before = await db.select().from(auditLog)
  const res = await admin.post(formUrl, {
    'residents-0': '-5',
    'residents-1': 'veel',
    'residents-2': '',
    lagPoints: '200',
    minGroupVoters: '0',
  })
  t.equal(res.statusCode, 422)
  const page = html(res)
  t.equal(page.text('[role=alert]'), msg('equity.form.errorTitle'))
  t.match(page.field('residents-0'), { value: '-5', invalid: true, error: msg('equity.form.error.residents') })
  t.match(page.field('residents-1'), { value: 'veel', invalid: true })
  t.match(page.field('residents-2'), { value: '', invalid: false })
  t.match(page.field('lagPoints'), { value: '200', error: msg('equity.form.error.lagPoints') })
  t.match(page.field('minGroupVoters'), { value: '0', error: msg('equity.form.error.minGroupVoters') })
  t.same((await stored()).sort()[1], ['3025', 200])
  t.equal((await db.select().from(auditLog)).length, before.length, 'nothing audited')
  const forged = await admin.post(formUrl, { ...typed, _csrf: 'forged' })
  t.equal(forged.statusCode, 403, "a post without the page's token is refused")
})

t.test('an emptied box forgets the population; a group without codes cannot be given one', async (t) => {
  await admin.get(turnoutUrl)
  const res = await admin.post(formUrl, { ...typed, 'residents-2': '', 'residents-3': '500', '9999': '7' })
  t.equal(res.statusCode, 303)
  t.same((await stored()).sort(), [
    ['3024', 100],
    ['3025', 200],
  ])
  await admin.post(formUrl, typed)
})

t.test('after closing, the transparency page shows population with small groups merged into "other"', async (t) => {
  await setPhase(db, roundId, 'closed')
  const page = html(await new Visitor(app).get(`/rounds/${round.slug}/transparency`))
  t.same(page.rows('table:has(#turnout-groups)'), [
    ['3024', '30', '20', '0', '20', '66,7%', '100', '20%'],
    [msg('equity.other'), '33', '6', '0', '6', '18,2%', '210', '2,9%'],
  ])
  t.ok(page.texts('p').includes(msg('equity.otherNote', { min: 3 })))
  t.notOk(page.text('main').includes('3026'), 'the small group is not named')
  t.notOk(page.text('main').includes('3025'), '"other" alone would show 2 voters: the next smallest group joins it')
})

t.test('the open data after publishing hold the same groups, the small ones merged into "other"', async (t) => {
  await admin.get(`/official/rounds/${roundId}/results`)
  t.equal((await admin.post(`/official/rounds/${roundId}/publish`, {})).statusCode, 303)
  const res = await new Visitor(app).get(`/rounds/${round.slug}/results.json`)
  t.equal(res.statusCode, 200)
  const data = JSON.parse(res.body) as { turnout_by_group: unknown }
  t.same(data.turnout_by_group, {
    min_group_voters: 3,
    groups: [
      {
        group: '3024',
        other: false,
        codes_issued: 30,
        ballots_online: 20,
        ballots_paper: 0,
        ballots_counted: 20,
        residents: 100,
        percent_of_codes: 66.7,
        percent_of_residents: 20,
      },
      {
        group: null,
        other: true,
        codes_issued: 33,
        ballots_online: 6,
        ballots_paper: 0,
        ballots_counted: 6,
        residents: 210,
        percent_of_codes: 18.2,
        percent_of_residents: 2.9,
      },
    ],
  })
})

t.test('once the result is published the populations are final: no form, and a post is refused', async (t) => {
  const page = html(await admin.get(turnoutUrl))
  t.notOk(page.has(`form[action="${formUrl}"]`))
  t.equal((await admin.post(formUrl, { ...typed, 'residents-0': '1' })).statusCode, 403)
  t.same((await stored()).sort()[0], ['3024', 100])
})
