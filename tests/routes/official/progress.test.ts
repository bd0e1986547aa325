import t from 'tap'
import { and, eq } from 'drizzle-orm'
import { auditLog, milestones, outbox, progressUpdates } from '../../../db/schema.js'
import { confirmFollow, insertFollow } from '../../../server/data/follows.js'
import { formatEuro } from '../../../server/formatters.js'
import { remindPastMilestones } from '../../../server/usecases/progress.js'
import { html, msg } from '../../helpers/html.js'
import { signedIn } from '../../helpers/officials.js'
import { publishedDemo } from '../../helpers/progress.js'

const { app, db, roundId, funded } = await publishedDemo(t)
const project = funded[0]!
const page = `/official/rounds/${roundId}/progress`
const update = (fields: Record<string, string>) => ({
  proposal: String(project.id),
  status: 'in_progress',
  text: 'De aannemer is begonnen.',
  on: '2027-02-01',
  spent: '',
  kwh: '',
  co2: '',
  households: '',
  ...fields,
})
const count = async (table: typeof milestones | typeof progressUpdates) => (await db.select().from(table)).length

t.test('a moderator reports status, spending and energy reached; the page shows them under the project', async (t) => {
  const moderator = await signedIn(app, 'moderator')
  const empty = html(await moderator.get(page))
  t.equal(empty.text(`#project-${project.id} h2`), project.title)
  t.equal(empty.text(`#project-${project.id} p strong`), msg('results.progress.status.planned'), 'planned until told')
  const res = await moderator.post(page, update({ spent: '4.000', kwh: '1.200', households: '8' }))
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `${page}?saved=1#project-${project.id}`)
  const [stored] = await db.select().from(progressUpdates).where(eq(progressUpdates.proposalId, project.id))
  t.match(stored, {
    status: 'in_progress',
    spentCents: 400_000,
    kwhReached: 1200,
    householdsReached: 8,
    co2Reached: null,
  })
  const shown = html(await moderator.get(`${page}?saved=1`))
  t.equal(shown.text('[role=status]'), msg('results.progress.saved'))
  t.match(
    shown.text(`#project-${project.id}`),
    msg('progress.spentOf', { spent: formatEuro(400_000, 'nl'), cost: formatEuro(project.costCents, 'nl') }),
  )
  const [audit] = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'progress.post'), eq(auditLog.object, `proposal:${project.id}`)))
  t.match(audit!.details, { status: 'in_progress', spentCents: 400_000 })
})

t.test('bad updates are refused with the reason at the field, and nothing is stored', async (t) => {
  const admin = await signedIn(app, 'admin')
  await admin.get(page)
  const before = await count(progressUpdates)
  const cases: [Record<string, string>, string, string][] = [
    [{ status: 'cancelled', text: '' }, 'text', 'results.progress.reasonRequired'],
    [{ spent: 'veel' }, 'spent', 'results.progress.money'],
    [{ spent: '-10' }, 'spent', 'results.progress.money'],
    [{ kwh: '12,5' }, 'kwh', 'results.progress.wholeNumber'],
    [{ households: '99999999' }, 'households', 'results.progress.numberTooLarge'],
    [{ proposal: String(funded.length > 1 ? 99_999_999 : 0) }, 'proposal', 'results.progress.chooseProject'],
  ]
  for (const [fields, field, key] of cases) {
    const res = await admin.post(page, update(fields))
    t.equal(res.statusCode, 422, key)
    const doc = html(res)
    t.equal(doc.text(`#${field}-error`), msg(key), key)
    t.equal(doc.get('#text').textContent, update(fields).text, 'what was typed stays')
  }
  t.equal(await count(progressUpdates), before)
})

t.test(
  'milestones are planned, reached and taken back; audited; other rounds and bad days change nothing',
  async (t) => {
    const admin = await signedIn(app, 'admin')
    await admin.get(page)
    const add = await admin.post(`/official/rounds/${roundId}/milestones`, {
      proposal: String(project.id),
      title: 'Dak gekeurd',
      planned: '2027-03-01',
    })
    t.equal(add.statusCode, 303)
    const [milestone] = await db.select().from(milestones).where(eq(milestones.proposalId, project.id))
    t.match(milestone, { title: 'Dak gekeurd', plannedOn: '2027-03-01', doneOn: null })
    const before = await count(milestones)
    for (const [form, field] of [
      [{ proposal: String(project.id), title: '', planned: '2027-03-01' }, 'milestone-title'],
      [{ proposal: String(project.id), title: 'x', planned: '1 maart' }, 'milestone-planned'],
      [{ proposal: '123456789', title: 'x', planned: '2027-03-01' }, 'milestone-proposal'],
    ] as const) {
      const res = await admin.post(`/official/rounds/${roundId}/milestones`, form)
      t.equal(res.statusCode, 422)
      t.ok(html(res).has(`#${field}-error`), `${field} says what is wrong`)
    }
    t.equal(await count(milestones), before)

    const done = `/official/rounds/${roundId}/milestones/${milestone!.id}`
    t.equal((await admin.post(done, { done: '2027-03-04' })).statusCode, 303)
    t.equal((await db.select().from(milestones).where(eq(milestones.id, milestone!.id)))[0]!.doneOn, '2027-03-04')
    const bad = await admin.post(done, { done: '4-3-2027' })
    t.equal(bad.statusCode, 422)
    t.equal(html(bad).text(`#done-${milestone!.id}-error`), msg('results.progress.chooseDate'))
    t.equal(
      (await admin.post(`/official/rounds/${roundId}/milestones/99999999`, { done: '2027-03-04' })).statusCode,
      404,
    )
    t.equal((await admin.post(done, { done: '' })).statusCode, 303, 'a wrongly entered day is taken back')
    t.equal((await db.select().from(milestones).where(eq(milestones.id, milestone!.id)))[0]!.doneOn, null)
    const actions = (await db.select().from(auditLog)).map((a) => a.action)
    t.equal(actions.filter((a) => a === 'milestone.add').length, 1)
    t.equal(actions.filter((a) => a === 'milestone.done').length, 2)
  },
)

t.test('council members and coaches do not report progress', async (t) => {
  for (const role of ['council', 'coach']) {
    const official = await signedIn(app, role)
    await official.get(`/official/rounds/${roundId}/results`)
    t.equal((await official.get(page)).statusCode, 403, role)
    const before = await count(progressUpdates)
    t.equal((await official.post(page, update({}))).statusCode, 403, role)
    t.equal(await count(progressUpdates), before)
  }
})

t.test("a project's followers hear when its status changes, not of every update", async (t) => {
  const other = funded[1] ?? project
  const follow = await insertFollow(db, {
    roundId,
    proposalId: other.id,
    commentId: null,
    email: 'buur@example.net',
    lang: 'en',
  })
  await confirmFollow(db, follow.id, new Date())
  const mails = () =>
    db
      .select()
      .from(outbox)
      .where(and(eq(outbox.toAddress, 'buur@example.net'), eq(outbox.purpose, 'follow-project-status')))
  const admin = await signedIn(app, 'admin')
  await admin.get(page)
  await admin.post(page, update({ proposal: String(other.id), status: 'in_progress', on: '2027-05-01' }))
  await admin.post(page, update({ proposal: String(other.id), status: 'in_progress', on: '2027-05-02' }))
  t.equal((await mails()).length, 1, 'one mail for the change, none for more news in the same status')
  await admin.post(
    page,
    update({ proposal: String(other.id), status: 'cancelled', text: 'Geen vergunning.', on: '2027-06-01' }),
  )
  const told = await mails()
  t.equal(told.length, 2)
  t.match(told[1]!.body, 'Geen vergunning.', 'the reason travels with the cancellation')
  t.match(told[1]!.body, `/rounds/`, 'and a link to the progress page')
})

t.test('officials are reminded once of a milestone whose day passed without news', async (t) => {
  const admin = await signedIn(app, 'admin')
  await admin.get(page)
  const quiet = funded.at(-1)!
  await admin.post(`/official/rounds/${roundId}/milestones`, {
    proposal: String(quiet.id),
    title: 'Isolatie klaar',
    planned: '2020-01-10',
  })
  const reminders = () => db.select().from(outbox).where(eq(outbox.purpose, 'milestone-reminder'))
  const morning = new Date('2027-01-11T09:00:00Z')
  const named = await remindPastMilestones(db, app, morning)
  t.ok(named.length >= 1)
  const sent = await reminders()
  t.ok(sent.length > 0, 'admins and moderators get a mail')
  t.match(sent[0]!.body, 'Isolatie klaar')
  t.same(await remindPastMilestones(db, app, morning), [], 'not again the next quarter of an hour')
  t.equal((await reminders()).length, sent.length)
})
