import type { Photo } from '../../data/photos.js'
import { variantName, variantWidths, type VariantFormat } from '../../domain/photos/rules.js'

/** The page's column: the full width of a phone, less its margins; never wider than the page's 48rem. */
export const PHOTO_SIZES = '(min-width: 48rem) 46rem, calc(100vw - 2rem)'

/**
 * A photo as <picture> shows it: WebP for the browsers that take it, JPEG for the others, each in
 * the widths the browser chooses from by the screen. `base` is where the bytes are served: the public
 * address, or the officials' preview of a photo the public may not see yet.
 */
export function photoView(photo: Photo, base = '/photos') {
  const widths = variantWidths(photo.width)
  const url = (width: number, format: VariantFormat) =>
    `${base}/${photo.id}/${photo.hash}/${variantName(width, format)}`
  const srcset = (format: VariantFormat) => widths.map((w) => `${url(w, format)} ${w}w`).join(', ')
  return {
    id: photo.id,
    alt: photo.alt,
    width: photo.width,
    height: photo.height,
    webp: srcset('webp'),
    jpeg: srcset('jpeg'),
    src: url(widths[Math.min(1, widths.length - 1)]!, 'jpeg'),
    sizes: PHOTO_SIZES,
  }
}

/** A proposal's photos: those shown (when the public may see them) and the public reasons of those removed. */
export function proposalPhotosView(photos: readonly Photo[], shown: boolean, base?: string) {
  const live = photos.filter((p) => p.removedAt === null)
  return {
    shown: shown ? live.map((p) => photoView(p, base)) : [],
    // Said to everyone, the submitter first: their photos arrived and wait for a moderator.
    waiting: !shown && live.length > 0,
    removed: photos.filter((p) => p.removedAt !== null).map((p) => ({ reason: p.removedReason ?? '' })),
  }
}
