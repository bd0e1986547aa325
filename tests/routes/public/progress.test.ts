import t from 'tap'
import { and, eq, notInArray } from 'drizzle-orm'
import { parse as parseCsv } from 'csv-parse/sync'
import { follows, milestones, outbox, proposals, rounds } from '../../../db/schema.js'
import { confirmFollow } from '../../../server/data/follows.js'
import { formatEuro } from '../../../server/formatters.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { signedIn } from '../../helpers/officials.js'
import { postUpdate, publishedDemo } from '../../helpers/progress.js'

const { app, db, round, roundId, funded, officials } = await publishedDemo(t)
const [solar, second] = funded
const admin = { id: officials.admin.id, email: officials.admin.email }
await db
  .update(proposals)
  .set({ kwhPerYear: 5000, co2KgPerYear: null, households: 40 })
  .where(eq(proposals.id, solar!.id))
await postUpdate(
  app,
  roundId,
  {
    proposalId: solar!.id,
    status: 'in_progress',
    text: 'Panelen besteld.',
    on: '2027-02-01',
    spentCents: 300_000,
    kwhReached: 1200,
  },
  admin,
)
await db.insert(milestones).values([
  { proposalId: solar!.id, title: 'Dak gekeurd', plannedOn: '2027-01-15', doneOn: '2027-01-20' },
  { proposalId: solar!.id, title: 'Panelen op het dak', plannedOn: '2020-03-01' },
])
if (second)
  await postUpdate(
    app,
    roundId,
    { proposalId: second.id, status: 'cancelled', text: 'De eigenaar trok zich terug.', on: '2027-03-01' },
    admin,
  )

t.test('what happened to our money: each funded project with status, spending, energy and milestones', async (t) => {
  const res = await new Visitor(app).get(`/rounds/${round.slug}/progress`)
  t.equal(res.statusCode, 200)
  const page = html(res)
  t.equal(page.text('h1'), msg('progress.heading'))
  t.equal(page.all('section.progress-project').length, funded.length, 'every funded project, none other')
  const card = `#project-${solar!.id}`
  t.equal(page.text(`${card} .progress-project__status strong`), msg('results.progress.status.in_progress'))
  t.match(
    page.text(card),
    msg('progress.spentOf', { spent: formatEuro(300_000, 'nl'), cost: formatEuro(solar!.costCents, 'nl') }),
  )
  t.same(
    page.rows(`${card} table`),
    [
      [msg('progress.energy.kwh'), '5.000', '1.200'],
      [msg('progress.energy.households'), '40', '–'],
    ],
    'energy planned beside reached',
  )
  t.same(
    page.texts(`${card} ol.milestones li`).map((line) => line.includes(msg('progress.late'))),
    [true, false],
    'the milestone past its day is late, the reached one is not',
  )
  t.equal(
    page.get(`${card} meter`).getAttribute('value'),
    String(Math.min(100, Math.round((300_000 / solar!.costCents) * 100))),
  )
  if (second)
    t.match(page.text(`#project-${second.id}`), 'De eigenaar trok zich terug.', 'a cancelled project says why')
  t.equal(page.facts()[msg('progress.spentTotal')], formatEuro(300_000, 'nl').replace(/\u00a0/g, ' '))
})

t.test('the results page leads to it, and it is open data as JSON and CSV', async (t) => {
  const results = html(await new Visitor(app).get(`/rounds/${round.slug}/results`))
  t.ok(results.has(`a[href="/rounds/${round.slug}/progress"]`))
  const json = await app.inject(`/rounds/${round.slug}/progress.json`)
  t.equal(json.statusCode, 200)
  const data = json.json<{
    spent_cents: number
    projects: {
      project_id: number
      status: string
      spent_cents: number
      reached: { kwh_per_year: number | null }
      milestones: { late: boolean }[]
      cancel_reason: string | null
    }[]
  }>()
  t.equal(data.spent_cents, 300_000)
  const solarData = data.projects.find((p) => p.project_id === solar!.id)!
  t.match(solarData, { status: 'in_progress', spent_cents: 300_000, reached: { kwh_per_year: 1200 } })
  t.same(
    solarData.milestones.map((m) => m.late),
    [true, false],
  )
  if (second)
    t.equal(data.projects.find((p) => p.project_id === second.id)!.cancel_reason, 'De eigenaar trok zich terug.')
  const csv = await app.inject(`/rounds/${round.slug}/progress.csv`)
  t.equal(csv.statusCode, 200)
  const rows = parseCsv<Record<string, string>>(csv.body, { columns: true, bom: true })
  t.equal(rows.length, funded.length)
  t.match(
    rows.find((r) => r.project_id === String(solar!.id)),
    {
      status: 'in_progress',
      spent_cents: '300000',
      kwh_per_year_planned: '5000',
      kwh_per_year_reached: '1200',
      milestones: '2',
      milestones_done: '1',
      milestones_late: '1',
    },
  )
})

t.test('a round without a published result has no progress page', async (t) => {
  const [draft] = await db
    .insert(rounds)
    .values({ slug: 'nog-niet', title: 'Nog niet', neighbourhood: 'X', budgetCents: 100, phase: 'voting' })
    .returning()
  for (const path of ['progress', 'progress.json', 'progress.csv']) {
    const res = await app.inject(`/rounds/${draft!.slug}/${path}`)
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${path}: ${res.statusCode}`)
  }
})

t.test(
  'a coach translates a milestone from the needs list; Turkish readers see it, the original a tap away',
  async (t) => {
    const [roof] = await db.select().from(milestones).where(eq(milestones.title, 'Dak gekeurd'))
    const path = `/official/rounds/${roundId}/texts/milestone-${roof!.id}/translate`
    const coach = await signedIn(app, 'coach')
    const list = html(await coach.get(`/official/rounds/${roundId}/translations`))
    t.ok(list.has(`a[href="${path}?into=tr"]`), 'the milestone is on the needs-translation list')
    await coach.get(`${path}?into=tr`)
    const saved = await coach.post(path, { lang: 'tr', text: 'Çatı kontrol edildi' })
    t.equal(saved.statusCode, 303)
    const turkish = html(await new Visitor(app).get(`/rounds/${round.slug}/progress?lang=tr`))
    const item = turkish.all(`#project-${solar!.id} ol.milestones li`)[1]!
    t.equal(item.querySelector('span[lang=tr]')?.text, 'Çatı kontrol edildi')
    t.match(item.querySelector('.text-origin p[lang=nl]')?.text, 'Dak gekeurd')
    const dutch = html(await new Visitor(app).get(`/rounds/${round.slug}/progress`))
    t.notMatch(dutch.text(), 'Çatı kontrol edildi', 'a Dutch reader reads the original')
  },
)

t.test(
  'after the results anyone follows what happens to the money: the round and each funded project, from the progress page',
  async (t) => {
    const v = new Visitor(app)
    const progress = html(await v.get(`/rounds/${round.slug}/progress`))
    t.ok(progress.has(`a[href="/rounds/${round.slug}/follow"]`), 'the round, beside the totals')
    t.ok(progress.has(`#project-${solar!.id} a[href="/proposals/${solar!.reference}/follow"]`), 'each funded project')

    const form = html(await v.get(`/proposals/${solar!.reference}/follow`))
    t.equal(form.text('h2'), msg('follows.title.project'))
    t.equal(
      (await v.post(`/proposals/${solar!.reference}/follow`, { email: 'project@example.net', lang: 'nl' })).statusCode,
      303,
    )
    await v.get(`/rounds/${round.slug}/follow`)
    t.equal((await v.post(`/rounds/${round.slug}/follow`, { email: 'geld@example.net', lang: 'en' })).statusCode, 303)

    const [unfunded] = await db
      .select()
      .from(proposals)
      .where(
        and(
          eq(proposals.roundId, roundId),
          notInArray(
            proposals.id,
            funded.map((p) => p.id),
          ),
        ),
      )
      .limit(1)
    const refused = await v.get(`/proposals/${unfunded!.reference}/follow`)
    t.equal(refused.statusCode, 409, 'a project that got no money has no news to come')
    t.notOk(html(await v.get(`/proposals/${unfunded!.reference}`)).has('#follow'))
    t.ok(html(await v.get(`/proposals/${solar!.reference}`)).has('#follow'), "a funded project's page offers it")

    for (const address of ['project@example.net', 'geld@example.net']) {
      const [follow] = await db.select().from(follows).where(eq(follows.email, address))
      await confirmFollow(db, follow!.id, new Date())
    }
    await postUpdate(
      app,
      roundId,
      { proposalId: solar!.id, status: 'done', text: 'Panelen liggen.', on: '2027-03-01' },
      admin,
    )
    const told = await db.select().from(outbox).where(eq(outbox.purpose, 'follow-project-status'))
    t.same(
      told.map((m) => m.toAddress).sort(),
      ['geld@example.net', 'project@example.net'],
      "the round's followers hear it too",
    )
  },
)
