import t from 'tap'
import { and, eq, isNull, sql } from 'drizzle-orm'
import { ballots, rounds, votingCodes } from '../../db/schema.js'
import { castBallot } from '../../server/data/voting.js'
import { generateReceipt, hashCode, normaliseCode } from '../../server/domain/voting-code.js'
import { TEST_CONFIG } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { demoRound } from '../helpers/fixtures.js'
import { PASSWORD } from '../helpers/officials.js'
import { createCodes } from '../helpers/voting.js'

const { app, db, round, roundId, projects, signedIn } = await demoRound(t, { phase: 'voting', ips: '10.6.0' })
const turnoutUrl = `/official/rounds/${roundId}/turnout`
const [admin, moderator, council] = [await signedIn('admin'), await signedIn('moderator'), await signedIn('council')]
const text = (body: string) => body.replace(/\u00a0/g, ' ').replace(/\s*\n\s*/g, '')
const codeId = async (code: string) =>
  (await db.select().from(votingCodes).where(eq(votingCodes.codeHash, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))))[0]!.id
const castOnline = async (code: string) =>
  castBallot(db, { roundId, codeId: await codeId(code), channel: 'online', projectIds: [projects[0]!.id], receipt: generateReceipt() })

t.test('before any code is made the page says so; the wrong-code counter is shown', async (t) => {
  const page = await council.get(turnoutUrl)
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Er zijn nog geen codes gemaakt.')
  t.match(text(page.body), '<h2>Verkeerde codes ingevuld</h2><p class="facts facts--large"><strong>0</strong></p>')
})

t.test('turnout per group and per channel counts valid codes only, and leaves out ballots of revoked codes', async (t) => {
  const north = await createCodes(db, roundId, 10, '3024')
  const south = await createCodes(db, roundId, 4, '3025')
  await createCodes(db, roundId, 2)
  for (const code of north.slice(1, 3)) await castOnline(code)
  for (const code of south.slice(0, 2)) await castOnline(code)

  const resident = new Visitor(app, '10.6.9.1')
  await resident.get(`/rounds/${round!.slug}/vote`)
  await resident.post(`/rounds/${round!.slug}/vote`, { code: 'ABCD-EFGH-JKMN-PQRS' })
  await resident.post(`/rounds/${round!.slug}/vote`, { code: 'nonsense' })
  await resident.post(`/rounds/${round!.slug}/vote`, { code: north[0]! })
  await resident.get(`/rounds/${round!.slug}/vote/ballot`)
  t.equal((await resident.post(`/rounds/${round!.slug}/vote/ballot`, { projects: [String(projects[1]!.id)], intent: 'submit' })).statusCode, 303)

  await moderator.get(`/official/rounds/${roundId}/paper`)
  t.equal((await moderator.post(`/official/rounds/${roundId}/paper`, { code: north[3]!, projects: [String(projects[2]!.id)] })).statusCode, 303)

  await admin.get(`/official/rounds/${roundId}/codes`)
  for (const code of [south[0]!, south[3]!]) t.equal((await admin.post(`/official/rounds/${roundId}/codes/revoke`, { code })).statusCode, 303)

  const page = await council.get(turnoutUrl)
  t.equal(page.statusCode, 200)
  const body = text(page.body)
  t.match(body, '<dt>Opkomst</dt><dd>35,7%</dd>', '5 ballots of 14 valid codes')
  t.match(body, '<dt>Stemmen</dt><dd>5</dd>')
  t.match(body, '<tr><th scope="row">Codes gemaakt</th><td>16</td></tr>')
  t.match(body, '<tr><th scope="row">Codes ingetrokken</th><td>2</td></tr>')
  t.match(body, '<tr><th scope="row">Online</th><td>4</td></tr>')
  t.match(body, '<tr><th scope="row">Op papier</th><td>1</td></tr>')
  t.match(body, '<th scope="row">3024</th><td>10</td><td>0</td><td>3</td><td>1</td><td>4</td><td>40%</td>')
  t.match(body, '<th scope="row">3025</th><td>2</td><td>2</td><td>1</td><td>0</td><td>1</td><td>50%</td>')
  t.match(body, '<th scope="row">(geen groep)</th><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0%</td>')
  t.match(body, '<h2>Verkeerde codes ingevuld</h2><p class="facts facts--large"><strong>2</strong></p>')
  for (const p of projects) t.notMatch(page.body, p.title, 'no choice is shown')
  for (const code of [...north, ...south]) t.notMatch(page.body, code, 'no code is shown')

  const counted = await db.select({ n: sql<number>`count(*)::int` }).from(ballots)
    .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId)).where(and(eq(ballots.roundId, roundId), isNull(votingCodes.revokedAt)))
  t.equal(counted[0]!.n, 5, 'the database holds the 5 counted ballots')
  t.equal((await db.select().from(ballots)).length, 6, 'and keeps the ballot of the revoked code')
  t.equal((await db.select().from(rounds).where(eq(rounds.id, roundId)))[0]!.failedCodeAttempts, 2)

  const english = new Visitor(app, '10.6.9.2')
  await english.login('admin@example.test', PASSWORD)
  await english.get(`/language/en?next=${encodeURIComponent(turnoutUrl)}`)
  t.match(text((await english.get(turnoutUrl)).body), '<dt>Turnout</dt><dd>35.7%</dd>')
})

t.test('every official may read the turnout; visitors who are not signed in are sent to the login', async (t) => {
  for (const official of [admin, moderator, council]) t.equal((await official.get(turnoutUrl)).statusCode, 200)
  const anonymous = await new Visitor(app).get(turnoutUrl)
  t.equal(anonymous.statusCode, 303)
  t.match(anonymous.headers.location, /^\/login\?next=/)
  t.equal((await council.get('/official/rounds/999999/turnout')).statusCode, 404)
  t.match((await council.get(`/official/rounds/${roundId}`)).body, `href="${turnoutUrl}"`, 'the round page links to it')
})
