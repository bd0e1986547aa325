import t from 'tap'
import { eq } from 'drizzle-orm'
import { ballots, codeBatches, rounds, votingCodes } from '../../db/schema.js'
import { countedBallotsDigest } from '../../server/data/ballots.js'
import { countedBallots } from '../../server/data/results.js'
import { ballotsDigest } from '../../server/domain/pabulib/export.js'
import { sha256 } from '../../server/domain/common/digest.js'
import { freshDatabase } from '../helpers/db.js'

const database = await freshDatabase()
t.teardown(() => database.close())
const { db } = database

let made = 0
async function votingRound(name: string) {
  const [round] = await db
    .insert(rounds)
    .values({ slug: name, title: name, neighbourhood: name, budgetCents: 100_000, phase: 'voting' })
    .returning()
  const [batch] = await db.insert(codeBatches).values({ roundId: round!.id, count: 0 }).returning()
  /** Stores a ballot under a code of its own; ids need not be proposals here, the digest only reads them. */
  const vote = async (projectIds: number[], { revoked = false } = {}) => {
    const [code] = await db
      .insert(votingCodes)
      .values({ roundId: round!.id, batchId: batch!.id, codeHash: `code-${++made}` })
      .returning()
    await db
      .insert(ballots)
      .values({ roundId: round!.id, codeId: code!.id, channel: 'online', projectIds, receipt: `receipt-${made}` })
    if (revoked) await db.update(votingCodes).set({ revokedAt: new Date() }).where(eq(votingCodes.id, code!.id))
  }
  return { roundId: round!.id, vote }
}

t.test(
  'the fingerprint is the sorted ids, the sorted lines, sha256: 9 before 10 within a ballot, text order between lines',
  async (t) => {
    t.equal(ballotsDigest([[10, 9], [2], [], [100, 9]]), sha256(['', '2', '9,10', '9,100'].join('\n')))
    t.equal(ballotsDigest([]), sha256(''), 'no ballots hash as the empty text')
  },
)

t.test('an empty round: the digest of the empty text, no ballots', async (t) => {
  const { roundId } = await votingRound('leeg')
  t.same(await countedBallotsDigest(db, roundId), { sha256: ballotsDigest([]), ballots: 0 })
  t.same(await countedBallotsDigest(db, roundId, [1, 2]), { sha256: sha256(''), ballots: 0 })
})

t.test(
  'PostgreSQL computes the same digest as ballotsDigest: empty ballots, multi-digit ids, revoked codes left out, other rounds apart',
  async (t) => {
    const { roundId, vote } = await votingRound('noord')
    const other = await votingRound('zuid')
    await other.vote([1, 2, 3])
    for (const ballot of [[10, 9], [], [2, 100, 9], [9], [10, 9], [1, 10, 2], []]) await vote(ballot)
    await vote([5, 6], { revoked: true })
    const counted = await countedBallots(db, roundId)
    t.equal(counted.length, 7)
    t.same(await countedBallotsDigest(db, roundId), { sha256: ballotsDigest(counted), ballots: 7 })
    t.not(ballotsDigest(counted), ballotsDigest([...counted, [5, 6]]), "the revoked code's ballot would change it")

    const kept = [9, 100, 1]
    t.same(
      await countedBallotsDigest(db, roundId, kept),
      { sha256: ballotsDigest(counted.map((b) => b.filter((id) => kept.includes(id)))), ballots: 7 },
      'only some projects',
    )
    t.same(
      await countedBallotsDigest(db, roundId, []),
      { sha256: ballotsDigest(counted.map(() => [])), ballots: 7 },
      'no projects: every ballot empty, still counted',
    )
    t.same(
      await countedBallotsDigest(db, roundId, [9, 2 ** 40, 1.5]),
      await countedBallotsDigest(db, roundId, [9]),
      'ids no ballot can hold are ignored',
    )
  },
)

t.test('many random ballots, in whatever order they were stored', async (t) => {
  const { roundId, vote } = await votingRound('west')
  let seed = 12_345
  const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n)
  for (let i = 0; i < 200; i++) {
    const ballot = [...new Set(Array.from({ length: next(6) }, () => 1 + next(120)))]
    await vote(ballot, { revoked: next(10) === 0 })
  }
  const counted = await countedBallots(db, roundId)
  t.same(await countedBallotsDigest(db, roundId), { sha256: ballotsDigest(counted), ballots: counted.length })
  const kept = Array.from({ length: 60 }, (_, i) => 2 * i + 1)
  t.equal(
    (await countedBallotsDigest(db, roundId, kept)).sha256,
    ballotsDigest(counted.map((b) => b.filter((id) => kept.includes(id)))),
  )
})
