import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import argon2 from 'argon2'
import { fromRoot } from './paths.js'

// OWASP's argon2id baseline (19 MiB, 2 passes): about 40 ms here, so login stays cheap to serve and costly to guess.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS)
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password)
  } catch {
    return false
  }
}

let dummy: Promise<string> | undefined
/** Checked against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('no account has this password')
  return dummy
}

/**
 * The 10,000 most common passwords (Mark Burnett's list, 2011, as bundled by the npm package
 * common-password 0.1.2, ISC licence): a new password on it is refused.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  readFileSync(fromRoot('server/common-passwords.txt'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((p) => p.toLowerCase()),
)

/** For random one-time secrets (invitation links, recovery codes): 80+ random bits need no slow hash. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** A printed temporary password: 16 characters without look-alikes, replaced at first login. */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('')
}
