import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { proposals } from '../../db/schema.js'
import { countProposalPhotos, insertPhotos, removePhoto, type NewPhoto } from '../data/photos.js'
import { roomFor } from '../domain/photos/rules.js'

type Official = { id: number; email: string }

/**
 * A coach or moderator adds photos to a proposal. The proposal's row is locked while its photos are
 * counted, so two officials adding at once never take it past the maximum: 'tooMany' then.
 */
export function addProposalPhotos(
  db: Db,
  target: { roundId: number; proposalId: number },
  added: readonly NewPhoto[],
  official: Official,
): Promise<'added' | 'tooMany'> {
  return db.transaction(async (tx) => {
    await tx.select({ id: proposals.id }).from(proposals).where(eq(proposals.id, target.proposalId)).for('update')
    if (added.length > roomFor(await countProposalPhotos(tx, target.proposalId))) return 'tooMany'
    await insertPhotos(tx, target, added, official)
    return 'added'
  })
}

/** Takes a photo off a proposal with a public reason; false when the proposal shows no such photo. */
export function removeProposalPhoto(
  db: Db,
  target: { roundId: number; proposalId: number; photoId: number },
  reason: string,
  official: Official,
): Promise<boolean> {
  return db.transaction((tx) => removePhoto(tx, target.roundId, target.proposalId, target.photoId, reason, official))
}
