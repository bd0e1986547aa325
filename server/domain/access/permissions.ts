import { PHASES, type Phase } from '../rounds/phases.js'

export const ROLES = ['admin', 'moderator', 'coach', 'council'] as const
export type Role = (typeof ROLES)[number]

/** What a resident holds that makes something theirs: today the secret status link of a proposal they sent in. */
export interface Holding {
  statusLinkOf: number
}

/**
 * Who is asking: a signed-in official with a role, a resident (an anonymous visitor holds nothing),
 * or the platform itself keeping a round's planned dates. Officials reading public pages ask as
 * residents: they see what every resident sees.
 */
export type Actor =
  { kind: 'official'; id: number; role: Role } | { kind: 'resident'; holds?: Holding } | { kind: 'system' }

export const RESIDENT: Actor = { kind: 'resident' }
export const SYSTEM: Actor = { kind: 'system' }

export function official(role: Role, id = 0): Actor {
  return { kind: 'official', id, role }
}

/** What an action is done to, where ownership matters. */
export interface Subject {
  proposalId?: number
  /**
   * What would be translated is not for the public (a rejected or merged proposal, a rejected
   * comment): an action the table marks `publicSubjectsOnly` is refused for it.
   */
  notPublic?: boolean
}

/** Who a rule names: a role, any resident, or the resident holding the subject proposal's status link. */
type Party = Role | 'resident' | 'submitter' | 'system'

const ANY_PHASE = PHASES
const BEFORE_PUBLISHED: readonly Phase[] = ['draft', 'proposing', 'reviewing', 'voting', 'closed']
// A draft is the admins' own until it opens for proposals: residents cannot even see that it exists.
const PUBLIC_PHASES: readonly Phase[] = ['proposing', 'reviewing', 'voting', 'closed', 'published']
const STAFF: readonly Party[] = ['admin', 'moderator']
const OFFICIALS: readonly Party[] = ROLES
const EVERYONE: readonly Party[] = [...ROLES, 'resident']

/** Who may do what, in which phase: the one permission table. */
const TABLE = {
  'dashboard.view': { parties: OFFICIALS, phases: ANY_PHASE },
  'audit.view': { parties: OFFICIALS, phases: ANY_PHASE },
  'account.own': { parties: OFFICIALS, phases: ANY_PHASE },
  'security.view': { parties: ['admin'], phases: ANY_PHASE },
  'round.view': { parties: EVERYONE, phases: ANY_PHASE, residents: PUBLIC_PHASES },
  'moderation.view': { parties: OFFICIALS, phases: ANY_PHASE },
  // Submitters' names, e-mail addresses and phone numbers are for those who answer them.
  'contact.view': { parties: STAFF, phases: ANY_PHASE },
  'turnout.view': { parties: OFFICIALS, phases: ANY_PHASE },
  // Groups' populations (the municipality's figures) and the lag threshold, until the result is out.
  'equity.edit': { parties: ['admin'], phases: BEFORE_PUBLISHED },
  // Nobody, officials included, sees a result before it is published; admins preview the count when voting closed.
  'results.view': { parties: EVERYONE, phases: ['published'] },
  'officials.manage': { parties: ['admin'], phases: ANY_PHASE },
  'officials.review': { parties: ['admin'], phases: ANY_PHASE },
  'audit.export': { parties: ['admin'], phases: ANY_PHASE },
  'round.create': { parties: ['admin'], phases: ANY_PHASE },
  'round.edit': { parties: ['admin'], phases: BEFORE_PUBLISHED },
  'helpdesk.edit': { parties: ['admin'], phases: ANY_PHASE },
  'round.advance': { parties: ['admin'], phases: BEFORE_PUBLISHED },
  // Budgets and which proposals they hold are settled before the first ballot: a ballot is checked against them.
  'budgets.edit': { parties: ['admin'], phases: ['draft', 'proposing', 'reviewing'] },
  // Voting closes by itself at the end of its last planned day.
  'voting.close-due': { parties: ['system'], phases: ['voting'] },
  'proposal.submit': { parties: ['resident'], phases: ['proposing'] },
  // The submitter follows their proposal through its secret link in every phase...
  'proposal.follow': { parties: ['submitter'], phases: ANY_PHASE },
  // ...and answers a request for changes while moderators can still take the answer.
  'proposal.resubmit': { parties: ['submitter'], phases: ['proposing', 'reviewing'] },
  'proposal.moderate': { parties: STAFF, phases: ['proposing', 'reviewing'] },
  'codes.view': { parties: ['admin'], phases: ANY_PHASE },
  'codes.manage': { parties: ['admin'], phases: ['draft', 'proposing', 'reviewing', 'voting'] },
  'ballot.cast': { parties: ['resident'], phases: ['voting'] },
  // The paper ballot can be printed for the community centre before voting opens.
  'ballot.print': { parties: ['resident'], phases: ['reviewing', 'voting'] },
  'paper.view': { parties: STAFF, phases: ANY_PHASE },
  'ballot.enter-paper': { parties: STAFF, phases: ['voting'] },
  'results.preview': { parties: ['admin'], phases: ['closed'] },
  'results.publish': { parties: ['admin'], phases: ['closed'] },
  // Language coaches and moderators translate what the public reads of a round once it is public:
  // proposals, decisions' messages, the round's description and help desk hours, progress updates.
  // Only what the public reads: a translation of a rejected or merged proposal would make it public again.
  'proposal.translate': { parties: ['moderator', 'coach'], phases: PUBLIC_PHASES, publicSubjectsOnly: true },
  // Anyone may follow a round or a proposal by e-mail while there is news to come: up to the results, and after
  // them the round and its funded projects (domain/conversation/follows.ts says which).
  'follow.start': { parties: ['resident'], phases: ['proposing', 'reviewing', 'voting', 'closed', 'published'] },
  'progress.post': { parties: STAFF, phases: ['published'] },
  // Coaches help residents at the community centre with their photos; a photo that should not be
  // public (a face, an address) is taken down in every phase anyone can read the proposal in.
  'photo.manage': { parties: ['admin', 'moderator', 'coach'], phases: PUBLIC_PHASES },
  // The conversation on a proposal: residents (the submitter through their link among them) write
  // while minds can still change; officials answer until the result is out; after publishing it is read-only.
  'comment.write': { parties: ['resident'], phases: ['proposing', 'reviewing', 'voting'] },
  'comment.answer': { parties: STAFF, phases: ['proposing', 'reviewing', 'voting', 'closed'] },
  // Waiting and reported comments are decided in every phase anyone can read them in.
  'comment.moderate': { parties: STAFF, phases: PUBLIC_PHASES },
  'comment.report': { parties: ['resident'], phases: PUBLIC_PHASES },
} as const satisfies Record<string, Rule>

interface Rule {
  parties: readonly Party[]
  phases: readonly Phase[]
  /** Where residents' phases differ from officials' (what the public may see of a round). */
  residents?: readonly Phase[]
  /** Refused for a subject the public does not read. */
  publicSubjectsOnly?: boolean
}

export type Action = keyof typeof TABLE
export const ACTIONS = Object.keys(TABLE) as Action[]

function plays(actor: Actor, party: Party, subject: Subject | undefined): boolean {
  if (actor.kind === 'official') return actor.role === party
  if (actor.kind === 'system') return party === 'system'
  if (party === 'resident') return true
  return party === 'submitter' && subject?.proposalId !== undefined && actor.holds?.statusLinkOf === subject.proposalId
}

/** Whether `actor` may do `action` in a round in `phase`, to `subject` where the action is about what someone holds. */
export function can(actor: Actor, action: Action, phase: Phase, subject?: Subject): boolean {
  const rule: Rule = TABLE[action]
  const phases = actor.kind === 'resident' ? (rule.residents ?? rule.phases) : rule.phases
  if (rule.publicSubjectsOnly && subject?.notPublic) return false
  return phases.includes(phase) && rule.parties.some((party) => plays(actor, party, subject))
}

/** For what is not tied to one round's phase (dashboards, accounts). */
export function canAtAll(actor: Actor, action: Action, subject?: Subject): boolean {
  return PHASES.some((phase) => can(actor, action, phase, subject))
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
