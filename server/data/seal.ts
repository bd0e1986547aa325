import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { auditLog } from '../../db/schema.js'
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

/** The fingerprint of the counted ballots sealed when the round's voting closed, if it was sealed. */
export async function sealedBallotsDigest(db: Db, roundId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.action, SEAL_ACTION), eq(auditLog.object, `round:${roundId}`)))
    .orderBy(desc(auditLog.id))
    .limit(1)
  const sealed = (row?.details as { ballotsSha256?: unknown } | undefined)?.ballotsSha256
  return typeof sealed === 'string' ? sealed : undefined
}
