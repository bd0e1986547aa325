import { crc32, deflateSync } from 'node:zlib'
import { asc } from 'drizzle-orm'
import sharp from 'sharp'
import type { Db } from '../../db/client.js'
import { photos, photoVariants } from '../../db/schema.js'

/** A camera's JPEG: 2000 × 1500, with the make and a GPS location in its EXIF. */
export function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#6a8f4e' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Phone 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 54/1 3000/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '4/1 26/1 0/1',
      },
    })
    .toBuffer()
}

/** A phone held upright: 400 × 200 pixels stored sideways, EXIF orientation 6 says "turn a quarter". */
export function sidewaysJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 200, channels: 3, background: '#335577' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer()
}

export function smallPng(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 200, g: 80, b: 40, alpha: 0.5 } } })
    .png()
    .toBuffer()
}

/** Whether EXIF bytes hold a GPS IFD pointer (tag 0x8825, either byte order). */
export const hasGpsPointer = (exif: Buffer) =>
  exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]))

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/**
 * A PNG whose header says 20,000 × 20,000 (400 megapixels, 1.2 GB decoded) in a few hundred bytes:
 * the shape of a decompression bomb, built without ever holding its pixels.
 */
export function bombPng(side = 20_000): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(side, 0)
  header.writeUInt32BE(side, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.alloc(1 + side * 3)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(row)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

export const listPhotos = (db: Db) => db.select().from(photos).orderBy(asc(photos.id))
export const listVariants = (db: Db) =>
  db.select({ photoId: photoVariants.photoId, width: photoVariants.width }).from(photoVariants)

/**
 * Something as hard to compress as a photo of a street: noise softened to detail at a few pixels'
 * scale. A flat colour would make every size look free.
 */
export function texturedJpeg(width = 2000, height = 1500): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
  })
    .blur(1.2)
    .jpeg({ quality: 90 })
    .toBuffer()
}
