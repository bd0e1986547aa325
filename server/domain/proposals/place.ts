/** A point on the map in WGS84 degrees, as the map's tiles and Pabulib's latitude/longitude columns have it. */
export interface Point {
  latitude: number
  longitude: number
}

/**
 * The Netherlands with its coast and borders, roughly (Caribbean Netherlands left out): a resident's
 * point outside it is a slip (latitude and longitude swapped, a search that found a namesake abroad).
 */
export const NETHERLANDS = { south: 50.7, north: 53.7, west: 3.2, east: 7.3 } as const

/** Metres enough for a bench or a doorway: six decimals, about 10 cm. */
const DECIMALS = 6

export type PointError = 'pointHalf' | 'pointInvalid' | 'pointOutside'

/** A coordinate as a person or the map wrote it: a dot or a comma before the decimals. */
function readDegrees(typed: string): number | 'empty' | 'invalid' {
  const text = typed.trim().replace(',', '.')
  if (text === '') return 'empty'
  if (!/^-?\d{1,3}(\.\d{1,15})?$/.test(text)) return 'invalid'
  return Number(text)
}

const rounded = (degrees: number) => Number(degrees.toFixed(DECIMALS))

/** Any place on earth: what an imported election (Warsaw, say) may carry. */
export function isWgs84(latitude: number, longitude: number): boolean {
  return (
    Number.isFinite(latitude) && Number.isFinite(longitude) && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180
  )
}

export function inNetherlands({ latitude, longitude }: Point): boolean {
  const box = NETHERLANDS
  return latitude >= box.south && latitude <= box.north && longitude >= box.west && longitude <= box.east
}

/**
 * A proposal's point from the form: both coordinates or neither (the location text is enough), and
 * in the Netherlands, where the platform's rounds are held.
 */
export function readPoint(lat: string, lng: string): { point: Point | null } | { error: PointError } {
  const latitude = readDegrees(lat)
  const longitude = readDegrees(lng)
  if (latitude === 'empty' && longitude === 'empty') return { point: null }
  if (latitude === 'empty' || longitude === 'empty') return { error: 'pointHalf' }
  if (latitude === 'invalid' || longitude === 'invalid' || !isWgs84(latitude, longitude))
    return { error: 'pointInvalid' }
  const point = { latitude: rounded(latitude), longitude: rounded(longitude) }
  return inNetherlands(point) ? { point } : { error: 'pointOutside' }
}

/** A point from an imported file's columns: any valid WGS84 pair, else none (a file's stray text is not a place). */
export function importedPoint(lat: string | undefined, lng: string | undefined): Point | null {
  const latitude = readDegrees(lat ?? '')
  const longitude = readDegrees(lng ?? '')
  if (typeof latitude !== 'number' || typeof longitude !== 'number' || !isWgs84(latitude, longitude)) return null
  return { latitude: rounded(latitude), longitude: rounded(longitude) }
}

/** The point as text for a map's data attributes and the open data: a dot, at most six decimals. */
export function degreesText(degrees: number): string {
  return String(rounded(degrees))
}
