import { Secret, TOTP } from 'otpauth'

export const TOTP_PERIOD_SECONDS = 30
/** One step either side: a phone clock up to 30 seconds off still works. */
const WINDOW = 1

export function timeStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS)
}

export type CodeCheck = { ok: true; step: number } | { ok: false; reason: 'format' | 'wrong' | 'replayed' }

function totp(secretBase32: string, label = '', issuer = 'Wijkbudget'): TOTP {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
  })
}

/** Spaces and dashes that people type or paste are ignored; anything else but six digits is not a code. */
export function normaliseCode(input: string): string {
  return input.replace(/[\s-]/g, '')
}

/**
 * Checks a six-digit code at `nowMs`. A code is accepted once: a step at or before the last
 * accepted one (`lastStep`) is a replay, even inside its window.
 */
export function checkCode(secretBase32: string, input: string, nowMs: number, lastStep: number | null): CodeCheck {
  const token = normaliseCode(input)
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'format' }
  const delta = totp(secretBase32).validate({ token, timestamp: nowMs, window: WINDOW })
  if (delta === null) return { ok: false, reason: 'wrong' }
  const step = timeStep(nowMs) + delta
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: 'replayed' }
  return { ok: true, step }
}

/** The code an authenticator app shows at `nowMs` (tests and the demo use it). */
export function codeAt(secretBase32: string, nowMs: number): string {
  return totp(secretBase32).generate({ timestamp: nowMs })
}

/** A new secret from 20 random bytes (160 bits, as RFC 4226 recommends), in base32. */
export function secretFromBytes(bytes: Uint8Array): string {
  return new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32
}

/** The secret for typing by hand: groups of four, as authenticator apps show them. */
export function groupsOfFour(secretBase32: string): string {
  return secretBase32.match(/.{1,4}/g)?.join(' ') ?? ''
}

/** The otpauth:// address that the QR code carries. */
export function otpauthUri(secretBase32: string, accountName: string, issuer: string): string {
  return totp(secretBase32, accountName, issuer).toString()
}
