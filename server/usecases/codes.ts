import type { Db } from '../../db/client.js'
import { findRound, type Round } from '../data/rounds.js'
import { insertCodeBatch } from '../data/voting-codes.js'
import { can, type Actor } from '../domain/access/permissions.js'
import { phaseAt } from '../domain/rounds/phases.js'

/**
 * Stores a drawn batch of codes (their keyed hashes). Drawing a large batch takes seconds, and
 * voting may have closed meanwhile: the round is asked again, and a closed one gets no codes.
 */
export async function issueCodeBatch(
  db: Db,
  input: {
    round: Round
    actor: Actor
    official: { id: number; email: string }
    groupLabel: string | null
    district?: string | null
    hashes: string[]
    now: Date
  },
): Promise<{ issued: true } | { closed: Round }> {
  const current = (await findRound(db, input.round.id))!
  if (!can(input.actor, 'codes.manage', phaseAt(current, input.now))) return { closed: current }
  await insertCodeBatch(db, {
    roundId: current.id,
    groupLabel: input.groupLabel,
    district: input.district ?? null,
    hashes: input.hashes,
    official: input.official,
  })
  return { issued: true }
}
