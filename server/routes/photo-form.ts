import type { FastifyRequest } from 'fastify'
import type { NewPhoto } from '../data/photos.js'
import { ALT_MAX, checkAlt, MAX_PHOTOS, type PhotoError } from '../domain/photos/rules.js'
import { encodeImage, inspectImage } from '../images.js'

/** The form's photo slots: `photo1` with its description `photoAlt1`, and so on. */
const SLOTS = Array.from({ length: MAX_PHOTOS }, (_, i) => i + 1)

export interface PhotoSlot {
  n: number
  alt: string
  bytes?: Buffer
  error?: PhotoError
}

export interface PhotosRead {
  slots: PhotoSlot[]
  /** A file the form has no slot for: more than `room` photos were sent. */
  tooMany: boolean
}

/**
 * Reads the photo slots of a posted form: each file with its description, and what is wrong with
 * either, from the file's header only (nothing is decoded yet). `room` is how many slots the form offered.
 */
export async function readPhotos(request: FastifyRequest, room: number): Promise<PhotosRead> {
  const body = (request.body ?? {}) as Record<string, unknown>
  const uploads = request.uploads ?? []
  const offered = SLOTS.slice(0, room)
  const slots: PhotoSlot[] = []
  for (const n of offered) {
    const typed = body[`photoAlt${n}`]
    const alt = typeof typed === 'string' ? typed : ''
    const upload = uploads.find((u) => u.field === `photo${n}`)
    if (!upload) {
      // A description without its photo (often one the browser forgot when the form came back refused).
      slots.push({ n, alt, ...(alt.trim() !== '' && { error: 'photoMissing' as const }) })
      continue
    }
    if ('tooLarge' in upload) {
      slots.push({ n, alt, error: 'tooLarge' })
      continue
    }
    const refused = await inspectImage(upload.bytes)
    const described = checkAlt(alt)
    slots.push({ n, alt, bytes: upload.bytes, error: refused ?? ('error' in described ? described.error : undefined) })
  }
  const tooMany = uploads.some((u) => !offered.some((n) => u.field === `photo${n}`))
  return { slots, tooMany }
}

export const photoErrors = (read: PhotosRead) => read.tooMany || read.slots.some((s) => s.error)

/**
 * Re-encodes the photos of a form that is otherwise right. A file whose header passed can still
 * fail to decode: then its slot says so and nothing is returned.
 */
export async function encodePhotos(read: PhotosRead): Promise<NewPhoto[] | null> {
  const photos: NewPhoto[] = []
  for (const slot of read.slots) {
    if (!slot.bytes) continue
    const encoded = await encodeImage(slot.bytes)
    if ('refused' in encoded) {
      slot.error = encoded.refused
      return null
    }
    photos.push({ alt: slot.alt.trim(), encoded })
  }
  return photos
}

/** The photo slots of a form as its partial shows them; `lost` marks photos a refusal made the browser forget. */
export function photoSlotsView(read: PhotosRead | undefined, room: number, lost: boolean) {
  return SLOTS.slice(0, room).map((n) => {
    const slot = read?.slots.find((s) => s.n === n)
    const error = slot?.error ?? (n === 1 && read?.tooMany ? 'tooMany' : undefined)
    return {
      n,
      alt: slot?.alt ?? '',
      altMax: ALT_MAX,
      error: error && `photos.error.${error}`,
      // The file was fine but the form was not: the browser does not keep a chosen file.
      chooseAgain: lost && slot?.bytes !== undefined && !error,
    }
  })
}

/** The error summary's links for the photo slots. */
export function photoSummary(slots: ReturnType<typeof photoSlotsView>) {
  return slots
    .filter((s) => s.error)
    .map((s) => ({ href: `photo${s.n}`, label: 'photos.slot', message: s.error!, vars: { n: s.n, max: ALT_MAX } }))
}
