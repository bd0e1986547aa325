import { randomInt } from 'node:crypto'
import { parse as parseCsv } from 'csv-parse/sync'
import t from 'tap'
import { castBallot } from '../../../server/data/ballots.js'
import { findCode } from '../../../server/data/voting-codes.js'
import { parsePb } from '../../../server/domain/pabulib/read.js'
import { generateReceipt, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, projects, codes, signedIn } = await demoRound(t, {
  phase: 'voting',
  codes: 3,
  officials: ['admin'],
})
for (const code of codes) {
  const found = await findCode(db, round.id, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
  await castBallot(db, {
    roundId: round.id,
    codeId: found!.id,
    channel: 'online',
    projectIds: projects.slice(0, 3).map((p) => p.id),
    receipt: generateReceipt(randomInt),
  })
}
await setPhase(db, round.id, 'closed')
const admin = await signedIn('admin')
await admin.get(`/official/rounds/${round.id}/results`)
const publish = await admin.post(`/official/rounds/${round.id}/publish`, {})
if (publish.statusCode !== 303) throw new Error(`publishing answered ${publish.statusCode}`)

const placed = projects.filter((p) => p.latitude !== null)
const get = (file: string) => new Visitor(app).get(`/rounds/${round.slug}/${file}`)

t.test('the demo round has projects with and without a point', async (t) => {
  t.ok(placed.length > 0 && placed.length < projects.length)
})

t.test('results.json gives each project its latitude and longitude, null without a point', async (t) => {
  const { projects: rows } = (await get('results.json')).json<{ projects: { project_id: number }[] }>()
  t.equal(rows.length, projects.length)
  for (const p of projects)
    t.match(
      rows.find((r) => r.project_id === p.id),
      { latitude: p.latitude, longitude: p.longitude },
      p.title,
    )
})

t.test('results.csv has latitude and longitude columns, empty without a point', async (t) => {
  const rows = parseCsv<Record<string, string>>((await get('results.csv')).body, { columns: true })
  for (const p of projects) {
    const row = rows.find((r) => r.project_id === String(p.id))!
    t.equal(row.latitude, p.latitude === null ? '' : String(p.latitude), p.title)
    t.equal(row.longitude, p.longitude === null ? '' : String(p.longitude), p.title)
  }
})

t.test("the .pb file's PROJECTS carry Pabulib's latitude and longitude columns", async (t) => {
  const pb = parsePb((await get('ballots.pb')).body)
  for (const p of projects) {
    const fields = pb.projects.find((x) => x.id === String(p.id))!.fields
    t.equal(fields['latitude'], p.latitude === null ? '' : String(p.latitude), p.title)
    t.equal(fields['longitude'], p.longitude === null ? '' : String(p.longitude), p.title)
  }
})
