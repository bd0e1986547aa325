import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.js'
import { rounds } from '../../../db/schema.js'
import { LANGUAGE_STEP } from '../../../server/domain/voting/language-steps.js'
import { closeDueRounds } from '../../../server/usecases/phases.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { html, msg } from '../../helpers/html.js'

// Ballots in page languages; the one Arabic voter (third) is the ballot a database reader must not find.
const LANGUAGES = ['nl', 'nl', 'ar', 'nl', 'tr', 'nl', 'nl', 'nl', 'tr', 'nl', 'nl', 'nl']
const RARE = 'ar'

const { app, db, round, roundId, byTitle, nextCode, signedIn } = await demoRound(t, {
  phase: 'voting',
  codes: LANGUAGES.length + 1,
  officials: ['council', 'moderator'],
})
const cafe = byTitle('Energiecafé')

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const answer: unknown = await db.execute(query)
  return (Array.isArray(answer) ? answer : (answer as { rows: unknown[] }).rows) as T[]
}

/** Transaction ids as numbers: a fresh test database is far from wrapping around. */
const lastXid = async () => (await rows<{ xid: string }>(db, sql`select txid_current()::text as xid`))[0]!.xid

interface BallotRow {
  receipt: string
  xmin: string
  ctid: string
  id: number
  updated_at: unknown
}
const ballotRows = () =>
  rows<BallotRow>(
    db,
    sql`select receipt, xmin::text as xmin, ctid::text as ctid, id, updated_at from ballots b where round_id = ${roundId} order by b.ctid`,
  )
const languageRows = () =>
  rows<{ lang: string; ballots: number; xmin: string }>(
    db,
    sql`select lang, ballots, xmin::text as xmin from language_turnout where round_id = ${roundId}`,
  )

/** The per-language table of a turnout page, as language code → ballots. */
function languageTable(body: string): Record<string, number> {
  const doc = html({ body })
  const table = doc.all('table').find((el) => el.querySelector('caption')?.text === msg('turnoutLanguage.heading'))
  if (!table) return {}
  const rows = table
    .querySelectorAll('tbody tr')
    .map((tr): [string, number] => [
      tr.querySelector('span[lang]')!.getAttribute('lang')!,
      Number(tr.querySelector('td')!.text),
    ])
  return Object.fromEntries(rows)
}

const before = BigInt(await lastXid())
const receipts: string[] = []
for (const lang of LANGUAGES) {
  const resident = new Visitor(app)
  await resident.get(`/rounds/${round.slug}/vote?lang=${lang}`)
  await resident.post(`/rounds/${round.slug}/vote`, { code: nextCode() })
  await resident.get(`/rounds/${round.slug}/vote/ballot`)
  const cast = await resident.post(`/rounds/${round.slug}/vote/ballot`, {
    projects: [String(cafe.id)],
    intent: 'submit',
  })
  receipts.push(/\/receipts\/([^?]+)/.exec(String(cast.headers.location))![1]!)
}
const rareReceipt = receipts[LANGUAGES.indexOf(RARE)]!
// One paper ballot, typed in by a moderator: its audit entry says who and when.
const moderator = await signedIn('moderator')
await moderator.get(`/official/rounds/${roundId}/paper`)
const paper = await moderator.post(`/official/rounds/${roundId}/paper`, {
  code: nextCode(),
  projects: [String(cafe.id)],
})
t.equal(paper.statusCode, 303)
const paperReceipt = () => String(paper.headers.location).split('receipt=')[1]!
const paperEntries = async () =>
  (await rows<{ xmin: string }>(db, sql`select xmin::text as xmin from audit_log where action = 'ballot.paper'`)).map(
    (r) => r.xmin,
  )

t.test('while voting, no language count is written in the transaction after a ballot, or near one', async (t) => {
  const cast = (await ballotRows()).filter((b) => b.receipt !== paperReceipt())
  t.equal(cast.length, LANGUAGES.length)
  const counts = await languageRows()
  const rare = counts.find((c) => c.lang === RARE)
  t.ok(rare, 'the Arabic ballot is counted once a step of ballots came in')
  t.equal(rare?.ballots, 1)
  const rareBallot = cast.find((b) => b.receipt === rareReceipt)!
  t.not(
    BigInt(rare!.xmin),
    BigInt(rareBallot.xmin) + 1n,
    "the Arabic count is not in the Arabic ballot's next transaction",
  )
  // Each write of counts covers every ballot since the write before it: a step of ballots, never a few.
  const writes = [...new Set(counts.map((c) => BigInt(c.xmin)))].sort((a, b) => (a < b ? -1 : 1))
  let since = before
  for (const write of writes) {
    const covered = cast.filter((b) => BigInt(b.xmin) > since && BigInt(b.xmin) < write)
    t.ok(covered.length >= LANGUAGE_STEP, `a write of language counts covers ${covered.length} ballots`)
    since = write
  }
  t.equal(
    counts.reduce((n, c) => n + c.ballots, 0),
    Math.floor(LANGUAGES.length / LANGUAGE_STEP) * LANGUAGE_STEP,
    'what is short of a step waits',
  )
})

t.test('no other row written while voting holds a language', async (t) => {
  const tables = await rows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'language_turnout'`,
  )
  t.ok(tables.length > 20)
  const found: string[] = []
  for (const { name } of tables) {
    const written = await rows<{ row: string }>(
      db,
      sql`select row_to_json(t)::text as row from ${sql.identifier(name)} t where xmin::text::bigint > ${before.toString()}::bigint`,
    )
    for (const { row } of written) if (row.includes(`"${RARE}"`)) found.push(`${name}: ${row}`)
  }
  t.same(found, [], 'language_turnout is the only table that knows a page language')
})

t.test('the public transparency page shows no per-language figures while voting is open', async (t) => {
  const page = await new Visitor(app).get(`/rounds/${round.slug}/transparency`)
  t.equal(page.statusCode, 200)
  t.same(languageTable(page.body), {}, 'no table of languages')
  t.match(html(page).text(), msg('turnoutLanguage.afterClosing'), 'but when they come')
  const council = await signedIn('council')
  const officials = await council.get(`/official/rounds/${roundId}/turnout`)
  t.same(languageTable(officials.body), { nl: 7, tr: 2, ar: 1 }, 'officials see the counted steps')
  t.match(html(officials).text(), msg('turnoutLanguage.note'))
})

t.test('closing rewrites the ballots without their order or times; the last counts follow', async (t) => {
  const castOrder = (await ballotRows()).map((b) => b.receipt)
  t.same(castOrder, [...receipts, paperReceipt()], 'while voting, rows lie in the order they were cast')
  const [entry] = await paperEntries()
  t.ok(
    (await ballotRows()).some((b) => b.xmin === entry),
    "while voting, a paper ballot shares its audit entry's transaction",
  )
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
  await db.update(rounds).set({ votingUntil: yesterday }).where(eq(rounds.id, roundId))
  const codeEntries = () =>
    rows<{ key: string }>(db, sql`select key from rate_limits where key like ${`codefail:${roundId}:%`}`)
  t.ok((await codeEntries()).length > 0, 'while voting, code entries are counted per browser and address')
  const beforeClose = BigInt(await lastXid())
  t.same(await closeDueRounds(db, new Date()), [roundId])

  const closed = await ballotRows()
  t.equal(closed.length, LANGUAGES.length + 1)
  t.notOk(
    closed.some((b) => b.xmin === entry),
    "after closing no ballot shares a transaction with the official's paper entry",
  )
  t.equal(new Set(closed.map((b) => b.xmin)).size, 1, 'every ballot carries the transaction id of the close')
  t.ok(BigInt(closed[0]!.xmin) > beforeClose)
  t.notSame(
    closed.map((b) => b.receipt),
    castOrder,
    'rows no longer lie in the order they were cast (one chance in 13! that a shuffle keeps it)',
  )
  const byId = [...closed].sort((a, b) => a.id - b.id).map((b) => b.receipt)
  t.notSame(byId, castOrder, 'nor are their ids in that order')
  t.same(
    closed.map((b) => b.updated_at),
    closed.map(() => null),
    'no ballot keeps a time',
  )
  t.same(await codeEntries(), [], 'nor are the addresses codes were typed from kept')

  await app.languageCounts.flushClosed()
  const counts = await languageRows()
  t.same(
    Object.fromEntries(counts.map((c) => [c.lang, c.ballots])),
    { nl: 9, tr: 2, ar: 1 },
    'the counts that waited are written once voting closed',
  )
  t.ok(
    counts.every((c) => BigInt(c.xmin) !== BigInt(closed[0]!.xmin) + 1n || c.lang !== RARE),
    'and the Arabic count is still not next to any ballot',
  )

  const page = await new Visitor(app).get(`/rounds/${round.slug}/transparency`)
  t.same(languageTable(page.body), { nl: 9, tr: 2, ar: 1 }, 'the public page shows them after closing')
  const receipt = await new Visitor(app).get(`/receipts/${rareReceipt}`)
  t.equal(receipt.statusCode, 200, 'the receipt still finds its ballot')
  t.notMatch(receipt.body, msg('receipt.lastChanged', { at: '' }).trim(), 'without a time')
})
