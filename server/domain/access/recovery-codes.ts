export const RECOVERY_CODE_COUNT = 10
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/**
 * One code from 16 random bytes: 16 characters from a 31-letter alphabet without look-alikes
 * (about 79 bits), in groups of four. The slight modulo bias costs well under a bit.
 */
export function recoveryCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new Error('a recovery code needs 16 random bytes')
  const chars = Array.from(bytes.subarray(0, 16), (b) => ALPHABET[b % ALPHABET.length])
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-')
}

/** What a person typed, in the form the code was issued in (case, spaces and dashes ignored). */
export function normaliseRecoveryCode(input: string): string | null {
  const bare = input.toLowerCase().replace(/[\s-]/g, '')
  if (bare.length !== 16 || [...bare].some((c) => !ALPHABET.includes(c))) return null
  return [0, 4, 8, 12].map((i) => bare.slice(i, i + 4)).join('-')
}
