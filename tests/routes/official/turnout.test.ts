import { randomInt } from 'node:crypto'
import t from 'tap'
import { and, eq, isNull, sql } from 'drizzle-orm'
import { ballots, rounds, votingCodes } from '../../../db/schema.js'
import { castBallot } from '../../../server/data/ballots.js'
import { generateReceipt, hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { signIn } from '../../helpers/officials.js'
import { createCodes } from '../../helpers/voting.js'

const { app, db, round, roundId, projects, signedIn } = await demoRound(t, { phase: 'voting' })
const turnoutUrl = `/official/rounds/${roundId}/turnout`
const [admin, moderator, council] = [await signedIn('admin'), await signedIn('moderator'), await signedIn('council')]
/** The number of wrong codes typed, as the page shows it. */
const failedAttempts = (page: ReturnType<typeof html>) =>
  page.all('h2').find((h) => h.text === msg('turnout.failed'))?.nextElementSibling?.text
const codeId = async (code: string) =>
  (
    await db
      .select()
      .from(votingCodes)
      .where(eq(votingCodes.codeHash, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!)))
  )[0]!.id
const castOnline = async (code: string) =>
  castBallot(db, {
    roundId,
    codeId: await codeId(code),
    channel: 'online',
    projectIds: [projects[0]!.id],
    receipt: generateReceipt(randomInt),
  })

t.test('before any code is made the page says so; the wrong-code counter is shown', async (t) => {
  const [fresh] = await db
    .insert(rounds)
    .values({
      slug: 'zonder-codes',
      title: 'Zonder codes',
      neighbourhood: 'Oost',
      budgetCents: 1_000_00,
      phase: 'voting',
    })
    .returning()
  const res = await council.get(`/official/rounds/${fresh!.id}/turnout`)
  t.equal(res.statusCode, 200)
  const page = html(res)
  t.ok(page.texts('main p').includes(msg('turnout.none')))
  t.notOk(page.has('table'), 'no figures to show')
  t.equal(failedAttempts(page), '0')
})

t.test(
  'turnout per group and per channel counts valid codes only, and leaves out ballots of revoked codes',
  async (t) => {
    const north = await createCodes(db, roundId, 10, '3024')
    const south = await createCodes(db, roundId, 4, '3025')
    await createCodes(db, roundId, 2)
    for (const code of north.slice(1, 3)) await castOnline(code)
    for (const code of south.slice(0, 2)) await castOnline(code)

    const resident = new Visitor(app)
    await resident.get(`/rounds/${round.slug}/vote`)
    await resident.post(`/rounds/${round.slug}/vote`, { code: 'ABCD-EFGH-JKMN-PQRS' })
    await resident.post(`/rounds/${round.slug}/vote`, { code: 'nonsense' })
    await resident.post(`/rounds/${round.slug}/vote`, { code: north[0]! })
    await resident.get(`/rounds/${round.slug}/vote/ballot`)
    t.equal(
      (
        await resident.post(`/rounds/${round.slug}/vote/ballot`, {
          projects: [String(projects[1]!.id)],
          intent: 'submit',
        })
      ).statusCode,
      303,
    )

    await moderator.get(`/official/rounds/${roundId}/paper`)
    t.equal(
      (
        await moderator.post(`/official/rounds/${roundId}/paper`, {
          code: north[3]!,
          projects: [String(projects[2]!.id)],
        })
      ).statusCode,
      303,
    )

    await admin.get(`/official/rounds/${roundId}/codes`)
    for (const code of [south[0]!, south[3]!])
      t.equal((await admin.post(`/official/rounds/${roundId}/codes/revoke`, { code })).statusCode, 303)

    const res = await council.get(turnoutUrl)
    t.equal(res.statusCode, 200)
    const page = html(res)
    t.match(
      page.facts(),
      { [msg('turnout.percent')]: '35,7%', [msg('turnout.cast')]: '5', [msg('turnout.valid')]: '14' },
      '5 ballots of 14 valid codes',
    )
    const tables = page.all('table.table')
    const rowsOf = (i: number) =>
      tables[i]!.querySelectorAll('tbody tr').map((tr) => tr.querySelectorAll('th, td').map((c) => c.text.trim()))
    t.same(rowsOf(0), [
      [msg('turnout.issued'), '16'],
      [msg('turnout.revoked'), '2'],
      [msg('turnout.valid'), '14'],
    ])
    t.same(rowsOf(1), [
      [msg('turnout.online'), '4'],
      [msg('turnout.paper'), '1'],
    ])
    t.notOk(
      page.all('caption').some((c) => c.text.trim() === msg('turnoutLanguage.heading')),
      'the one ballot cast through the voting page waits for a step of ballots before its language is counted',
    )
    t.same(rowsOf(2), [
      ['3024', '10', '0', '3', '1', '4', '40%'],
      ['3025', '2', '2', '1', '0', '1', '50%'],
      [msg('turnout.noGroup'), '2', '0', '0', '0', '0', '0%'],
    ])
    t.equal(failedAttempts(page), '2')
    for (const p of projects) t.notMatch(res.body, p.title, 'no choice is shown')
    for (const code of [...north, ...south]) t.notMatch(res.body, code, 'no code is shown')

    const counted = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(ballots)
      .innerJoin(votingCodes, eq(votingCodes.id, ballots.codeId))
      .where(and(eq(ballots.roundId, roundId), isNull(votingCodes.revokedAt)))
    t.equal(counted[0]!.n, 5, 'the database holds the 5 counted ballots')
    t.equal(
      (await db.select().from(ballots).where(eq(ballots.roundId, roundId))).length,
      6,
      'and keeps the ballot of the revoked code',
    )
    t.equal((await db.select().from(rounds).where(eq(rounds.id, roundId)))[0]!.failedCodeAttempts, 2)

    const english = new Visitor(app)
    await signIn(english, 'admin@example.test')
    await english.get(`/language/en?next=${encodeURIComponent(turnoutUrl)}`)
    t.equal(html(await english.get(turnoutUrl)).facts()[msg('turnout.percent', {}, 'en')], '35.7%')
  },
)

t.test('every official may read the turnout; visitors who are not signed in are sent to the login', async (t) => {
  for (const official of [admin, moderator, council]) t.equal((await official.get(turnoutUrl)).statusCode, 200)
  const anonymous = await new Visitor(app).get(turnoutUrl)
  t.equal(anonymous.statusCode, 303)
  t.match(anonymous.headers.location, /^\/login\?next=/)
  t.equal((await council.get('/official/rounds/999999/turnout')).statusCode, 404)
  t.ok(html(await council.get(`/official/rounds/${roundId}`)).links.includes(turnoutUrl), 'the round page links to it')
})
