import { PHASES, type Phase } from '../rounds/phases.js'

export const ROLES = ['admin', 'moderator', 'coach', 'council'] as const
export type Role = (typeof ROLES)[number]
export type Actor = Role | 'resident'

const ANY_PHASE = PHASES
const BEFORE_PUBLISHED: readonly Phase[] = ['draft', 'proposing', 'reviewing', 'voting', 'closed']
// A draft is the admins' own until it opens for proposals: residents cannot even see that it exists.
const PUBLIC_PHASES: readonly Phase[] = ['proposing', 'reviewing', 'voting', 'closed', 'published']
const STAFF: readonly Actor[] = ['admin', 'moderator']
const OFFICIALS: readonly Actor[] = ROLES
const EVERYONE: readonly Actor[] = [...ROLES, 'resident']

/** Who may do what, in which phase: the one permission table. */
const TABLE = {
  'dashboard.view': { actors: OFFICIALS, phases: ANY_PHASE },
  'audit.view': { actors: OFFICIALS, phases: ANY_PHASE },
  'account.own': { actors: OFFICIALS, phases: ANY_PHASE },
  'security.view': { actors: ['admin'], phases: ANY_PHASE },
  'round.view': { actors: EVERYONE, phases: ANY_PHASE, residents: PUBLIC_PHASES },
  'moderation.view': { actors: OFFICIALS, phases: ANY_PHASE },
  // Submitters' names, e-mail addresses and phone numbers are for those who answer them.
  'contact.view': { actors: STAFF, phases: ANY_PHASE },
  'turnout.view': { actors: OFFICIALS, phases: ANY_PHASE },
  // Nobody, officials included, sees a result before it is published; admins preview the count when voting closed.
  'results.view': { actors: EVERYONE, phases: ['published'] },
  'officials.manage': { actors: ['admin'], phases: ANY_PHASE },
  'officials.review': { actors: ['admin'], phases: ANY_PHASE },
  'audit.export': { actors: ['admin'], phases: ANY_PHASE },
  'round.create': { actors: ['admin'], phases: ANY_PHASE },
  'round.edit': { actors: ['admin'], phases: BEFORE_PUBLISHED },
  'helpdesk.edit': { actors: ['admin'], phases: ANY_PHASE },
  'round.advance': { actors: ['admin'], phases: BEFORE_PUBLISHED },
  'proposal.submit': { actors: ['resident'], phases: ['proposing'] },
  'proposal.moderate': { actors: STAFF, phases: ['proposing', 'reviewing'] },
  'codes.manage': { actors: ['admin'], phases: ['draft', 'proposing', 'reviewing', 'voting'] },
  'ballot.cast': { actors: ['resident'], phases: ['voting'] },
  // The paper ballot can be printed for the community centre before voting opens.
  'ballot.print': { actors: ['resident'], phases: ['reviewing', 'voting'] },
  'ballot.enter-paper': { actors: STAFF, phases: ['voting'] },
  'results.preview': { actors: ['admin'], phases: ['closed'] },
  'results.publish': { actors: ['admin'], phases: ['closed'] },
  // Language coaches and moderators translate proposals' titles and summaries once they are public.
  'proposal.translate': { actors: ['moderator', 'coach'], phases: PUBLIC_PHASES },
  'progress.post': { actors: STAFF, phases: ['published'] },
} as const satisfies Record<string, Rule>

interface Rule {
  actors: readonly Actor[]
  phases: readonly Phase[]
  /** Where residents' phases differ from officials' (what the public may see of a round). */
  residents?: readonly Phase[]
}

export type Action = keyof typeof TABLE
export const ACTIONS = Object.keys(TABLE) as Action[]

export function can(actor: Actor, action: Action, phase: Phase): boolean {
  const rule: Rule = TABLE[action]
  const phases = actor === 'resident' ? (rule.residents ?? rule.phases) : rule.phases
  return rule.actors.includes(actor) && phases.includes(phase)
}

/** For routes that are not tied to one round's phase (dashboards, accounts). */
export function canAtAll(actor: Actor, action: Action): boolean {
  return PHASES.some((phase) => can(actor, action, phase))
}

/** Reading, not acting: refused, a page to read does not exist for whoever asks. */
export function isView(action: Action): boolean {
  return action.endsWith('.view')
}

/** The phases in which `actor` may do `action`: what a query selects by, so the table is not restated in SQL. */
export function phasesWhere(actor: Actor, action: Action): Phase[] {
  return PHASES.filter((phase) => can(actor, action, phase))
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}
