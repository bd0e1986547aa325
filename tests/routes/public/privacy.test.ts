import t from 'tap'
import { desc, eq, isNotNull } from 'drizzle-orm'
import { auditLog, follows, progressUpdates, proposals, results } from '../../../db/schema.js'
import { OUTCOME_VERSION } from '../../../server/data/result-outcome.js'
import { deleteExpiredContacts } from '../../../server/data/retention.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId } = await demoRound(t, { phase: 'published', officials: [] })
const DAY = 24 * 60 * 60 * 1000
const [followed] = await db.select().from(proposals).limit(1)

/** A follow as stored: of the round, or of a proposal; confirmed or not; made at `createdAt`. */
async function addFollow(email: string, values: { proposalId?: number; confirmedAt?: Date; createdAt: Date }) {
  await db.insert(follows).values({ roundId, lang: 'nl', email, token: email.padEnd(32, 'x').slice(0, 32), ...values })
}
/** A stored result that funded `ids`, in the shape the current version stores. */
const outcome = (ids: number[]) => ({
  rule: 'greedy',
  selected: ids.map(String),
  totalCost: 0,
  projects: [],
  ties: [],
})
const addresses = async () => (await db.select({ email: follows.email }).from(follows)).map((f) => f.email).sort()

t.test('the privacy statement names the controller, contacts and retention from the configuration', async (t) => {
  const { app: own } = await testApp(t, {
    db,
    config: {
      contactRetentionDays: 30,
      privacy: {
        controller: 'Gemeente Rotterdam',
        contactEmail: 'privacy@rotterdam.example',
        officerEmail: 'fg@rotterdam.example',
      },
    },
  })
  const page = await new Visitor(own).get('/privacyverklaring')
  t.equal(page.statusCode, 200)
  t.match(page.body, '<title>Privacyverklaring · Wijkbudget</title>')
  t.match(page.body, 'Gemeente Rotterdam is verantwoordelijk')
  t.match(page.body, 'privacy@rotterdam.example')
  t.match(page.body, 'fg@rotterdam.example')
  t.match(page.body, 'automatisch 30 dagen nadat de uitslag')
  t.match(
    (await new Visitor(app).get('/privacyverklaring')).body,
    'automatisch 90 dagen',
    'the demo default is 90 days',
  )
})

t.test(
  'every footer links to the privacy statement, and so does the proposal form beside its consent box',
  async (t) => {
    const v = new Visitor(app)
    for (const path of ['/', '/login', `/rounds/${round.slug}`, '/privacyverklaring']) {
      t.match(
        (await v.get(path)).body,
        /<footer class="site-footer">[\s\S]*<a href="\/privacyverklaring">Privacyverklaring<\/a>/,
        path,
      )
    }
    await setPhase(db, roundId, 'proposing')
    t.teardown(() => setPhase(db, roundId, 'published'))
    const form = await v.get(`/rounds/${round.slug}/proposals/new`)
    t.match(
      form.body,
      /<label for="consent">[^<]*<\/label>\s*<\/div>\s*<p class="proposal-privacy"><a href="\/privacyverklaring">/,
    )
  },
)

t.test(
  'contact details are deleted the set number of days after publication, once, audited with the count',
  async (t) => {
    const publishedAt = new Date('2026-01-10T10:00:00Z')
    await db.insert(results).values({
      roundId,
      rule: 'greedy',
      outcome: outcome([]),
      outcomeVersion: OUTCOME_VERSION,
      ballotsPb: '',
      ballotsSha256: '',
      ballotCount: 0,
      softwareVersion: 'test',
      publishedAt,
    })
    await addFollow('round@example.net', { confirmedAt: publishedAt, createdAt: publishedAt })
    await addFollow('proposal@example.net', {
      proposalId: followed!.id,
      confirmedAt: publishedAt,
      createdAt: publishedAt,
    })
    const withContact = await db.select().from(proposals).where(isNotNull(proposals.contactEmail))
    t.ok(withContact.length > 0, 'the demo proposals have contact details')

    t.equal(await deleteExpiredContacts(db, new Date(publishedAt.getTime() + 89 * DAY), 90), 0, 'not yet after 89 days')
    t.equal((await addresses()).length, 2, 'confirmed follows stay until then')
    t.equal((await db.select().from(auditLog).where(eq(auditLog.action, 'privacy.contacts-deleted'))).length, 0)

    const count = await deleteExpiredContacts(db, new Date(publishedAt.getTime() + 91 * DAY), 90)
    t.equal(count, withContact.length + 2, "the submitters' details and both follows")
    t.same(await addresses(), [], "followers' addresses are gone too")
    const after = await db.select().from(proposals)
    t.ok(
      after.every((p) => p.contactEmail === null && p.contactPhone === null),
      'e-mail and phone are gone',
    )
    t.same(after.map((p) => p.title).sort(), withContact.map((p) => p.title).sort(), 'the proposals stay')
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'privacy.contacts-deleted'))
    t.same(entry?.details, {
      count: withContact.length,
      rounds: [roundId],
      retentionDays: 90,
      follows: 2,
      unconfirmedFollows: 0,
    })
    t.equal(entry?.actor, 'system')

    t.equal(
      await deleteExpiredContacts(db, new Date(publishedAt.getTime() + 92 * DAY), 90),
      0,
      'a second run finds nothing',
    )
    t.equal(
      (await db.select().from(auditLog).where(eq(auditLog.action, 'privacy.contacts-deleted'))).length,
      1,
      'and records nothing',
    )
  },
)

t.test('a follow nobody confirmed is deleted after a week, in the same job; confirmed ones stay', async (t) => {
  const now = new Date('2026-01-12T10:00:00Z')
  const audited = async () =>
    (await db.select().from(auditLog).where(eq(auditLog.action, 'privacy.contacts-deleted'))).length
  const entries = await audited()
  await addFollow('old-unconfirmed@example.net', { createdAt: new Date(now.getTime() - 8 * DAY) })
  await addFollow('new-unconfirmed@example.net', { createdAt: new Date(now.getTime() - 6 * DAY) })
  await addFollow('old-confirmed@example.net', { createdAt: new Date(now.getTime() - 8 * DAY), confirmedAt: now })
  // Two days after the results of this round: its followers' retention has not passed.
  t.equal(await deleteExpiredContacts(db, now, 90), 1)
  t.same(await addresses(), ['new-unconfirmed@example.net', 'old-confirmed@example.net'])
  const [entry] = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, 'privacy.contacts-deleted'))
    .orderBy(desc(auditLog.id))
    .limit(1)
  t.match(entry?.details, { count: 0, follows: 0, unconfirmedFollows: 1 })
  t.equal(await audited(), entries + 1)
  t.equal(await deleteExpiredContacts(db, now, 90), 0, 'a second run finds nothing')
  t.equal(await audited(), entries + 1, 'and records nothing')
})

t.test("the privacy statement says what happens to followers' and commenters' addresses", async (t) => {
  for (const lang of ['nl', 'en', 'ar'] as const) {
    const page = html(await new Visitor(app).get(`/privacyverklaring?lang=${lang}`))
    const text = page.texts('main p')
    t.ok(text.includes(msg('privacy.what.follow', {}, lang)), `${lang}: what and why`)
    t.ok(text.includes(msg('privacy.howLong.follow', { count: 90 }, lang)), `${lang}: how long, and how to leave`)
  }
})

t.test(
  'followers of the round and of its funded projects stay while there is news to come, until the set days after the last one is finished',
  async (t) => {
    await db.delete(follows)
    const [funded, other] = await db.select().from(proposals).orderBy(proposals.id).limit(2)
    const publishedAt = new Date('2026-02-01T10:00:00Z')
    await db
      .update(results)
      .set({ outcome: outcome([funded!.id]), publishedAt })
      .where(eq(results.roundId, roundId))
    const at = (days: number) => new Date(publishedAt.getTime() + days * DAY)
    await addFollow('round@example.net', { confirmedAt: publishedAt, createdAt: publishedAt })
    await addFollow('funded@example.net', { proposalId: funded!.id, confirmedAt: publishedAt, createdAt: publishedAt })
    await addFollow('other@example.net', { proposalId: other!.id, confirmedAt: publishedAt, createdAt: publishedAt })

    t.equal((await deleteExpiredContacts(db, at(91), 90)) >= 1, true)
    t.same(await addresses(), ['funded@example.net', 'round@example.net'], 'the unfunded proposal has no news to come')

    const report = (status: 'in_progress' | 'done', days: number) =>
      db
        .insert(progressUpdates)
        .values({ proposalId: funded!.id, status, text: status, on: '2026-06-01', createdAt: at(days) })
    await report('in_progress', 120)
    await deleteExpiredContacts(db, at(300), 90)
    t.same(await addresses(), ['funded@example.net', 'round@example.net'], 'a project under way keeps its followers')

    await report('done', 310)
    t.equal(await deleteExpiredContacts(db, at(399), 90), 0, 'kept the set days after the project is done')
    t.same(await addresses(), ['funded@example.net', 'round@example.net'])
    t.equal(await deleteExpiredContacts(db, at(401), 90), 2, 'then gone')
    t.same(await addresses(), [])
  },
)

t.test('the privacy statement says how long followers of funded projects are kept', async (t) => {
  const page = await new Visitor(app).get('/privacyverklaring')
  t.match(page.body, 'tot 90 dagen nadat het laatste ervan klaar is of niet doorgaat')
})
