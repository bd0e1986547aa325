import { and, asc, count, eq, getTableColumns, isNull, sql } from 'drizzle-orm'
import { integerArray, type Db } from '../../db/client.js'
import { photos, photoVariants, proposals, rounds } from '../../db/schema.js'
import type { VariantFormat } from '../domain/photos/rules.js'
import type { Encoded } from '../images.js'
import { appendAudit } from './audit.js'
import { bumpContentVersion, type Round } from './rounds.js'

/** A photo as pages show it: never its bytes. */
export type Photo = typeof photos.$inferSelect

type Official = { id: number; email: string }

export interface NewPhoto {
  alt: string
  encoded: Encoded
}

/** Stores photos with all their variants; the round's kept pages move on in the same transaction. */
export async function insertPhotos(
  tx: Db,
  target: { roundId: number; proposalId: number; progressUpdateId?: number },
  added: readonly NewPhoto[],
  official: Official | null,
): Promise<number[]> {
  if (added.length === 0) return []
  await bumpContentVersion(tx, target.roundId)
  const ids: number[] = []
  for (const { alt, encoded } of added) {
    const [row] = await tx
      .insert(photos)
      .values({
        proposalId: target.proposalId,
        progressUpdateId: target.progressUpdateId ?? null,
        alt,
        hash: encoded.hash,
        width: encoded.width,
        height: encoded.height,
        officialId: official?.id ?? null,
      })
      .returning({ id: photos.id })
    await tx.insert(photoVariants).values(
      encoded.variants.map((v) => ({
        photoId: row!.id,
        width: v.width,
        format: v.format,
        bytes: v.bytes,
        hash: v.hash,
      })),
    )
    ids.push(row!.id)
  }
  if (official)
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'photo.add',
      object: `proposal:${target.proposalId}`,
      details: { photos: ids, ...(target.progressUpdateId && { progressUpdate: target.progressUpdateId }) },
    })
  return ids
}

/** The photos a proposal shows now (not those of its progress updates, not removed ones). */
export async function countProposalPhotos(tx: Db, proposalId: number): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(photos)
    .where(and(eq(photos.proposalId, proposalId), isNull(photos.progressUpdateId), isNull(photos.removedAt)))
  return row?.n ?? 0
}

/** A proposal's own photos in the order they were added, removed ones too (their reasons are public). */
export function listProposalPhotos(db: Db, proposalId: number): Promise<Photo[]> {
  return db
    .select()
    .from(photos)
    .where(and(eq(photos.proposalId, proposalId), isNull(photos.progressUpdateId)))
    .orderBy(asc(photos.id))
}

/** The photos of these progress updates that were not removed. */
export function listUpdatePhotos(db: Db, updateIds: readonly number[]): Promise<Photo[]> {
  if (updateIds.length === 0) return Promise.resolve([])
  return db
    .select()
    .from(photos)
    .where(and(sql`${photos.progressUpdateId} = any(${integerArray(updateIds)}::integer[])`, isNull(photos.removedAt)))
    .orderBy(asc(photos.id))
}

export interface ServedVariant {
  bytes: Buffer
  etag: string
  proposalId: number
  progressUpdateId: number | null
  status: string
  duplicateOfId: number | null
  round: Round
}

/** One variant's bytes with what decides who may see them; undefined when the address names nothing (or a removed photo). */
export async function findVariant(
  db: Db,
  photoId: number,
  hash: string,
  width: number,
  format: VariantFormat,
): Promise<ServedVariant | undefined> {
  const [row] = await db
    .select({
      bytes: photoVariants.bytes,
      etag: photoVariants.hash,
      proposalId: photos.proposalId,
      progressUpdateId: photos.progressUpdateId,
      status: proposals.status,
      duplicateOfId: proposals.duplicateOfId,
      round: getTableColumns(rounds),
    })
    .from(photoVariants)
    .innerJoin(photos, eq(photos.id, photoVariants.photoId))
    .innerJoin(proposals, eq(proposals.id, photos.proposalId))
    .innerJoin(rounds, eq(rounds.id, proposals.roundId))
    .where(
      and(
        eq(photoVariants.photoId, photoId),
        eq(photoVariants.width, width),
        eq(photoVariants.format, format),
        eq(photos.hash, hash),
        isNull(photos.removedAt),
      ),
    )
  return row
}

/**
 * Takes a photo down: its bytes are deleted, its row keeps the public reason. False when the
 * proposal has no such photo shown.
 */
export async function removePhoto(
  tx: Db,
  roundId: number,
  proposalId: number,
  photoId: number,
  reason: string,
  official: Official,
): Promise<boolean> {
  const [row] = await tx
    .update(photos)
    .set({ removedAt: sql`now()`, removedReason: reason, removedBy: official.id, alt: '' })
    .where(and(eq(photos.id, photoId), eq(photos.proposalId, proposalId), isNull(photos.removedAt)))
    .returning({ id: photos.id, progressUpdateId: photos.progressUpdateId })
  if (!row) return false
  await tx.delete(photoVariants).where(eq(photoVariants.photoId, photoId))
  await bumpContentVersion(tx, roundId)
  await appendAudit(tx, {
    officialId: official.id,
    actor: official.email,
    action: 'photo.remove',
    object: `proposal:${proposalId}`,
    details: { photo: photoId, reason },
  })
  return true
}
