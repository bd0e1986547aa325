import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { officials, proposals } from '../../db/schema.js'
import { insertOfficial } from '../../server/data/officials.js'
import { insertCodeBatch } from '../../server/data/voting-codes.js'
import { generateCode, hashCode, normaliseCode } from '../../server/domain/voting/codes.js'
import { hashPassword } from '../../server/passwords.js'
import { SECRETS, seedVotingRound } from '../fixture.js'
import type { Official } from './residents.js'

export const hashOf = (code: string) => hashCode(SECRETS.codeKey, normaliseCode(code)!)

/**
 * The round in its voting phase, a letter per resident (the script keeps the codes it would print),
 * and the officials of the day: the admin, a language coach, and a moderator per paper-ballot desk.
 */
export async function seedElectionDay(db: Db, residents: number, paperDesks: number, password: string) {
  const round = await seedVotingRound(db, 1)
  const letterCodes = Array.from({ length: residents }, () => generateCode((n) => Math.floor(Math.random() * n)))
  const [bench] = await db.select().from(officials).where(eq(officials.role, 'admin'))
  await insertCodeBatch(db, {
    roundId: round.roundId,
    groupLabel: '3024',
    hashes: letterCodes.map(hashOf),
    official: { id: bench!.id, email: bench!.email },
  })
  const passwordHash = await hashPassword(password)
  const official = (email: string): Official => ({ email, password })
  const staff = { admin: official('admin@election.test'), coach: official('coach@election.test') }
  const desks = Array.from({ length: paperDesks }, (_, i) => official(`desk${i + 1}@election.test`))
  for (const [who, role] of [
    [staff.admin, 'admin'],
    [staff.coach, 'coach'],
    ...desks.map((desk) => [desk, 'moderator'] as const),
  ] as const)
    await insertOfficial(db, { email: who.email, name: `Election ${role}`, role, passwordHash })
  const references = await db
    .select({ id: proposals.id, reference: proposals.reference })
    .from(proposals)
    .where(eq(proposals.roundId, round.roundId))
  const referenceOf = new Map(references.map((r) => [r.id, r.reference]))
  return {
    round,
    letterCodes,
    staff,
    desks,
    projects: round.projects.map((p) => ({ ...p, reference: referenceOf.get(p.id)! })),
  }
}
