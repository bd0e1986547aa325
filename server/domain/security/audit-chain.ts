import { createHash } from 'node:crypto'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditFields {
  at: Date
  officialId: number | null
  actor: string
  action: string
  object: string
  details: Record<string, unknown>
}

export interface ChainedEntry extends AuditFields {
  id: number
  prevHash: string
  hash: string
}

/** jsonb reorders keys, so the hash is taken over a canonical form. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

export function entryHash(prevHash: string, entry: AuditFields): string {
  const body = canonicalJson([
    entry.at.toISOString(),
    entry.officialId,
    entry.actor,
    entry.action,
    entry.object,
    entry.details,
  ])
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex')
}

export type ChainVerdict = { ok: true; count: number } | { ok: false; count: number; brokenAt: number }

/** Entries in id order; any edit, deletion or reordering breaks a link. */
export function verifyChain(entries: readonly ChainedEntry[]): ChainVerdict {
  let prev = GENESIS_HASH
  for (const entry of entries) {
    if (entry.prevHash !== prev || entryHash(prev, entry) !== entry.hash) {
      return { ok: false, count: entries.length, brokenAt: entry.id }
    }
    prev = entry.hash
  }
  return { ok: true, count: entries.length }
}
