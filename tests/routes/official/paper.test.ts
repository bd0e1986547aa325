import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { auditLog, ballots, proposals, rounds, votingCodes } from '../../../db/schema.js'
import { castBallot } from '../../../server/data/ballots.js'
import { hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { createCodes, setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId, projects, byTitle, nextCode, signedIn } = await demoRound(t, {
  phase: 'voting',
  codes: 40,
  group: '3024',
})
const paperUrl = `/official/rounds/${roundId}/paper`
const coaches = byTitle('Energiecoaches')
const insulation = byTitle('Isolatiehulp')
const solar = byTitle('Zonnepanelen')
const cafe = byTitle('Energiecafé')
const garden = byTitle('Buurtmoestuin')
const moderator = await signedIn('moderator')

const ids = (...ps: { id: number }[]) => ps.map((p) => String(p.id))
const sorted = (...ps: { id: number }[]) => ps.map((p) => p.id).sort((a, b) => a - b)
const ballotCount = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(ballots))[0]!.n
const paperAudits = () => db.select().from(auditLog).where(eq(auditLog.action, 'ballot.paper')).orderBy(auditLog.id)

async function codeRow(code: string) {
  const [row] = await db
    .select()
    .from(votingCodes)
    .where(eq(votingCodes.codeHash, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!)))
  return row!
}
async function ballotOf(code: string) {
  const [row] = await db
    .select()
    .from(ballots)
    .where(eq(ballots.codeId, (await codeRow(code)).id))
  return row
}

/** An official enters a paper ballot from a fresh form. */
async function enter(form: Record<string, string | string[]>, official = moderator) {
  await official.get(paperUrl)
  return official.post(paperUrl, form)
}

/** A resident votes online with a letter code. */
async function voteOnline(code: string, chosen: { id: number }[]) {
  const v = new Visitor(app)
  await v.get(`/rounds/${round.slug}/vote`)
  await v.post(`/rounds/${round.slug}/vote`, { code })
  await v.get(`/rounds/${round.slug}/vote/ballot`)
  return v.post(`/rounds/${round.slug}/vote/ballot`, { projects: ids(...chosen), intent: 'submit' })
}

t.test(
  "moderators and admins get the paper form with the round's projects; council members may not enter paper ballots",
  async (t) => {
    for (const official of [moderator, await signedIn('admin')]) {
      const page = await official.get(paperUrl)
      t.equal(page.statusCode, 200)
      t.equal(page.headers['cache-control'], 'no-store')
      const form = html(page).form(paperUrl)
      const boxes = form.querySelectorAll('fieldset.projects input[type=checkbox][name=projects]')
      t.same(
        boxes.map((b) => Number(b.getAttribute('value'))).sort(),
        projects.map((p) => p.id).sort(),
        'exactly the approved projects',
      )
      t.notOk(
        boxes.some((b) => b.hasAttribute('checked')),
        'none ticked',
      )
      t.ok(form.querySelector('input[name=code]'), 'a field for the code')
      t.ok(
        html(await official.get(`/official/rounds/${roundId}`)).links.includes(paperUrl),
        'the round page links to the form',
      )
    }
    const council = await signedIn('council')
    t.equal((await council.get(paperUrl)).statusCode, 403)
    const before = await ballotCount()
    t.equal((await council.post(paperUrl, { code: nextCode(), projects: ids(coaches) })).statusCode, 403)
    t.notOk(html(await council.get(`/official/rounds/${roundId}`)).links.includes(paperUrl))
    t.equal(await ballotCount(), before)
  },
)

t.test(
  'a valid paper ballot is stored as paper, the official gets the receipt, and the audit records only that it was entered',
  async (t) => {
    const code = nextCode()
    const res = await enter({ code: code.toLowerCase(), projects: ids(solar, coaches) })
    t.equal(res.statusCode, 303)
    const location = String(res.headers.location)
    t.match(location, new RegExp(`^${paperUrl}\\?done=entered&receipt=[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$`))
    const stored = await ballotOf(code)
    t.match(stored, { channel: 'paper', projectIds: sorted(solar, coaches), roundId })
    t.equal(location.split('receipt=')[1], stored!.receipt)

    const page = html(await moderator.get(location))
    t.equal(page.text('[role=status] strong'), msg('paper.done.entered'))
    t.equal(page.text('.paper-receipt'), msg('paper.receipt', { receipt: stored!.receipt }))
    t.equal(page.field('code').value, '', 'the form is empty for the next ballot')
    t.same(page.checked('projects'), [])
    const receipt = html(await new Visitor(app).get(`/receipts/${stored!.receipt}`))
    t.ok(
      receipt.texts('main p').includes(msg('receipt.inCount', { round: round.title })),
      'the resident can check the receipt',
    )

    const audit = (await paperAudits()).at(-1)
    t.match(audit, { action: 'ballot.paper', actor: 'moderator@example.test', object: `round:${roundId}` })
    t.same(audit!.details, { replaces: 'none' }, 'no code and no choices in the audit log')
    const raw = JSON.stringify(audit)
    for (const secret of [
      code,
      normaliseCode(code)!,
      (await codeRow(code)).codeHash,
      `code:${(await codeRow(code)).id}`,
      solar.title,
      stored!.receipt,
    ]) {
      t.notOk(raw.includes(secret), 'the audit entry reveals neither the code nor the choice')
    }
  },
)

t.test(
  'a paper ballot the rules do not allow is refused with a message, the ticks are kept, and nothing is stored',
  async (t) => {
    const code = nextCode()
    const before = { ballots: await ballotCount(), audits: (await paperAudits()).length }
    const chosen = [insulation, solar, coaches, byTitle('Warmtescan'), cafe, garden]
    const over = await enter({ code, projects: ids(...chosen) })
    t.equal(over.statusCode, 422)
    const page = html(over)
    t.equal(page.text('#projects-error'), msg('paper.error.over-budget', { over: '€ 8.000' }))
    t.equal(page.alert, msg('paper.summary'))
    t.same(page.checked('projects').sort(), ids(...chosen).sort(), 'the ticks are kept')
    t.equal(page.field('code').value, code, 'the code is kept')
    t.equal(page.get('fieldset.projects').getAttribute('aria-describedby'), 'projects-rule projects-error')
    const refused = async (form: Record<string, string | string[]>, error: string) => {
      const res = await enter(form)
      t.equal(res.statusCode, 422, error)
      t.equal(html(res).text('#projects-error'), msg(`paper.error.${error}`), error)
    }
    await refused({ code }, 'empty')
    await refused({ code, projects: ids(cafe, cafe) }, 'duplicate')
    await refused({ code, projects: ['abc'] }, 'unknown-project')

    const [other] = await db
      .insert(rounds)
      .values({ slug: 'elders', title: 'Elders', neighbourhood: 'Elders', budgetCents: 1_000_000, phase: 'voting' })
      .returning()
    const [foreignProject] = await db
      .insert(proposals)
      .values({
        roundId: other!.id,
        reference: 'ELD-1',
        statusToken: 'elders-token-xxxxxxxxxxxxxxxxxxxxxxxx',
        title: 'Elders project',
        summary: 's',
        description: 'd',
        costCents: 100_000,
        track: 'social',
        themes: ['green'],
        contactName: 'Bewoner',
        status: 'approved',
      })
      .returning()
    await refused({ code, projects: [String(coaches.id), String(foreignProject!.id)] }, 'unknown-project')
    t.equal(await ballotOf(code), undefined)
    t.same({ ballots: await ballotCount(), audits: (await paperAudits()).length }, before)

    await db.update(rounds).set({ minSpendPercent: 50 }).where(eq(rounds.id, roundId))
    t.teardown(() => db.update(rounds).set({ minSpendPercent: 0 }).where(eq(rounds.id, roundId)))
    const under = await enter({ code, projects: ids(cafe) })
    t.equal(under.statusCode, 422)
    t.equal(html(under).text('#projects-error'), msg('paper.error.under-minimum', { minimum: '€ 50.000' }))
    t.equal(await ballotOf(code), undefined)
  },
)

t.test(
  "unknown, revoked, empty and other rounds' codes are refused at the code field, and nothing is stored",
  async (t) => {
    const [revoked] = await createCodes(db, roundId, 1)
    await db
      .update(votingCodes)
      .set({ revokedAt: new Date() })
      .where(eq(votingCodes.id, (await codeRow(revoked!)).id))
    const [other] = await db
      .insert(rounds)
      .values({ slug: 'ander', title: 'Ander', neighbourhood: 'Ander', budgetCents: 1_000_000, phase: 'voting' })
      .returning()
    const [foreign] = await createCodes(db, other!.id, 1)
    const before = await ballotCount()
    const cases: [string, string, string][] = [
      ['unknown', 'ABCD-EFGH-JKMN-PQRS', 'paper.codeUnknown'],
      ['revoked', revoked!, 'paper.codeRevoked'],
      ['of another round', foreign!, 'paper.codeUnknown'],
      ['empty', '', 'paper.codeRequired'],
      ['not a code', 'hallo', 'paper.notACode'],
    ]
    for (const [name, code, key] of cases) {
      const res = await enter({ code, projects: ids(coaches, cafe) })
      t.equal(res.statusCode, 422, name)
      const page = html(res)
      const field = page.field('code')
      t.equal(field.error, msg(key), name)
      t.ok(field.invalid, `${name}: the field is marked`)
      t.same(page.checked('projects').sort(), ids(coaches, cafe).sort(), `${name}: the ticks are kept`)
      t.equal(field.value, code, `${name}: the code is kept`)
    }
    t.equal(await ballotCount(), before)
    t.equal(
      (await db.select().from(rounds).where(eq(rounds.id, roundId)))[0]!.failedCodeAttempts,
      0,
      "an official's typo is not a guessing attempt",
    )
  },
)

t.test('before voting opens and after it closes no paper ballot can be entered', async (t) => {
  t.teardown(() => setPhase(db, roundId, 'voting'))
  const code = nextCode()
  const before = await ballotCount()
  for (const phase of ['reviewing', 'closed', 'published'] as const) {
    await setPhase(db, roundId, phase)
    const page = html(await moderator.get(paperUrl))
    t.equal(page.text('main > .alert'), msg('paper.closed'), phase)
    t.notOk(page.has(`form[action="${paperUrl}"]`), `${phase}: no form`)
    const res = await moderator.post(paperUrl, { code, projects: ids(coaches) })
    t.equal(res.statusCode, 409, phase)
    t.equal(html(res).alert, msg('paper.closed'))
  }
  t.equal(await ballotCount(), before)
})

t.test('a paper ballot replaces an online ballot only after the official confirms it', async (t) => {
  const code = nextCode()
  t.equal((await voteOnline(code, [coaches])).statusCode, 303)
  const online = await ballotOf(code)

  const warned = await enter({ code, projects: ids(solar, cafe) })
  t.equal(warned.statusCode, 409)
  const page = html(warned)
  t.equal(page.text('form [role=alert] p'), msg('paper.existing.online'))
  const confirm = page.get('input[type=checkbox][name=replace_online]')
  t.equal(confirm.getAttribute('value'), normaliseCode(code), 'the confirmation names this code')
  t.notOk(confirm.hasAttribute('checked'), 'and is not ticked for the official')
  t.same(page.checked('projects').sort(), ids(solar, cafe).sort(), 'the ticks are kept')
  t.match(await ballotOf(code), { channel: 'online', projectIds: [coaches.id] }, 'the online ballot is untouched')

  const confirmed = await moderator.post(paperUrl, {
    code,
    projects: ids(solar, cafe),
    replace_online: normaliseCode(code)!,
  })
  t.equal(confirmed.statusCode, 303)
  t.match(
    String(confirmed.headers.location),
    `done=replaced&receipt=${online!.receipt}`,
    'the resident keeps the receipt',
  )
  t.equal(
    html(await moderator.get(String(confirmed.headers.location))).text('[role=status] strong'),
    msg('paper.done.replaced'),
  )
  const replaced = await db.select().from(ballots).where(eq(ballots.codeId, online!.codeId))
  t.equal(replaced.length, 1)
  t.match(replaced[0], { channel: 'paper', projectIds: sorted(solar, cafe), receipt: online!.receipt })
  const audits = await paperAudits()
  t.same(audits.at(-1)!.details, { replaces: 'online' })
})

t.test('a second paper ballot for a code needs the same confirmation, given for that very code', async (t) => {
  const code = nextCode()
  const otherCode = nextCode()
  t.equal((await enter({ code, projects: ids(coaches) })).statusCode, 303)
  const audits = (await paperAudits()).length
  const warned = await enter({ code, projects: ids(garden) })
  t.equal(warned.statusCode, 409)
  t.equal(html(warned).text('form [role=alert] p'), msg('paper.existing.paper'))
  const wrongConfirmation = await moderator.post(paperUrl, {
    code,
    projects: ids(garden),
    replace_online: normaliseCode(otherCode)!,
  })
  t.equal(wrongConfirmation.statusCode, 409, 'a confirmation for another code does not count')
  t.match(await ballotOf(code), { projectIds: [coaches.id] })
  t.equal((await paperAudits()).length, audits)
  const confirmed = await moderator.post(paperUrl, {
    code,
    projects: ids(garden),
    replace_online: normaliseCode(code)!,
  })
  t.equal(confirmed.statusCode, 303)
  t.match(await ballotOf(code), { channel: 'paper', projectIds: [garden.id] })
  t.same((await paperAudits()).at(-1)!.details, { replaces: 'paper' })
})

t.test('a form without its CSRF token stores nothing', async (t) => {
  const code = nextCode()
  await moderator.get(paperUrl)
  const res = await moderator.post(paperUrl, { code, projects: ids(coaches), _csrf: null })
  t.equal(res.statusCode, 403)
  t.equal(html(res).text('h1'), msg('errors.csrf'))
  t.equal(await ballotOf(code), undefined)
})

t.test(
  '20 concurrent paper and online submits with one code leave exactly one ballot, equal to one of them in full',
  async (t) => {
    const code = nextCode()
    const choices = [[coaches], [solar, cafe], [insulation, coaches], [garden, cafe, coaches], [insulation, solar]]
    const residents = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const v = new Visitor(app)
        await v.get(`/rounds/${round.slug}/vote`)
        await v.post(`/rounds/${round.slug}/vote`, { code })
        await v.get(`/rounds/${round.slug}/vote/ballot`)
        return v
      }),
    )
    const officials = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const v = await signedIn('moderator')
        await v.get(paperUrl)
        return v
      }),
    )
    const replies = await Promise.all([
      ...residents.map((v, i) =>
        v.post(`/rounds/${round.slug}/vote/ballot`, {
          projects: ids(...choices[i % choices.length]!),
          intent: 'submit',
        }),
      ),
      ...officials.map((v, i) =>
        v.post(paperUrl, {
          code,
          projects: ids(...choices[(i + 2) % choices.length]!),
          replace_online: normaliseCode(code)!,
        }),
      ),
    ])
    t.ok(
      replies.every((r) => r.statusCode === 303 || r.statusCode === 409),
      'every submit is stored or asks to confirm',
    )
    const stored = await db
      .select()
      .from(ballots)
      .where(eq(ballots.codeId, (await codeRow(code)).id))
    t.equal(stored.length, 1)
    t.ok(
      choices.some((c) => JSON.stringify(sorted(...c)) === JSON.stringify(stored[0]!.projectIds)),
      'one submitted ballot in full, never a mix',
    )
  },
)

t.test('unconfirmed paper ballots racing online votes never replace a ballot unseen', async (t) => {
  const before = (await paperAudits()).length
  let papersStored = 0
  for (const code of [nextCode(), nextCode(), nextCode()]) {
    const residents = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const v = new Visitor(app)
        await v.get(`/rounds/${round.slug}/vote`)
        await v.post(`/rounds/${round.slug}/vote`, { code })
        await v.get(`/rounds/${round.slug}/vote/ballot`)
        return v
      }),
    )
    await moderator.get(paperUrl)
    const [online, paper] = await Promise.all([
      Promise.all(
        residents.map((v) => v.post(`/rounds/${round.slug}/vote/ballot`, { projects: ids(coaches), intent: 'submit' })),
      ),
      Promise.all(Array.from({ length: 5 }, () => moderator.post(paperUrl, { code, projects: ids(cafe) }))),
    ])
    t.ok(
      online.every((r) => r.statusCode === 303),
      'every online vote is stored',
    )
    const stored = paper.filter((r) => r.statusCode === 303)
    t.ok(stored.length <= 1, 'at most the first paper ballot, entered before any other, is stored')
    t.ok(
      paper.every((r) => r.statusCode === 303 || (r.statusCode === 409 && r.body.includes('name="replace_online"'))),
      'the others ask to confirm',
    )
    papersStored += stored.length
    t.equal(
      (
        await db
          .select()
          .from(ballots)
          .where(eq(ballots.codeId, (await codeRow(code)).id))
      ).length,
      1,
    )
  }
  const audits = (await paperAudits()).slice(before)
  t.equal(audits.length, papersStored)
  t.ok(
    audits.every((a) => (a.details as { replaces: string }).replaces === 'none'),
    'no unconfirmed paper ballot replaced another',
  )
})

t.test(
  'an online vote that is being stored while a paper ballot is entered is not replaced unseen',
  {
    skip: process.env.DATABASE_URL ? false : 'needs two connections at once: runs on the PostgreSQL server only',
  },
  async (t) => {
    const code = nextCode()
    const { id: codeId } = await codeRow(code)
    const audits = (await paperAudits()).length
    await moderator.get(paperUrl)
    let release!: () => void
    let stored!: () => void
    const online = db.transaction(async (tx) => {
      await castBallot(tx, { roundId, codeId, channel: 'online', projectIds: [coaches.id], receipt: 'ONLIN-EVOTE' })
      stored()
      await new Promise<void>((resolve) => {
        release = resolve
      })
    })
    await new Promise<void>((resolve) => {
      stored = resolve
    })
    // The paper ballot looks before the online vote commits, and writes after it.
    const paper = moderator.post(paperUrl, { code, projects: ids(cafe) })
    await new Promise((resolve) => setTimeout(resolve, 300))
    release()
    await online
    const res = await paper
    t.equal(res.statusCode, 409)
    t.equal(html(res).text('form [role=alert] p'), msg('paper.existing.online'))
    t.match(await ballotOf(code), { channel: 'online', projectIds: [coaches.id], receipt: 'ONLIN-EVOTE' })
    t.equal((await paperAudits()).length, audits, 'nothing was entered, so nothing is audited')
  },
)
