import { PHASES, type Phase } from './phases.js'

export const ROLES = ['admin', 'moderator', 'council'] as const
export type Role = (typeof ROLES)[number]
export type Actor = Role | 'resident'

const ANY_PHASE = PHASES
const STAFF: readonly Actor[] = ['admin', 'moderator']
const OFFICIALS: readonly Actor[] = ROLES

/** Who may do what, in which phase: the one permission table. */
const TABLE = {
  'dashboard.view': { actors: OFFICIALS, phases: ANY_PHASE },
  'audit.view': { actors: OFFICIALS, phases: ANY_PHASE },
  'account.own': { actors: OFFICIALS, phases: ANY_PHASE },
  'security.view': { actors: ['admin'], phases: ANY_PHASE },
  'officials.manage': { actors: ['admin'], phases: ANY_PHASE },
  'officials.review': { actors: ['admin'], phases: ANY_PHASE },
  'audit.export': { actors: ['admin'], phases: ANY_PHASE },
  'round.create': { actors: ['admin'], phases: ANY_PHASE },
  'round.edit': { actors: ['admin'], phases: ['draft', 'proposing', 'reviewing', 'voting', 'closed'] },
  'round.advance': { actors: ['admin'], phases: ['draft', 'proposing', 'reviewing', 'voting', 'closed'] },
  'proposal.submit': { actors: ['resident'], phases: ['proposing'] },
  'proposal.moderate': { actors: STAFF, phases: ['proposing', 'reviewing'] },
  'codes.manage': { actors: ['admin'], phases: ['draft', 'proposing', 'reviewing', 'voting'] },
  'ballot.cast': { actors: ['resident'], phases: ['voting'] },
  'ballot.enter-paper': { actors: STAFF, phases: ['voting'] },
  'results.preview': { actors: ['admin'], phases: ['closed'] },
  'results.publish': { actors: ['admin'], phases: ['closed'] },
  'progress.post': { actors: STAFF, phases: ['published'] },
} as const satisfies Record<string, { actors: readonly Actor[]; phases: readonly Phase[] }>

export type Action = keyof typeof TABLE
export const ACTIONS = Object.keys(TABLE) as Action[]

export function can(actor: Actor, action: Action, phase: Phase): boolean {
  const rule: { actors: readonly Actor[]; phases: readonly Phase[] } = TABLE[action]
  return rule.actors.includes(actor) && rule.phases.includes(phase)
}

/** For routes that are not tied to one round's phase (dashboards, accounts). */
export function canAtAll(actor: Actor, action: Action): boolean {
  return PHASES.some((phase) => can(actor, action, phase))
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}
