import t from 'tap'
import { ballots, rounds } from '../../../db/schema.js'
import { html, msg } from '../../helpers/html.js'
import { FORM, idFrom, roundsAdmin } from '../../helpers/rounds.js'

const { app, db, admin, insertRound, roundRow, auditOf } = await roundsAdmin(t)
const POINTS = { ...FORM, ballotFormat: 'points', pointsPerVoter: '10', maxPointsPerProject: '4' }

t.test('an admin creates a points round: N and M are stored and shown', async (t) => {
  const form = html(await admin.get('/official/rounds/new'))
  t.ok(form.has('input[name=ballotFormat][value=points]'), 'points is one of the ballot formats')
  t.ok(form.has('input[name=pointsPerVoter]') && form.has('input[name=maxPointsPerProject]'))
  const res = await admin.post('/official/rounds', POINTS)
  t.equal(res.statusCode, 303)
  const row = await roundRow(idFrom(res.headers.location))
  t.match(row, {
    ballotFormat: 'points',
    pointsPerVoter: 10,
    maxPointsPerProject: 4,
    maxChoices: null,
    minSpendPercent: 0,
  })
  const [entry] = await auditOf(row.id)
  t.match(entry!.details.changes, { pointsPerVoter: { new: 10 }, maxPointsPerProject: { new: 4 } }, 'audited')
})

t.test(
  'a points round without N, or with M over N, is refused with a message per field and nothing stored',
  async (t) => {
    const cases: [Record<string, string>, string, string][] = [
      [{ pointsPerVoter: '' }, 'pointsPerVoter', msg('rounds.error.pointsPerVoter')],
      [{ pointsPerVoter: '1001' }, 'pointsPerVoter', msg('rounds.error.pointsPerVoter')],
      [{ maxPointsPerProject: '11' }, 'maxPointsPerProject', msg('rounds.error.maxPoints')],
      [{ maxPointsPerProject: 'veel' }, 'maxPointsPerProject', msg('rounds.error.maxPoints')],
    ]
    const before = (await db.select().from(rounds)).length
    for (const [change, field, message] of cases) {
      const res = await admin.post('/official/rounds', { ...POINTS, ...change })
      t.equal(res.statusCode, 422, JSON.stringify(change))
      t.equal(html(res).text(`#${field}-error`), message)
    }
    t.equal((await db.select().from(rounds)).length, before, 'no round was created')
  },
)

t.test('once voting opens, N and M are read-only and shown; a POST changing them is refused', async (t) => {
  const round = await insertRound('voting', { ballotFormat: 'points', pointsPerVoter: 10, maxPointsPerProject: 4 })
  const page = html(await admin.get(`/official/rounds/${round.id}/edit`))
  t.notOk(page.has('[name=pointsPerVoter]'))
  t.match(page.text('.round-settings'), `${msg('rounds.setting.pointsPerVoter')}10`)
  t.match(page.text('.round-settings'), `${msg('rounds.setting.maxPointsPerProject')}4`)
  const { budget: _b, ballotFormat: _f, maxChoices: _k, minSpendPercent: _m, tallyRule: _r, ...editable } = FORM
  const changes: Record<string, string>[] = [{ pointsPerVoter: '20' }, { maxPointsPerProject: '5' }]
  for (const change of changes) {
    const res = await admin.post(`/official/rounds/${round.id}`, { ...editable, ...change })
    t.equal(res.statusCode, 422, JSON.stringify(change))
    t.equal(html(res).alert, msg('rounds.error.lockedRefused'))
  }
  t.match(await roundRow(round.id), { pointsPerVoter: 10, maxPointsPerProject: 4 }, 'nothing stored')
})

t.test('a points round has no paper ballots yet: not printable, and an official cannot enter one', async (t) => {
  const round = await insertRound('voting', { ballotFormat: 'points', pointsPerVoter: 10, maxPointsPerProject: 4 })
  const printable = await app.inject(`/rounds/${round.slug}/paper-ballot`)
  t.equal(printable.statusCode, 303)
  t.equal(printable.headers.location, `/rounds/${round.slug}`)
  const show = html(await admin.get(`/official/rounds/${round.id}`))
  t.notOk(show.links.includes(`/official/rounds/${round.id}/paper`), 'no link to enter paper ballots')
  const paperUrl = `/official/rounds/${round.id}/paper`
  const page = html(await admin.get(paperUrl))
  t.equal(page.alert, msg('paper.noPoints'))
  t.notOk(page.has(`form[action="${paperUrl}"]`), 'no form to fill in')
  const res = await admin.post(paperUrl, { code: 'ABCD-EFGH-JKLM', projects: ['1'] })
  t.equal(res.statusCode, 409)
  t.equal(html(res).alert, msg('paper.noPoints'))
  t.equal((await db.select().from(ballots)).length, 0, 'nothing stored')
})
