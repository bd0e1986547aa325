import { randomBytes } from 'node:crypto'
import { isIP } from 'node:net'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export interface Config {
  readonly host: string
  readonly port: number
  /** A PostgreSQL server; when absent the embedded PGlite in dataDir is used. */
  readonly databaseUrl: string | undefined
  readonly dataDir: string
  readonly sessionSecret: string
  /** Keys the hash of voting codes: without it the database does not reveal a code. Never change it during a round. */
  readonly codeKey: string
  readonly publicUrl: string
  readonly demo: boolean
  /** The proxies whose X-Forwarded-For is believed (addresses and ranges); false for none. */
  readonly trustProxy: false | string[]
  readonly logLevel: string
  /** Bearer token for /metrics; without it there are no metrics. */
  readonly metricsToken: string | undefined
  /** Mail to submitters about answers; off when no SMTP host is set (mail then waits in the outbox). */
  readonly smtp: SmtpConfig | undefined
  /** How often each instance looks in the outbox for mail to send (besides right after a request that added some). */
  readonly mailPollMs: number
  /** Whether officials must use a second factor (TOTP) before they reach anything. */
  readonly officialMfa: 'required' | 'optional'
  /** Minutes without a request after which an official's second factor is asked again. */
  readonly idleMinutes: number
  /** Days after a round's publication that submitters' e-mail and phone are deleted. */
  readonly contactRetentionDays: number
  readonly privacy: PrivacyConfig
  readonly map: MapConfig
}

/** Where the map's pictures and the address search come from; the page's CSP allows exactly these. */
export interface MapConfig {
  /** A Leaflet tile template: https://…/{z}/{x}/{y}.png */
  readonly tilesUrl: string
  readonly attribution: string
  /** Answers `?q=<address>` with PDOK Locatieserver's JSON (response.docs[].weergavenaam, centroide_ll). */
  readonly geocoderUrl: string
}

/** The Dutch government's public base map and address search: no key, no cookies. */
export const DEFAULT_MAP: MapConfig = {
  tilesUrl: 'https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png',
  attribution: 'Kaartgegevens © Kadaster',
  geocoderUrl: 'https://api.pdok.nl/bzk/locatieserver/search/v3_1/free',
}

/** What the privacy statement (privacyverklaring) names; the rest of its text is in the locales. */
export interface PrivacyConfig {
  readonly controller: string
  readonly contactEmail: string
  readonly officerEmail: string
}

export interface SmtpConfig {
  readonly host: string
  readonly port: number
  readonly from: string
  readonly secure: boolean
  readonly user: string | undefined
  readonly password: string | undefined
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase()
  if (value === undefined || value === '') return fallback
  if (['1', 'true', 'on', 'yes'].includes(value)) return true
  if (['0', 'false', 'off', 'no'].includes(value)) return false
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`)
}

function port(env: Env, name: string, fallback: string): number {
  const raw = env[name] ?? fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${name} must be a number from 0 to 65535, got "${raw}"`)
  }
  return value
}

function whole(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${env[name]}"`)
  }
  return value
}

function officialMfa(env: Env, embedded: boolean): 'required' | 'optional' {
  const value = env.OFFICIAL_MFA?.trim().toLowerCase()
  if (value === undefined || value === '') return embedded ? 'optional' : 'required'
  if (value === 'required' || value === 'optional') return value
  throw new ConfigError(`OFFICIAL_MFA must be required or optional, got "${env.OFFICIAL_MFA}"`)
}

/** Demo names: a municipality sets its own before go-live. */
export const DEMO_PRIVACY: PrivacyConfig = {
  controller: 'Gemeente Voorbeeldstad',
  contactEmail: 'privacy@wijkbudget.test',
  officerEmail: 'fg@wijkbudget.test',
}

function privacy(env: Env): PrivacyConfig {
  return {
    controller: env.PRIVACY_CONTROLLER?.trim() || DEMO_PRIVACY.controller,
    contactEmail: env.PRIVACY_CONTACT?.trim() || DEMO_PRIVACY.contactEmail,
    officerEmail: env.PRIVACY_OFFICER?.trim() || DEMO_PRIVACY.officerEmail,
  }
}

function webAddress(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback
  let url: URL
  try {
    url = new URL(raw.replaceAll(/[{}]/g, ''))
  } catch {
    throw new ConfigError(`${name} is not a valid URL, got "${raw}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(`${name} must start with https://, got "${raw}"`)
  return raw
}

function map(env: Env): MapConfig {
  const tilesUrl = webAddress(env, 'MAP_TILES_URL', DEFAULT_MAP.tilesUrl)
  if (!['{z}', '{x}', '{y}'].every((part) => tilesUrl.includes(part)))
    throw new ConfigError(`MAP_TILES_URL must hold {z}, {x} and {y}, got "${tilesUrl}"`)
  return {
    tilesUrl,
    attribution: env.MAP_ATTRIBUTION?.trim() || DEFAULT_MAP.attribution,
    geocoderUrl: webAddress(env, 'GEOCODER_URL', DEFAULT_MAP.geocoderUrl),
  }
}

function smtp(env: Env): SmtpConfig | undefined {
  const host = env.SMTP_HOST?.trim()
  if (!host) return undefined
  const from = env.SMTP_FROM?.trim()
  if (!from || !/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/.test(from)) {
    throw new ConfigError(
      'SMTP_FROM must be the sender address (for example "Wijkbudget <wijkbudget@gemeente.nl>") when SMTP_HOST is set',
    )
  }
  return {
    host,
    port: port(env, 'SMTP_PORT', '587'),
    from,
    secure: flag(env, 'SMTP_SECURE', false),
    user: env.SMTP_USER || undefined,
    password: env.SMTP_PASSWORD || undefined,
  }
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL?.trim()
  if (!raw) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/database)')
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres://, got ${url.protocol}//`)
  }
  return raw
}

// proxy-addr's names for the usual private ranges.
const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal'])

function isProxyAddress(text: string): boolean {
  if (PROXY_KEYWORDS.has(text)) return true
  const [address, bits, ...rest] = text.split('/')
  const version = isIP(address ?? '')
  if (version === 0 || rest.length > 0) return false
  if (bits === undefined) return true
  const max = version === 4 ? 32 : 128
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max
}

/**
 * Trusting any X-Forwarded-For would let every visitor choose their own address, and with it
 * their own rate limits: only the named proxies are believed. (A hop count cannot check who sent
 * the header, so Fastify no longer believes it; the proxies are named instead.)
 */
function trustProxy(env: Env): false | string[] {
  const raw = env.TRUST_PROXY?.trim() ?? ''
  if (['', 'off', 'false', 'no'].includes(raw.toLowerCase())) return false
  const proxies = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
  const wrong = proxies.find((part) => !isProxyAddress(part))
  if (wrong !== undefined || proxies.length === 0) {
    throw new ConfigError(
      `TRUST_PROXY must name the proxies in front of the app: addresses or ranges separated by commas (for example 10.0.0.5,10.1.0.0/16, or loopback); got "${env.TRUST_PROXY}"`,
    )
  }
  return proxies
}

/**
 * With a database server several instances share one secret, so it must be
 * given. Embedded, one instance runs: a secret kept in the data folder
 * survives a restart with zero setup.
 */
function secret(env: Env, name: string, dataDir: string, embedded: boolean): string {
  const given = env[name]
  if (given !== undefined) {
    if (given.length < 32) throw new ConfigError(`${name} must be at least 32 characters long`)
    return given
  }
  if (!embedded)
    throw new ConfigError(`${name} is required with DATABASE_URL (at least 32 characters, the same on every instance)`)
  const file = join(dataDir, name.toLowerCase().replaceAll('_', '-'))
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const value = randomBytes(32).toString('base64url')
  writeFileSync(file, value, { mode: 0o600 })
  return value
}

function metricsToken(env: Env): string | undefined {
  const token = env.METRICS_TOKEN
  if (token === undefined || token === '') return undefined
  if (token.length < 32) throw new ConfigError('METRICS_TOKEN must be at least 32 characters long')
  return token
}

/** The only reader of process.env. */
export function loadConfig(env: Env = process.env): Config {
  const url = databaseUrl(env)
  const dataDir = resolve(env.DATA_DIR ?? '.data')
  const listenPort = port(env, 'PORT', '3000')
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${listenPort}`).replace(/\/+$/, '')
  try {
    new URL(publicUrl)
  } catch {
    throw new ConfigError(`PUBLIC_URL is not a valid URL, got "${env.PUBLIC_URL}"`)
  }
  return Object.freeze({
    host: env.HOST ?? '127.0.0.1',
    port: listenPort,
    databaseUrl: url,
    dataDir,
    sessionSecret: secret(env, 'SESSION_SECRET', dataDir, url === undefined),
    codeKey: secret(env, 'CODE_KEY', dataDir, url === undefined),
    publicUrl,
    demo: flag(env, 'DEMO', url === undefined),
    trustProxy: trustProxy(env),
    logLevel: env.LOG_LEVEL ?? 'info',
    smtp: smtp(env),
    mailPollMs: whole(env, 'MAIL_POLL_MS', 5000, 100, 60 * 60 * 1000),
    officialMfa: officialMfa(env, url === undefined),
    idleMinutes: whole(env, 'OFFICIAL_IDLE_MINUTES', 30, 1, 24 * 60),
    contactRetentionDays: whole(env, 'CONTACT_RETENTION_DAYS', 90, 0, 3650),
    privacy: privacy(env),
    map: map(env),
    metricsToken: metricsToken(env),
  })
}
