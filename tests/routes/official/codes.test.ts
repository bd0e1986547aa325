import t from 'tap'
import { parse } from 'csv-parse/sync'
import { and, eq, sql } from 'drizzle-orm'
import { unzipSync, strFromU8 } from 'fflate'
import { auditLog, ballots, codeBatches, rounds, votingCodes } from '../../../db/schema.js'
import { codesCsv } from '../../../server/domain/voting/code-files.js'
import { hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { createCodes, setPhase } from '../../helpers/voting.js'

const { app, db, roundId, projects, signedIn } = await demoRound(t)
const codesUrl = `/official/rounds/${roundId}/codes`
const admin = await signedIn('admin')

const stored = async () => ({
  batches: (await db.select({ n: sql<number>`count(*)::int` }).from(codeBatches))[0]!.n,
  codes: (await db.select({ n: sql<number>`count(*)::int` }).from(votingCodes))[0]!.n,
  audit: (
    await db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(sql`${auditLog.action} like 'codes.%'`)
  )[0]!.n,
})
const issued = async () =>
  Number(
    html(await admin.get(codesUrl))
      .facts()
      [msg('codes.issued')]!.replace(/\./g, ''),
  )
/** The group row of the official turnout page: valid, revoked, online, paper, counted, percent. */
const turnoutRow = async (group: string) =>
  html(await admin.get(`/official/rounds/${roundId}/turnout`))
    .rows('#by-group + .turnout-scroll table')
    .find(([label]) => label === group)
    ?.slice(1)

interface CsvRow {
  code: string
  group: string
  voting_url: string
}

/** Generates codes as an admin would and reads the download. */
async function generate(form: Record<string, string>) {
  await admin.get(codesUrl)
  const res = await admin.post(codesUrl, form)
  if (res.statusCode !== 200) return { res, rows: [] as CsvRow[], files: {} as Record<string, Uint8Array> }
  const files = unzipSync(new Uint8Array(res.rawPayload))
  const rows = parse<CsvRow>(strFromU8(files['codes.csv']!), { columns: true, bom: true })
  return { res, rows, files }
}

t.test(
  'an admin generates codes: a one-time ZIP with the mail-merge CSV and QR images; only keyed hashes are stored',
  async (t) => {
    const res0 = await admin.get(codesUrl)
    t.equal(res0.statusCode, 200)
    const page = html(res0)
    t.equal(page.text('.alert strong'), msg('codes.generate.once'), 'the page warns before generating')
    t.same(page.checked('qr'), ['yes'], 'QR images are ticked by default')
    const issuedBefore = await issued()

    const { res, rows, files } = await generate({ count: '25', group: '3024', qr: 'yes' })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'application/zip')
    t.match(
      res.headers['content-disposition'],
      /^attachment; filename="stemcodes-bospolder-tussendijken-\d{8}T\d{6}Z\.zip"$/,
    )
    t.equal(res.headers['cache-control'], 'no-store')

    t.equal(rows.length, 25)
    t.same([...files['codes.csv']!.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark')
    t.equal(strFromU8(files['codes.csv']!).split('\r\n')[0], 'code,group,voting_url')
    for (const row of rows) {
      t.ok(normaliseCode(row.code), `${row.code} is a valid code`)
      t.equal(row.group, '3024')
      t.equal(row.voting_url, `http://localhost:3000/rounds/bospolder-tussendijken/vote?code=${row.code}`)
      const svg = files[`qr/${row.code}.svg`]
      t.ok(svg && strFromU8(svg).startsWith('<svg'), `a QR image for ${row.code}`)
    }
    t.equal(new Set(rows.map((r) => r.code)).size, 25, 'every code is different')

    const inDb = await db.select().from(votingCodes).where(eq(votingCodes.roundId, roundId))
    t.same(
      new Set(inDb.map((c) => c.codeHash)),
      new Set(rows.map((r) => hashCode(TEST_CONFIG.codeKey, normaliseCode(r.code)!))),
    )
    t.ok(inDb.every((c) => c.groupLabel === '3024' && c.revokedAt === null))
    const everything = JSON.stringify(
      await Promise.all(
        ['voting_codes', 'code_batches', 'audit_log'].map((table) =>
          db.execute(sql`select * from ${sql.identifier(table)}`),
        ),
      ),
    )
    t.ok(everything.includes(inDb[0]!.codeHash), 'the search does see what is stored')
    for (const row of rows) {
      t.notOk(
        everything.includes(row.code) || everything.includes(normaliseCode(row.code)!),
        'no plain code is stored anywhere',
      )
    }
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'codes.generate'))
    t.match(audit, { actor: 'admin@example.test', object: `round:${roundId}`, details: { count: 25, group: '3024' } })

    const after = await admin.get(codesUrl)
    t.ok(
      html(after)
        .rows('table.table')
        .some(([, group, count, by]) => group === '3024' && count === '25' && by === 'Test admin'),
      'the batch is listed',
    )
    t.equal(await issued(), issuedBefore + 25)
    for (const row of rows) t.notMatch(after.body, row.code, 'the page never shows a code')
    t.equal(after.headers['cache-control'], 'no-store')

    await setPhase(db, roundId, 'voting')
    t.teardown(() => setPhase(db, roundId, 'reviewing'))
    const resident = new Visitor(app)
    const entry = await resident.get(new URL(rows[0]!.voting_url).pathname + new URL(rows[0]!.voting_url).search)
    t.equal(entry.statusCode, 303, 'the QR link opens the ballot at once')
    t.equal(entry.headers.location, '/rounds/bospolder-tussendijken/vote/ballot')
    await resident.get('/rounds/bospolder-tussendijken/vote/ballot')
    const cast = await resident.post('/rounds/bospolder-tussendijken/vote/ballot', {
      projects: [String(projects[0]!.id)],
      intent: 'submit',
    })
    t.equal(cast.statusCode, 303)
    const codeRow = inDb.find((c) => c.codeHash === hashCode(TEST_CONFIG.codeKey, normaliseCode(rows[0]!.code)!))!
    const [ballot] = await db.select().from(ballots).where(eq(ballots.codeId, codeRow.id))
    t.same(ballot!.projectIds, [projects[0]!.id])
    t.equal(ballot!.channel, 'online')
  },
)

t.test(
  'the letter text is Dutch with one line per language the round declares, each linking the voting page in that language',
  async (t) => {
    const { files } = await generate({ count: '1', group: '' })
    // The isolates around each filled-in value are checked in isolates.test.ts; here the words count.
    const letter = strFromU8(files['letter.txt']!)
      .replace(/^\uFEFF/, '')
      .replace(/\u00a0/g, ' ')
      .replace(/[\u2066-\u2069]/g, '')
    const lines = letter.split('\r\n')
    t.match(lines[0], 'Stem mee over Wijkbudget Energie Bospolder-Tussendijken')
    t.match(letter, '€ 100.000')
    t.match(letter, 'Uw stemcode: «code»', 'the mail-merge field of the CSV column')
    t.match(letter, 'Hulp nodig? Bel 010 - 123 45 67.')
    const vote = `${TEST_CONFIG.publicUrl}/rounds/bospolder-tussendijken/vote`
    for (const [lang, words] of [
      ['en', 'English: go to'],
      ['tr', 'Türkçe oy vermek için'],
      ['ar', 'للتصويت باللغة العربية'],
      ['pt', 'para votar em português'],
    ]) {
      const line = lines.find((l) => l.includes(`${vote}?lang=${lang}`))
      t.ok(line?.includes(words!), `${lang}: ${line}`)
    }
    t.notMatch(letter, `${vote}?lang=pl`, 'not in Polish: the demo help desk does not speak it')
  },
)

t.test(
  'without QR images the ZIP holds the CSV and the letter; a group is optional; Dutch thousands are understood',
  async (t) => {
    const { res, rows, files } = await generate({ count: '6.000', group: '' })
    t.equal(res.statusCode, 200)
    t.equal(rows.length, 6000)
    t.same(Object.keys(files), ['codes.csv', 'letter.txt'])
    t.ok(rows.every((r) => r.group === ''))
    const [batch] = await db
      .select()
      .from(codeBatches)
      .where(and(eq(codeBatches.count, 6000), sql`${codeBatches.groupLabel} is null`))
    t.ok(batch, 'the batch is stored without a group')
    t.equal(
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(votingCodes)
          .where(eq(votingCodes.batchId, batch!.id))
      )[0]!.n,
      6000,
    )
    t.ok(
      html(await admin.get(codesUrl))
        .rows('table.table')
        .some(([, group, count]) => group === msg('codes.batches.noGroup') && count === '6.000'),
    )
  },
)

t.test('a round without codes says so', async (t) => {
  const [fresh] = await db
    .insert(rounds)
    .values({ slug: 'zonder-codes', title: 'Zonder codes', neighbourhood: 'Oost', budgetCents: 1_000_00 })
    .returning()
  const page = html(await admin.get(`/official/rounds/${fresh!.id}/codes`))
  t.ok(page.texts('main p').includes(msg('codes.batches.none')))
  t.notOk(page.has('table.table'))
})

t.test(
  'a wrong number or group is refused with a message at the field, the form keeps the input, and nothing is stored',
  async (t) => {
    const before = await stored()
    const count = msg('codes.generate.countInvalid', { max: '100.000' })
    const characters = msg('codes.generate.groupCharacters')
    const cases: [string, Record<string, string>, string, string][] = [
      ['zero', { count: '0', group: 'Noord' }, 'count', count],
      ['too many', { count: '100001', group: 'Noord' }, 'count', count],
      ['not a number', { count: 'abc', group: 'Noord' }, 'count', count],
      ['a fraction', { count: '12,5', group: 'Noord' }, 'count', count],
      ['missing', { group: 'Noord' }, 'count', count],
      ['an e-mail address as group', { count: '10', group: 'jan@example.nl' }, 'group', characters],
      ['markup as group', { count: '10', group: '<b>3024</b>' }, 'group', characters],
      ['a formula as group', { count: '10', group: '=1+1' }, 'group', characters],
      [
        'a long group',
        { count: '10', group: 'x'.repeat(41) },
        'group',
        msg('codes.generate.groupTooLong', { max: 40 }),
      ],
      [
        'QR images for too many codes',
        { count: '5001', group: 'Noord', qr: 'yes' },
        'qr',
        msg('codes.generate.qrTooMany', { max: '5.000' }),
      ],
    ]
    for (const [name, form, field, message] of cases) {
      const { res } = await generate(form)
      t.equal(res.statusCode, 422, name)
      t.equal(res.headers['content-type'], 'text/html; charset=utf-8', `${name}: no download`)
      const page = html(res)
      t.equal(page.text(`#${field}-error`), message, `${name}: the message is at its field`)
      t.equal(page.get(`#${field}`).getAttribute('aria-invalid'), 'true', `${name}: the field is marked`)
      t.equal(page.alert, msg('codes.generate.summary'), name)
    }
    const kept = html((await generate({ count: 'abc', group: 'Noord' })).res)
    t.match(kept.fields(kept.form(codesUrl)), { count: 'abc', group: 'Noord' }, 'the input comes back')
    t.same(kept.checked('qr'), [], 'an unticked box stays unticked')
    const markup = html((await generate({ count: '1', group: '<b>3024</b>' })).res)
    t.equal(markup.field('group').value, '<b>3024</b>', 'a refused group is kept as text')
    t.notOk(markup.has('main b'), 'and not as markup')
    t.same(await stored(), before)
  },
)

t.test(
  'moderators and council members may not generate or revoke codes; a form without its CSRF token is refused',
  async (t) => {
    const before = await stored()
    for (const role of ['moderator', 'council'] as const) {
      const v = await signedIn(role)
      t.equal((await v.get(codesUrl)).statusCode, 403, `${role} cannot see the codes page`)
      const res = await v.post(codesUrl, { count: '5', group: '' })
      t.equal(res.statusCode, 403, `${role} cannot generate`)
      t.equal(html(res).text('h1'), msg('errors.forbidden'))
      t.equal(
        (await v.post(`${codesUrl}/revoke`, { code: 'ABCD-EFGH-JKMN-PQRS' })).statusCode,
        403,
        `${role} cannot revoke`,
      )
      t.notOk(html(await v.get(`/official/rounds/${roundId}`)).links.includes(codesUrl), `${role} gets no link`)
    }
    await admin.get(codesUrl)
    const forged = await admin.post(codesUrl, { count: '5', group: '', _csrf: null })
    t.equal(forged.statusCode, 403)
    t.equal(html(forged).text('h1'), msg('errors.csrf'))
    t.equal((await admin.post(codesUrl, { count: '5', group: '', _csrf: 'forged' })).statusCode, 403)
    t.equal(
      (await new Visitor(app).post(codesUrl, { count: '5' })).statusCode,
      403,
      'not signed in: no CSRF cookie, refused',
    )
    t.same(await stored(), before)
    t.ok(html(await admin.get(`/official/rounds/${roundId}`)).links.includes(codesUrl), 'the admin has a link')
  },
)

t.test('after voting closes codes can no longer be generated or revoked', async (t) => {
  t.teardown(() => setPhase(db, roundId, 'reviewing'))
  const [codeOfRound] = await createCodes(db, roundId, 1)
  const before = await stored()
  for (const phase of ['closed', 'published'] as const) {
    await setPhase(db, roundId, phase)
    const res0 = await admin.get(codesUrl)
    t.equal(res0.statusCode, 200)
    const page = html(res0)
    t.equal(page.text('main > .alert'), msg('codes.closedPhase'))
    t.notOk(page.has(`form[action="${codesUrl}"]`), 'no form')
    const res = await admin.post(codesUrl, { count: '5', group: '' })
    t.equal(res.statusCode, 409, phase)
    t.equal(html(res).alert, msg('codes.closedPhase'))
    t.equal((await admin.post(`${codesUrl}/revoke`, { code: codeOfRound! })).statusCode, 409)
  }
  t.same(await stored(), before)
  t.equal(
    (
      await db
        .select()
        .from(votingCodes)
        .where(sql`${votingCodes.revokedAt} is not null`)
    ).length,
    0,
  )
  await setPhase(db, roundId, 'draft')
  t.equal((await generate({ count: '2', group: '' })).res.statusCode, 200, 'a draft round can have codes')
})

t.test(
  'revoking a lost letter: the code stops working, its ballot is kept but no longer counted, and it is audited',
  async (t) => {
    await setPhase(db, roundId, 'voting')
    t.teardown(() => setPhase(db, roundId, 'reviewing'))
    const [lost, other] = await createCodes(db, roundId, 2, 'Revoke')
    const resident = new Visitor(app)
    await resident.get('/rounds/bospolder-tussendijken/vote')
    await resident.post('/rounds/bospolder-tussendijken/vote', { code: lost! })
    await resident.get('/rounds/bospolder-tussendijken/vote/ballot')
    await resident.post('/rounds/bospolder-tussendijken/vote/ballot', {
      projects: [String(projects[1]!.id)],
      intent: 'submit',
    })
    t.same(await turnoutRow('Revoke'), ['2', '0', '1', '0', '1', '50%'])

    await admin.get(codesUrl)
    const res = await admin.post(`${codesUrl}/revoke`, { code: lost!.toLowerCase().replace(/-/g, ' ') })
    t.equal(res.statusCode, 303)
    t.equal(res.headers.location, `${codesUrl}?notice=revoked`)
    const page = html(await admin.get(String(res.headers.location)))
    t.equal(page.text('[role=status]'), msg('codes.notice.revoked'))
    t.ok(Number(page.facts()[msg('codes.revoked')]) >= 1, 'counted among the revoked codes')
    const [row] = await db
      .select()
      .from(votingCodes)
      .where(eq(votingCodes.codeHash, hashCode(TEST_CONFIG.codeKey, normaliseCode(lost!)!)))
    t.ok(row!.revokedAt, 'the code is revoked')
    t.equal((await db.select().from(ballots).where(eq(ballots.codeId, row!.id))).length, 1, 'its ballot is kept')
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'codes.revoke'))
    t.match(audit, { actor: 'admin@example.test', object: `code:${row!.id}`, details: { round: roundId } })

    const entry = await new Visitor(app).post('/rounds/bospolder-tussendijken/vote', { code: lost! })
    t.equal(entry.statusCode, 403, 'a visitor without the form token is refused')
    const again = new Visitor(app)
    await again.get('/rounds/bospolder-tussendijken/vote')
    const refused = await again.post('/rounds/bospolder-tussendijken/vote', { code: lost! })
    t.equal(refused.statusCode, 422)
    t.equal(html(refused).text('#code-error'), msg('vote.codeRevoked'))
    t.same(await turnoutRow('Revoke'), ['1', '1', '0', '0', '0', '0%'], 'the ballot of the revoked code is not counted')

    const audits = (await stored()).audit
    const already = await admin.post(`${codesUrl}/revoke`, { code: lost! })
    t.equal(already.statusCode, 422)
    t.equal(html(already).field('code').error, msg('codes.revoke.already'))
    const unknown = await admin.post(`${codesUrl}/revoke`, { code: 'ABCD-EFGH-JKMN-PQRS' })
    t.equal(unknown.statusCode, 422)
    t.equal(html(unknown).field('code').error, msg('codes.revoke.unknown'))
    t.equal(html(unknown).field('code').value, 'ABCD-EFGH-JKMN-PQRS', 'the typed code is kept')
    const garbage = await admin.post(`${codesUrl}/revoke`, { code: 'hello' })
    t.equal(garbage.statusCode, 422)
    t.equal(html(garbage).field('code').error, msg('codes.revoke.notACode'))
    t.ok(html(garbage).field('code').invalid)
    const empty = await admin.post(`${codesUrl}/revoke`, { code: '' })
    t.equal(html(empty).field('code').error, msg('codes.revoke.required'))
    t.equal((await stored()).audit, audits, 'refused revocations are not audited')
    t.equal(
      (
        await db
          .select()
          .from(votingCodes)
          .where(eq(votingCodes.codeHash, hashCode(TEST_CONFIG.codeKey, normaliseCode(other!)!)))
      )[0]!.revokedAt,
      null,
    )
  },
)

t.test('a code of another round cannot be revoked from this round', async (t) => {
  const [second] = await db
    .insert(rounds)
    .values({ slug: 'tweede', title: 'Tweede', neighbourhood: 'Elders', budgetCents: 1_000_000, phase: 'voting' })
    .returning()
  const [foreign] = await createCodes(db, second!.id, 1)
  await admin.get(codesUrl)
  const res = await admin.post(`${codesUrl}/revoke`, { code: foreign! })
  t.equal(res.statusCode, 422)
  t.equal(html(res).field('code').error, msg('codes.revoke.unknown'))
  t.equal((await db.select().from(votingCodes).where(eq(votingCodes.roundId, second!.id)))[0]!.revokedAt, null)
  t.equal((await admin.get('/official/rounds/999999/codes')).statusCode, 404)
})

t.test(
  'CSV fields with a comma, a quote or a line break are quoted, so any spreadsheet reads the columns right',
  async (t) => {
    const rows = parse<CsvRow>(
      codesCsv(['ABCD-EFGH-JKMN-PQRS'], 'Noord, "Oost"', () => 'http://x/vote?code=1,2'),
      { columns: true, bom: true },
    )
    t.same(rows, [{ code: 'ABCD-EFGH-JKMN-PQRS', group: 'Noord, "Oost"', voting_url: 'http://x/vote?code=1,2' }])
  },
)

t.test('the totals an htmx page asks for after a download bring the batch list along, out of band', async (t) => {
  await createCodes(db, roundId, 3, 'Oud-Mathenesse')
  const res = await admin.get(`${codesUrl}/totals?before=0&tries=1`, { 'HX-Request': 'true' })
  t.equal(res.statusCode, 200)
  const fragment = html(res)
  t.ok(fragment.has('#code-totals'), 'the totals')
  t.equal(fragment.get('#code-batches').getAttribute('hx-swap-oob'), 'true', 'and the list, swapped in its own place')
  t.ok(
    fragment.rows('#code-batches table').some(([, group, count]) => group === 'Oud-Mathenesse' && count === '3'),
    'with the new batch',
  )
  const page = html(await admin.get(codesUrl))
  t.notOk(page.get('#code-batches').hasAttribute('hx-swap-oob'), 'the full page has the list in place')
})
