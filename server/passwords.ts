import { createHash, randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import * as en from '@zxcvbn-ts/language-en'
import * as nl from '@zxcvbn-ts/language-nl-be'
import { passwordProblem, type PasswordProblem } from './domain/access/password-policy.js'

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

/** The estimator's own keys as its "translations": it then reports which warning, and we say it in the official's language. */
const warningKeys = Object.fromEntries(
  Object.keys(en.translations.warnings).map((key) => [key, key]),
) as typeof en.translations.warnings

// zxcvbn-ts with its common, English and Dutch dictionaries, made once (the dictionaries take a moment to load).
const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary, ...nl.dictionary },
  graphs: common.adjacencyGraphs,
  translations: { ...en.translations, warnings: warningKeys },
})

/** The platform's name and the words of the municipality's (the privacy controller, "Gemeente Voorbeeldstad"). */
export function siteNames(privacy: { controller: string }): string[] {
  return ['Wijkbudget', privacy.controller, ...privacy.controller.split(/\s+/).filter((word) => word.length >= 4)]
}

/**
 * The password check for this site: the platform's and the municipality's names, and the
 * official's e-mail address, count as easy to guess.
 */
export function passwordChecker(siteNames: readonly string[]) {
  return (password: string, email: string): PasswordProblem | null => {
    const inputs = [...siteNames, email, email.split('@')[0] ?? '']
    return passwordProblem(
      password,
      (candidate) => {
        const result = estimator.check(candidate, inputs)
        return { score: result.score, warning: result.feedback.warning }
      },
      email,
    )
  }
}

/** For random one-time secrets (invitation links, recovery codes): 80+ random bits need no slow hash. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** A printed temporary password: 16 characters without look-alikes, replaced at first login. */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('')
}
