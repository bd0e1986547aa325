import { createHash } from 'node:crypto'
import type { default as Sharp } from 'sharp'
import {
  checkHeader,
  MAX_PIXELS,
  MAX_UPLOAD_BYTES,
  variantWidths,
  type PhotoRefusal,
  type VariantFormat,
} from './domain/photos/rules.js'

export interface Variant {
  width: number
  format: VariantFormat
  bytes: Buffer
  /** The bytes' SHA-256 in hex: the variant's ETag. */
  hash: string
}

export interface Encoded {
  width: number
  height: number
  /** Names this photo's content in its addresses: a new photo is a new address, so the old one can be kept forever. */
  hash: string
  variants: Variant[]
}

let loaded: Promise<typeof Sharp> | undefined
/**
 * sharp (libvips) is loaded at the first photo: an instance that never gets one does not hold its
 * memory. Its operation cache is off: each upload is decoded once, and cached pixels would stay.
 */
const sharpLoaded = () =>
  (loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false)
    return sharp
  }))

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

const QUALITY: Record<VariantFormat, number> = { webp: 72, jpeg: 78 }

/** Only the header is read: a 20,000 × 20,000 PNG is refused without decoding a pixel. */
export async function inspectImage(bytes: Buffer): Promise<PhotoRefusal | null> {
  if (bytes.length > MAX_UPLOAD_BYTES) return 'tooLarge'
  const sharp = await sharpLoaded()
  try {
    // The header alone, without sharp's pixel limit (which would call a bomb "not an image"): our rule says why.
    const header = await sharp(bytes, { limitInputPixels: false }).metadata()
    return checkHeader(header)
  } catch {
    return 'notAnImage'
  }
}

/**
 * Re-encodes an upload: turned upright by its EXIF orientation, every piece of metadata (GPS
 * location included) left behind, at most 1,600 px wide, as WebP and JPEG in each served width.
 * sharp runs in libuv's thread pool: the event loop keeps serving while it works.
 */
export async function encodeImage(bytes: Buffer): Promise<Encoded | { refused: PhotoRefusal }> {
  const refused = await inspectImage(bytes)
  if (refused) return { refused }
  const sharp = await sharpLoaded()
  try {
    // One decode, turned upright and capped at the widest variant; each variant starts from it.
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true })
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } }
    const variants: Variant[] = []
    for (const width of variantWidths(info.width)) {
      for (const format of ['webp', 'jpeg'] as const) {
        let image = sharp(data, raw).resize({ width, withoutEnlargement: true })
        // JPEG has no transparency: a PNG's see-through parts become white, not black.
        image =
          format === 'jpeg'
            ? image.flatten({ background: '#ffffff' }).jpeg({ quality: QUALITY.jpeg, mozjpeg: true })
            : image.webp({ quality: QUALITY.webp })
        const out = await image.toBuffer()
        variants.push({ width, format, bytes: out, hash: sha256(out) })
      }
    }
    const widest = variants.filter((v) => v.format === 'jpeg').at(-1)!
    return { width: info.width, height: info.height, hash: widest.hash.slice(0, 16), variants }
  } catch {
    return { refused: 'unreadable' }
  }
}
