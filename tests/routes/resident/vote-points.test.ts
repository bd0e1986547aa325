import t, { type Test } from 'tap'
import { eq } from 'drizzle-orm'
import { ballots, proposals, rounds } from '../../../db/schema.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId, projects, byTitle, nextCode } = await demoRound(t, {
  phase: 'voting',
  codes: 30,
  officials: [],
})
await db
  .update(rounds)
  .set({ ballotFormat: 'points', pointsPerVoter: 10, maxPointsPerProject: 4, minSpendPercent: 0 })
  .where(eq(rounds.id, roundId))
const coaches = byTitle('Energiecoaches')
const solar = byTitle('Zonnepanelen')
const cafe = byTitle('Energiecafé')
const ballotPath = `/rounds/${round.slug}/vote/ballot`

const ballotRows = () => db.select().from(ballots)

async function residentOnBallot(code = nextCode()) {
  const v = new Visitor(app)
  await v.get(`/rounds/${round.slug}/vote`)
  await v.post(`/rounds/${round.slug}/vote`, { code })
  const page = await v.get(ballotPath)
  return { v, page, code }
}

/** The form as the page sends it: every project on the ballot, with the points typed for some of them. */
function pointsForm(given: Map<number, string>, intent?: 'check' | 'submit') {
  return {
    projects: projects.map((p) => String(p.id)),
    points: projects.map((p) => given.get(p.id) ?? ''),
    ...(intent ? { intent } : {}),
  }
}

t.test('the points ballot shows a number field per project and the points left', async (t) => {
  const { page } = await residentOnBallot()
  t.equal(page.statusCode, 200)
  const doc = html(page)
  t.match(doc.text('main'), msg('vote.pointsIntro', { total: 10, max: 4 }))
  const fields = doc.all('#ballot input[name=points]')
  t.equal(fields.length, projects.length, 'one field per project on the ballot')
  t.ok(fields.every((f) => f.getAttribute('type') === 'number' && f.getAttribute('max') === '4'))
  t.equal(
    doc.text('.meter__numbers'),
    `${msg('vote.pointsUsed', { used: 0, total: 10 })} · ${msg('vote.pointsLeft', { left: 10 })}`,
  )
  t.equal(doc.all('#ballot input[type=checkbox]').length, 0, 'no ticks on a points ballot')
})

t.test(
  'with htmx, typing points updates the points left; over the limits it says so, and nothing is stored',
  async (t) => {
    const { v } = await residentOnBallot()
    const before = (await ballotRows()).length
    const res = await v.post(
      ballotPath,
      pointsForm(
        new Map([
          [coaches.id, '4'],
          [solar.id, '3'],
        ]),
      ),
      { 'hx-request': 'true' },
    )
    t.equal(res.statusCode, 200)
    const fragment = html(res)
    t.notOk(fragment.has('html'), 'only the ballot fragment')
    t.equal(
      fragment.text('.meter__numbers'),
      `${msg('vote.pointsUsed', { used: 7, total: 10 })} · ${msg('vote.pointsLeft', { left: 3 })}`,
    )
    t.equal(fragment.get(`#project-${coaches.id}`).getAttribute('value'), '4', 'the typed points stay')

    const over = html(
      await v.post(
        ballotPath,
        pointsForm(
          new Map([
            [coaches.id, '4'],
            [solar.id, '4'],
            [cafe.id, '5'],
          ]),
        ),
        { 'hx-request': 'true' },
      ),
    )
    t.match(over.text('.meter__numbers'), msg('vote.pointsOver', { over: 3 }))
    t.equal(over.text(`#project-${cafe.id}-why`), msg('vote.overMax', { max: 4 }), 'the project over M says why')
    t.equal((await ballotRows()).length, before, 'updating stores nothing')
  },
)

t.test(
  'without JavaScript, "check my choice" shows the whole page with the points left and what is wrong',
  async (t) => {
    const { v } = await residentOnBallot()
    const res = await v.post(
      ballotPath,
      pointsForm(
        new Map([
          [coaches.id, '6'],
          [solar.id, '3'],
        ]),
        'check',
      ),
    )
    t.equal(res.statusCode, 200)
    const page = html(res)
    t.ok(page.has('html'), 'the whole page')
    t.match(page.text('.meter__numbers'), msg('vote.pointsLeft', { left: 1 }))
    t.equal(page.alert, msg('vote.error.over-max', { max: 4 }))
  },
)

t.test('a resident gives points, and a changed ballot opens with them and replaces them', async (t) => {
  const { v, code } = await residentOnBallot()
  const res = await v.post(
    ballotPath,
    pointsForm(
      new Map([
        [solar.id, '4'],
        [coaches.id, '2'],
        [cafe.id, '0'],
      ]),
      'submit',
    ),
  )
  t.equal(res.statusCode, 303)
  const receipt = /^\/receipts\/([^?]+)/.exec(String(res.headers.location))![1]!
  const [stored] = await db.select().from(ballots).where(eq(ballots.receipt, receipt))
  const expected = [
    [coaches.id, 2],
    [solar.id, 4],
  ].sort((a, b) => a[0]! - b[0]!)
  t.same(
    stored!.projectIds,
    expected.map(([id]) => id),
    'only the projects given points, in id order',
  )
  t.same(
    stored!.points,
    expected.map(([, points]) => points),
    'with their points, parallel',
  )
  const receiptPage = await v.get(String(res.headers.location))
  t.notMatch(html(receiptPage).text(), solar.title, 'the receipt reveals nothing of the choice')

  const again = await residentOnBallot(code)
  const doc = html(again.page)
  t.match(doc.text('main'), msg('vote.votedBefore'))
  t.equal(doc.get(`#project-${solar.id}`).getAttribute('value'), '4', 'opens with the points given')
  t.equal(doc.get(`#project-${coaches.id}`).getAttribute('value'), '2')
  t.equal(
    doc.text('.meter__numbers'),
    `${msg('vote.pointsUsed', { used: 6, total: 10 })} · ${msg('vote.pointsLeft', { left: 4 })}`,
  )
  const changed = await again.v.post(ballotPath, pointsForm(new Map([[cafe.id, '1']]), 'submit'))
  t.equal(changed.statusCode, 303)
  const [replaced] = await db.select().from(ballots).where(eq(ballots.id, stored!.id))
  t.same([replaced!.projectIds, replaced!.points], [[cafe.id], [1]], 'the new points replace the old')
})

async function expectRefused(
  t: Test,
  form: Record<string, string | string[]>,
  key: string,
  vars: Record<string, unknown> = {},
) {
  const { v } = await residentOnBallot()
  const before = (await ballotRows()).length
  const res = await v.post(ballotPath, { ...form, intent: 'submit' })
  t.equal(res.statusCode, 422, key)
  t.equal(html(res).alert, msg(`vote.error.${key}`, vars), key)
  t.equal((await ballotRows()).length, before, 'nothing stored')
}

t.test('the server refuses a points ballot over the limits or malformed, whatever the browser sent', async (t) => {
  await expectRefused(
    t,
    pointsForm(
      new Map([
        [coaches.id, '4'],
        [solar.id, '4'],
        [cafe.id, '3'],
      ]),
    ),
    'over-points',
    { used: 11, total: 10 },
  )
  await expectRefused(t, pointsForm(new Map([[coaches.id, '5']])), 'over-max', { max: 4 })
  await expectRefused(t, pointsForm(new Map()), 'empty')
  await expectRefused(t, pointsForm(new Map([[coaches.id, '2.5']])), 'not-whole')
  await expectRefused(t, pointsForm(new Map([[coaches.id, '-1']])), 'not-whole')
  await expectRefused(t, pointsForm(new Map([[coaches.id, 'veel']])), 'not-whole')
  await expectRefused(t, { projects: [String(coaches.id), String(coaches.id)], points: ['2', '2'] }, 'duplicate')
  await expectRefused(t, { projects: ['abc'], points: ['1'] }, 'unknown-project')
})

t.test("another round's project cannot be given points", async (t) => {
  const [other] = await db
    .insert(rounds)
    .values({ slug: 'elders', title: 'Elders', neighbourhood: 'Elders', budgetCents: 1_000_000, phase: 'voting' })
    .returning()
  const [foreign] = await db
    .insert(proposals)
    .values({
      roundId: other!.id,
      reference: 'WB-OTHERP',
      statusToken: 'other-points-token-xxxxxxxxxxxxxxxxx',
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
  await expectRefused(t, { projects: [String(coaches.id), String(foreign!.id)], points: ['1', '1'] }, 'unknown-project')
})

t.test('after voting closes, a points ballot is refused and nothing is stored', async (t) => {
  const { v } = await residentOnBallot()
  await setPhase(db, roundId, 'closed')
  t.teardown(() => setPhase(db, roundId, 'voting'))
  const before = (await ballotRows()).length
  const res = await v.post(ballotPath, pointsForm(new Map([[coaches.id, '1']]), 'submit'))
  t.equal(res.statusCode, 409)
  t.equal((await ballotRows()).length, before)
})
