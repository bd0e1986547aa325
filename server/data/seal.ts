import type { Db } from '../../db/client.js'
import { SEAL_ACTION } from '../domain/voting/seal.js'
import { appendAudit } from './audit.js'
import { countedBallotsDigest } from './ballots.js'

/**
 * Records the fingerprint of the round's counted ballots in the audit chain. Call inside the
 * transaction that closes voting, after the ballots table is locked: nothing can change them in between.
 */
export async function sealBallots(tx: Db, roundId: number): Promise<void> {
  const counted = await countedBallotsDigest(tx, roundId)
  await appendAudit(tx, {
    officialId: null,
    actor: 'system',
    action: SEAL_ACTION,
    object: `round:${roundId}`,
    details: { ballotsSha256: counted.sha256, ballots: counted.ballots },
  })
}
