import argon2 from 'argon2'

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
