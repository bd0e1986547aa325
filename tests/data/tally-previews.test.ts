import { randomInt } from 'node:crypto'
import t from 'tap'
import { and, desc, eq, TransactionRollbackError } from 'drizzle-orm'
import { auditLog, proposals, rounds, tallyPreviews, votingCodes } from '../../db/schema.js'
import { castBallot, listBallotProjects } from '../../server/data/ballots.js'
import { seedDemo } from '../../server/data/demo.js'
import { findCode } from '../../server/data/voting-codes.js'
import { loadTallyData, previewResults, tallyRound, type Result } from '../../server/data/results.js'
import { publishResult } from '../../server/usecases/results.js'
import { pbBallotsDigest } from '../../server/domain/pabulib/export.js'
import type { TallyRule } from '../../server/domain/tally/tally.js'
import { generateReceipt, hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../helpers/app.js'
import { MAIL_WORDS } from '../helpers/mail-words.js'
import { freshDatabase } from '../helpers/db.js'
import { createOfficial } from '../helpers/officials.js'
import { createCodes, setPhase } from '../helpers/voting.js'

const database = await freshDatabase()
t.teardown(() => database.close())
const { db } = database
await seedDemo(db)
const [{ id: roundId }] = (await db.select({ id: rounds.id }).from(rounds)) as [{ id: number }]
await setPhase(db, roundId, 'voting')
const projects = await listBallotProjects(db, roundId)
const codes = await createCodes(db, roundId, 60)
const codeIds: number[] = []
for (const [i, code] of codes.entries()) {
  const found = await findCode(db, roundId, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
  codeIds.push(found!.id)
  // A spread that gives the Method of Equal Shares something to do, with a few empty ballots.
  const choice = projects.filter((_, j) => (i * 7 + j * 3) % 5 < 1 + (i % 3)).map((p) => p.id)
  await castBallot(db, {
    roundId,
    codeId: found!.id,
    channel: 'online',
    projectIds: i % 13 === 0 ? [] : choice,
    receipt: generateReceipt(randomInt),
  })
}
await setPhase(db, roundId, 'closed')
const admin = await createOfficial(db, 'admin', 'publisher@example.test')
const official = { id: admin.id, email: admin.email, role: 'admin' as const }
const actor = { kind: 'official' as const, id: admin.id, role: 'admin' as const }
const VERSION = 'wijkbudget 1.2.3'
const theRound = async () => (await db.select().from(rounds).where(eq(rounds.id, roundId)))[0]!

t.equal((await theRound()).tallyRule, 'equal-shares', 'the demo round counts with equal shares')

async function preview(rules: readonly TallyRule[] = ['equal-shares', 'greedy'], version = VERSION) {
  return previewResults(db, await theRound(), rules, version)
}

/** What publishing would store, in a transaction rolled back afterwards: the round stays closed for the next test. */
async function publishRolledBack(version = VERSION): Promise<{ result: Result; details: Record<string, unknown> }> {
  let seen: { result: Result; details: Record<string, unknown> } | undefined
  try {
    await db.transaction(async (tx) => {
      const outcome = await publishResult(tx, {
        roundId,
        actor,
        official,
        softwareVersion: version,
        mailer: MAIL_WORDS,
      })
      if (!('published' in outcome)) throw new Error('not published')
      const [entry] = await tx
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'results.publish'))
        .orderBy(desc(auditLog.id))
        .limit(1)
      seen = { result: outcome.published, details: entry!.details }
      tx.rollback()
    })
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error
  }
  return seen!
}

/** A count made now from the database, as publishing without a preview makes it. */
async function countNow() {
  const round = await theRound()
  return tallyRound(round, await loadTallyData(db, round), 'equal-shares')
}

/** Everything publishing stores apart from the voters' random order in the file (and so its hash) and the time. */
function comparable({ result, details }: { result: Result; details: Record<string, unknown> }) {
  const { ballotsPb, ballotsSha256: _hash, publishedAt: _at, ...row } = result
  const { ballotsSha256: _same, reusedPreview: _reused, ...entry } = details
  return { row, votes: pbBallotsDigest(ballotsPb), entry }
}

t.beforeEach(async () => {
  await db.delete(tallyPreviews)
})

t.test(
  'publishing after a preview takes the previewed count and stores what publishing without one stores',
  async (t) => {
    const without = await publishRolledBack()
    t.equal(without.details.reusedPreview, false, 'no preview: counted at publishing')

    const { data, previews } = await preview()
    t.same(
      previews.map((p) => p.rule),
      ['equal-shares', 'greedy'],
    )
    t.equal(data.ballots.length, 60)
    t.equal(
      (await db.select().from(tallyPreviews).where(eq(tallyPreviews.roundId, roundId))).length,
      2,
      'both rules kept',
    )
    const withPreview = await publishRolledBack()
    t.equal(withPreview.details.reusedPreview, true, 'the previewed count taken')
    t.same(comparable(withPreview), comparable(without), 'the same result, file contents and audit entry')
    t.same(withPreview.result.outcome, await countNow())
    t.equal((await theRound()).phase, 'closed', 'rolled back')

    await preview()
    t.equal((await db.select().from(tallyPreviews)).length, 2, 'a second preview replaces the first')
    t.equal((await publishRolledBack()).details.reusedPreview, true)
  },
)

t.test('a preview made before a code was revoked is not taken: publishing counts again', async (t) => {
  const { previews } = await preview()
  const before = previews.find((p) => p.rule === 'equal-shares')!.outcome
  const setRevoked = (at: Date | null) =>
    db
      .update(votingCodes)
      .set({ revokedAt: at })
      .where(and(eq(votingCodes.id, codeIds[1]!), eq(votingCodes.roundId, roundId)))
  await setRevoked(new Date())
  t.teardown(() => setRevoked(null))
  const published = await publishRolledBack()
  t.equal(published.details.reusedPreview, false)
  t.equal(published.result.ballotCount, 59)
  t.same(published.result.outcome, await countNow(), 'counted with the ballots of today')
  t.not(JSON.stringify(published.result.outcome), JSON.stringify(before), 'which count otherwise')
})

t.test('nor one made before the budget or a cost changed, by another version, or under another rule', async (t) => {
  const round = await theRound()
  await preview()
  await db
    .update(rounds)
    .set({ budgetCents: round.budgetCents - 100 })
    .where(eq(rounds.id, roundId))
  t.equal((await publishRolledBack()).details.reusedPreview, false, 'the budget')
  await db.update(rounds).set({ budgetCents: round.budgetCents }).where(eq(rounds.id, roundId))
  t.equal((await publishRolledBack()).details.reusedPreview, true, 'the budget as it was previewed')

  const [project] = await db.select().from(proposals).where(eq(proposals.id, projects[0]!.id))
  await db
    .update(proposals)
    .set({ correctedCostCents: projects[0]!.costCents + 100 })
    .where(eq(proposals.id, project!.id))
  t.equal((await publishRolledBack()).details.reusedPreview, false, "a project's cost")
  await db
    .update(proposals)
    .set({ correctedCostCents: project!.correctedCostCents })
    .where(eq(proposals.id, project!.id))

  t.equal((await publishRolledBack('wijkbudget 1.2.4')).details.reusedPreview, false, 'another version of the software')

  await db.delete(tallyPreviews)
  await preview(['greedy'])
  t.equal((await publishRolledBack()).details.reusedPreview, false, 'only the other rule previewed')

  await preview()
  await db.update(tallyPreviews).set({ outcomeVersion: 99 })
  t.equal(
    (await publishRolledBack()).details.reusedPreview,
    false,
    'a preview stored in a shape this software cannot read',
  )

  await preview()
  await db.update(tallyPreviews).set({ outcomeVersion: 1 })
  t.equal(
    (await publishRolledBack()).details.reusedPreview,
    false,
    "a preview stored before each voter's start was kept: readable, but counted again for today's explanations",
  )
})

t.test("a real publication after a preview: published once, the preview's count stored", async (t) => {
  const { previews } = await preview()
  const outcome = await publishResult(db, { roundId, actor, official, softwareVersion: VERSION, mailer: MAIL_WORDS })
  t.ok('published' in outcome)
  if (!('published' in outcome)) return
  t.same(outcome.published.outcome, previews.find((p) => p.rule === 'equal-shares')!.outcome)
  t.equal((await theRound()).phase, 'published')
  t.same(await publishResult(db, { roundId, actor, official, softwareVersion: VERSION, mailer: MAIL_WORDS }), {
    refused: 'notClosed',
  })
})
