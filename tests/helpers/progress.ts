import { randomInt } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { results } from '../../db/schema.js'
import { castBallot } from '../../server/data/ballots.js'
import { findCode } from '../../server/data/voting-codes.js'
import { generateReceipt, hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { publishResult } from '../../server/usecases/results.js'
import { TEST_CONFIG, type Teardown } from './app.js'
import { demoRound } from './fixtures.js'
import { MAIL_WORDS } from './mail-words.js'
import { setPhase } from './voting.js'
import type { ProgressUpdateInput } from '../../server/domain/results/progress.js'
import { postProgress } from '../../server/usecases/progress.js'

/** Posts a progress update as an official would, the figures it does not name left empty. */
export function postUpdate(
  app: FastifyInstance,
  roundId: number,
  update: Pick<ProgressUpdateInput, 'proposalId' | 'status' | 'text' | 'on'> & Partial<ProgressUpdateInput>,
  official: { id: number; email: string },
): Promise<void> {
  return postProgress(
    app.db,
    app,
    roundId,
    { spentCents: null, kwhReached: null, co2Reached: null, householdsReached: null, ...update },
    official,
  )
}

/** The demo round voted on by twelve codes, closed and published: its funded projects are there to follow. */
export async function publishedDemo(t: Teardown) {
  const demo = await demoRound(t, { phase: 'voting', codes: 12 })
  const { db, round, projects, codes } = demo
  for (const [i, code] of codes.entries()) {
    const found = await findCode(db, round.id, hashCode(TEST_CONFIG.codeKey, normaliseCode(code)!))
    await castBallot(db, {
      roundId: round.id,
      codeId: found!.id,
      channel: 'online',
      projectIds: [projects[i % 3]!.id],
      receipt: generateReceipt(randomInt),
    })
  }
  await setPhase(db, round.id, 'closed')
  const admin = demo.officials.admin
  await publishResult(db, {
    roundId: round.id,
    actor: { kind: 'official', id: admin.id, role: 'admin' },
    official: admin,
    softwareVersion: 'test',
    mailer: MAIL_WORDS,
  })
  const [result] = await db.select().from(results).where(eq(results.roundId, round.id))
  const fundedIds = (result!.outcome as { selected: string[] }).selected.map(Number)
  return { ...demo, funded: fundedIds.map((id) => projects.find((p) => p.id === id)!) }
}
