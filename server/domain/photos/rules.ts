/** How many photos one proposal (or one progress update) carries: enough to show it, few enough for a phone's data. */
export const MAX_PHOTOS = 3

/** A description says what the photo shows in a sentence: never empty, never an essay. */
export const ALT_MAX = 200

/** A removal's public reason. */
export const REASON_MAX = 500

/** What an upload may weigh before it is read at all. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

/** A phone's camera makes 12 to 50 megapixels; more is a decompression bomb, refused before decoding. */
export const MAX_PIXELS = 50_000_000
export const MAX_SIDE = 12_000

/**
 * Formats read by their content (sharp's own detection), never by name or declared type. SVG is not
 * among them: it is a document that can carry scripts and links, not a photo.
 */
export const ACCEPTED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'heif'] as const

/** The widths served: a phone picks 480 or 960, a desktop 960 or 1600; nothing is stored wider than 1600. */
export const VARIANT_WIDTHS = [480, 960, 1600] as const
export const VARIANT_FORMATS = ['webp', 'jpeg'] as const
export type VariantFormat = (typeof VARIANT_FORMATS)[number]

export type PhotoRefusal = 'notAnImage' | 'tooLarge' | 'tooManyPixels' | 'unreadable'
export type PhotoError = PhotoRefusal | 'altRequired' | 'altTooLong' | 'tooMany' | 'photoMissing' | 'noPhoto'

/** A photo's description after trimming, or what is wrong with it. */
export function checkAlt(alt: string): { alt: string } | { error: 'altRequired' | 'altTooLong' } {
  const trimmed = alt.trim()
  if (trimmed === '') return { error: 'altRequired' }
  if ([...trimmed].length > ALT_MAX) return { error: 'altTooLong' }
  return { alt: trimmed }
}

/** The header's verdict, before a single pixel is decoded. */
export function checkHeader(header: { format?: string; width?: number; height?: number }): PhotoRefusal | null {
  if (!header.format || !(ACCEPTED_FORMATS as readonly string[]).includes(header.format)) return 'notAnImage'
  const { width = 0, height = 0 } = header
  if (width < 1 || height < 1) return 'notAnImage'
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) return 'tooManyPixels'
  return null
}

/** The widths made of an image `width` wide: those it fills, and its own width when it is narrower than the widest. */
export function variantWidths(width: number): number[] {
  const widths: number[] = VARIANT_WIDTHS.filter((w) => w < width)
  const widest = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!
  widths.push(Math.min(width, widest))
  return widths
}

/**
 * Photos a resident may see: those of an approved proposal not merged into another. A proposal
 * that waits, was rejected or merged shows none, so a moderator has looked at every public photo.
 */
export function photosArePublic(proposal: { status: string; duplicateOfId: number | null }): boolean {
  return proposal.status === 'approved' && proposal.duplicateOfId === null
}

/** How many more photos a proposal with `present` can take. */
export const roomFor = (present: number) => Math.max(0, MAX_PHOTOS - present)

/** The file name a variant is served under: `960.webp`. */
export const variantName = (width: number, format: VariantFormat) => `${width}.${format}`

export function parseVariantName(name: string): { width: number; format: VariantFormat } | null {
  const match = /^(\d{2,4})\.(webp|jpeg)$/.exec(name)
  return match ? { width: Number(match[1]), format: match[2] as VariantFormat } : null
}
