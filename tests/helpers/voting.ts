import { randomInt } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { rounds } from '../../db/schema.js'
import { insertCodeBatch } from '../../server/data/voting-codes.js'
import { generateCode, hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { TEST_CONFIG } from './app.js'
import { createOfficial } from './officials.js'

let officialId: number | undefined

/** Letter codes for a round, in plain text as printed, stored only as keyed hashes like the real generator does. */
export async function createCodes(
  db: Db,
  roundId: number,
  n: number,
  groupLabel: string | null = null,
): Promise<string[]> {
  officialId ??= (await createOfficial(db, 'admin', `codes-${Date.now()}@example.test`)).id
  const codes = Array.from({ length: n }, () => generateCode(randomInt))
  await insertCodeBatch(db, {
    roundId,
    groupLabel,
    hashes: codes.map((c) => hashCode(TEST_CONFIG.codeKey, normaliseCode(c)!)),
    official: { id: officialId, email: 'codes@example.test' },
  })
  return codes
}

/** Puts the round in `phase` directly (tests also go back), moving its content version as every phase change does. */
export async function setPhase(db: Db, roundId: number, phase: typeof rounds.$inferSelect.phase) {
  await db
    .update(rounds)
    .set({ phase, contentVersion: sql`${rounds.contentVersion} + 1` })
    .where(eq(rounds.id, roundId))
}
