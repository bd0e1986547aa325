import { sql } from 'drizzle-orm'
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'

import { BALLOT_FORMATS } from '../server/domain/voting/ballot.js'
import { PROPOSAL_EVENT_KINDS, PROPOSAL_STATUSES } from '../server/domain/proposals/moderation.js'
import { ROLES } from '../server/domain/access/permissions.js'
import { PHASES, type Phase } from '../server/domain/rounds/phases.js'
import { PROGRESS_STATUSES } from '../server/domain/results/progress.js'
import { TRACKS } from '../server/domain/proposals/rules.js'
import { TALLY_RULES } from '../server/domain/tally/tally.js'
import { DISTRICT_RULES } from '../server/domain/rounds/budgets.js'
import { CHANNELS } from '../server/domain/voting/turnout.js'
import { TEXT_KINDS } from '../server/domain/translations/texts.js'
import {
  COMMENT_AUTHORS,
  COMMENT_KINDS,
  COMMENT_STATUSES,
  REJECT_REASONS,
} from '../server/domain/conversation/comments.js'

// The database's enums are the domain's constants: a new value is added there, and drizzle-kit writes the migration.
export const roleEnum = pgEnum('role', ROLES)
export const phaseEnum = pgEnum('phase', PHASES)
export const ballotFormatEnum = pgEnum('ballot_format', BALLOT_FORMATS)
export const tallyRuleEnum = pgEnum('tally_rule', TALLY_RULES)
export const trackEnum = pgEnum('track', TRACKS)
export const districtRuleEnum = pgEnum('district_rule', DISTRICT_RULES)
export const proposalStatusEnum = pgEnum('proposal_status', PROPOSAL_STATUSES)

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

export const officials = pgTable(
  'officials',
  {
    id: serial('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: roleEnum('role').notNull(),
    /** Null until an invited official sets a password through their invitation link. */
    passwordHash: text('password_hash'),
    /** Set for a printed temporary password: nothing but the password change until it is replaced. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    /** Wrong passwords or codes in a row; the wait before the next attempt grows with them (domain/access/throttle.ts). */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    /** No attempt before this time, except from a browser the official completed a sign-in on (a wait, not a lock). */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    active: boolean('active').notNull().default(true),
    /** The TOTP secret, AES-256-GCM encrypted with a key derived from SESSION_SECRET (server/secret-box.ts). */
    totpSecret: text('totp_secret'),
    /** Set once the first code confirmed the enrolment; the second factor is on from then. */
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    /** The last accepted 30-second step: a code of that step or earlier is refused (no replay). */
    totpLastStep: integer('totp_last_step'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    /**
     * Set when the official's sessions are ended (a password change, "end other sessions", a second-factor reset,
     * a deactivation): a session started before it is worth nothing, even if a request in flight wrote it back.
     */
    sessionsValidAfter: timestamp('sessions_valid_after', { withTimezone: true }),
    invitedBy: integer('invited_by').references((): AnyPgColumn => officials.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('officials_email_key').on(sql`lower(${t.email})`)],
)

/** One-time codes for a lost authenticator: only their SHA-256 is kept (80 random bits each). */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: serial('id').primaryKey(),
    officialId: integer('official_id')
      .notNull()
      .references(() => officials.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('recovery_codes_official_idx').on(t.officialId)],
)

/** A one-time link to set a first password; only its SHA-256 is kept. */
export const invitations = pgTable('invitations', {
  id: serial('id').primaryKey(),
  officialId: integer('official_id')
    .notNull()
    .references(() => officials.id),
  tokenHash: text('token_hash').notNull().unique(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdBy: integer('created_by').references(() => officials.id),
  createdAt: createdAt(),
})

// Officials' sessions only: residents never need one, so a visit costs no write.
export const sessions = pgTable(
  'sessions',
  {
    sid: text('sid').primaryKey(),
    data: jsonb('data').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Copied from the data on every save, so an official's sessions can be listed and ended at once. */
    officialId: integer('official_id'),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  },
  (t) => [index('sessions_expires_at_idx').on(t.expiresAt), index('sessions_official_idx').on(t.officialId)],
)

// Fixed-window counters shared by every app instance (login and code entry limits).
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
})

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  officialId: integer('official_id').references(() => officials.id),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  object: text('object').notNull(),
  details: jsonb('details').$type<Record<string, unknown>>().notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
})

export const rounds = pgTable('rounds', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  neighbourhood: text('neighbourhood').notNull(),
  description: text('description').notNull().default(''),
  budgetCents: bigint('budget_cents', { mode: 'number' }).notNull(),
  phase: phaseEnum('phase').notNull().default('draft'),
  ballotFormat: ballotFormatEnum('ballot_format').notNull().default('knapsack'),
  maxChoices: integer('max_choices'),
  /** Points ballots: the points each voter spreads, and the most one project may get. */
  pointsPerVoter: integer('points_per_voter'),
  maxPointsPerProject: integer('max_points_per_project'),
  minSpendPercent: integer('min_spend_percent').notNull().default(0),
  tallyRule: tallyRuleEnum('tally_rule').notNull().default('greedy'),
  /** Which budgets a code bound to a district votes in (server/domain/rounds/budgets.ts). */
  districtRule: districtRuleEnum('district_rule').notNull().default('own-and-citywide'),
  proposingFrom: date('proposing_from'),
  reviewingFrom: date('reviewing_from'),
  votingFrom: date('voting_from'),
  votingUntil: date('voting_until'),
  publishOn: date('publish_on'),
  /** Wrong voting codes typed for this round: officials watch it for guessing. */
  failedCodeAttempts: integer('failed_code_attempts').notNull().default(0),
  /**
   * Moves whenever anything a public page shows of the round changes (settings, phase, help desk,
   * proposals, their decisions and translations, progress updates), in the same transaction: the
   * one key of the pages kept for every visitor.
   */
  contentVersion: integer('content_version').notNull().default(0),
  /**
   * When the round entered each phase it has been in (phase → ISO instant): what the public
   * timeline shows beside the planned dates. Written by the move itself (data/rounds.ts moveRound).
   */
  phaseStartedAt: jsonb('phase_started_at').$type<Partial<Record<Phase, string>>>().notNull().default({}),
  /** The round's help desk (server/domain/help-desk.ts), loaded with the round wherever a resident can get stuck. */
  helpDesk: jsonb('help_desk').$type<Record<string, unknown>>(),
  createdAt: createdAt(),
})

export const proposals = pgTable(
  'proposals',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    reference: text('reference').notNull().unique(),
    statusToken: text('status_token').notNull().unique(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    description: text('description').notNull(),
    costCents: bigint('cost_cents', { mode: 'number' }).notNull(),
    correctedCostCents: bigint('corrected_cost_cents', { mode: 'number' }),
    costJustification: text('cost_justification'),
    track: trackEnum('track').notNull(),
    themes: text('themes').array().notNull(),
    location: text('location').notNull().default(''),
    /** Its point on the map (WGS84 degrees), both or neither (server/domain/proposals/place.ts); the location text stays the place in words. */
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    kwhPerYear: integer('kwh_per_year'),
    co2KgPerYear: integer('co2_kg_per_year'),
    households: integer('households'),
    organisation: text('organisation'),
    contactName: text('contact_name').notNull(),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    contactConsent: boolean('contact_consent').notNull().default(false),
    status: proposalStatusEnum('status').notNull().default('submitted'),
    duplicateOfId: integer('duplicate_of_id'),
    /** The language the submitter wrote in: messages to them go out in it. */
    lang: text('lang').notNull().default('nl'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set while the proposal waits for an official's answer (at submission and resubmission); null once answered. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    firstAnsweredAt: timestamp('first_answered_at', { withTimezone: true }),
    /** The budget of its round it is counted in; null: the round's first (or only) budget. */
    budgetId: integer('budget_id').references((): AnyPgColumn => budgets.id),
  },
  (t) => [
    index('proposals_round_status_idx').on(t.roundId, t.status),
    index('proposals_waiting_idx').on(t.waitingSince),
  ],
)

/**
 * A round's own budgets, when its money is split (per district, heading or track): each counted
 * on its own. A round without rows here has one budget, its budget_cents; with rows, budget_cents
 * is their sum.
 */
export const budgets = pgTable(
  'budgets',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    name: text('name').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    /** The district whose codes vote in it; null: every code (citywide). */
    district: text('district'),
    /** The budget that receives what this one leaves unspent; null keeps it. */
    leftoverTo: integer('leftover_to').references((): AnyPgColumn => budgets.id),
    position: integer('position').notNull(),
  },
  (t) => [index('budgets_round_idx').on(t.roundId, t.position)],
)

/** A proposal's title, summary and description in another language, by a language coach or moderator; the original stays. */
export const proposalTranslations = pgTable(
  'proposal_translations',
  {
    id: serial('id').primaryKey(),
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id),
    lang: text('lang').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    /** Null for translations made before descriptions were translated: the description then shows in the original. */
    description: text('description'),
    /**
     * The fingerprint of the original as it was translated (domain/translations/texts.ts sourceHash):
     * when the submitter changes their text, the translation shows as out of date. Null when unknown.
     */
    sourceHash: text('source_hash'),
    officialId: integer('official_id').references(() => officials.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('proposal_translations_proposal_lang_key').on(t.proposalId, t.lang)],
)

/**
 * An official's words in another language, by a language coach or moderator: a decision's message
 * (`decision`, subject = the proposal event), the round's description and the help desk's hours
 * (`description`, `hours`, subject = the round), a progress update (`progress`). The original stays.
 */
export const textKindEnum = pgEnum('text_kind', TEXT_KINDS)

export const textTranslations = pgTable(
  'text_translations',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    kind: textKindEnum('kind').notNull(),
    subjectId: integer('subject_id').notNull(),
    lang: text('lang').notNull(),
    text: text('text').notNull(),
    /** The fingerprint of the original as it was translated: a changed original shows its translation as out of date. */
    sourceHash: text('source_hash').notNull(),
    officialId: integer('official_id').references(() => officials.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('text_translations_subject_lang_key').on(t.kind, t.subjectId, t.lang),
    index('text_translations_round_idx').on(t.roundId, t.lang),
  ],
)

export const proposalEventKindEnum = pgEnum('proposal_event_kind', PROPOSAL_EVENT_KINDS)

/** A proposal's history: every decision with its public reason, shown on the proposal's page. */
export const proposalEvents = pgTable(
  'proposal_events',
  {
    id: serial('id').primaryKey(),
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    kind: proposalEventKindEnum('kind').notNull(),
    officialId: integer('official_id').references(() => officials.id),
    /** The reason, justification or request, in the official's words. */
    message: text('message'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('proposal_events_proposal_idx').on(t.proposalId, t.at)],
)

export const channelEnum = pgEnum('ballot_channel', CHANNELS)

/** One generation of voting codes, for the letters of one mail-merge. */
export const codeBatches = pgTable('code_batches', {
  id: serial('id').primaryKey(),
  roundId: integer('round_id')
    .notNull()
    .references(() => rounds.id),
  groupLabel: text('group_label'),
  /** The district its codes are bound to (see rounds.district_rule); null: codes that vote in every budget. */
  district: text('district'),
  count: integer('count').notNull(),
  createdAt: createdAt(),
  createdBy: integer('created_by').references(() => officials.id),
})

/** Only a keyed hash of each code is kept; the group is a non-personal area such as a postcode. */
export const votingCodes = pgTable(
  'voting_codes',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    batchId: integer('batch_id')
      .notNull()
      .references(() => codeBatches.id),
    codeHash: text('code_hash').notNull().unique(),
    groupLabel: text('group_label'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('voting_codes_round_idx').on(t.roundId)],
)

/** One code, at most one ballot: the unique code_id makes a changed ballot replace the old one. */
export const ballots = pgTable(
  'ballots',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    codeId: integer('code_id')
      .notNull()
      .unique()
      .references(() => votingCodes.id),
    channel: channelEnum('channel').notNull(),
    projectIds: integer('project_ids').array().notNull(),
    /** Points ballots: the points given to project_ids[k] are points[k]; null for the other formats. */
    points: integer('points').array(),
    receipt: text('receipt').notNull().unique(),
    /**
     * When the ballot was last cast or changed, for its receipt while voting is open. Emptied when
     * voting closes (and the round's ballots are rewritten in random order): afterwards no ballot
     * can be tied by its time to a code entry, a paper ballot's audit entry or a language count.
     */
    updatedAt: timestamp('updated_at', { withTimezone: true }),
  },
  (t) => [index('ballots_round_idx').on(t.roundId)],
)

/**
 * Online ballots per language of the voting page, counting a code's first ballot. Apart from the
 * ballots on purpose, and written only in steps of many ballots (plugins/language-counts.ts), so
 * neither a row nor its transaction id or time can point at one ballot's language.
 */
export const languageTurnout = pgTable(
  'language_turnout',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    lang: text('lang').notNull(),
    ballots: integer('ballots').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.lang] })],
)

/** The official result, frozen at publication: what the results page, open data and the council read. */
export const results = pgTable('results', {
  roundId: integer('round_id')
    .primaryKey()
    .references(() => rounds.id),
  rule: tallyRuleEnum('rule').notNull(),
  /** The tally as computed: selected projects, per-project reasons and ties, read back through server/data/result-outcome.ts. */
  outcome: jsonb('outcome').$type<unknown>().notNull(),
  /** The shape `outcome` was stored in; results published before versions existed are version 1. */
  outcomeVersion: integer('outcome_version').notNull().default(1),
  /** The anonymised ballots in Pabulib format, voters shuffled once; anyone can recount it. */
  ballotsPb: text('ballots_pb').notNull(),
  ballotsSha256: text('ballots_sha256').notNull(),
  ballotCount: integer('ballot_count').notNull(),
  softwareVersion: text('software_version').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  publishedBy: integer('published_by').references(() => officials.id),
})

/**
 * The last preview of a closed round's count under each rule, keyed by the fingerprint of all it
 * counted (tallyInputSha256): publishing takes the outcome instead of counting again only when
 * that fingerprint is the same at publishing, in whatever process or instance previewed it.
 */
export const tallyPreviews = pgTable(
  'tally_previews',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    rule: tallyRuleEnum('rule').notNull(),
    /** The round, its budget, the projects with their costs in ballot order, the counted ballots' fingerprint and the software version. */
    inputSha256: text('input_sha256').notNull(),
    outcome: jsonb('outcome').$type<unknown>().notNull(),
    outcomeVersion: integer('outcome_version').notNull(),
    previewedAt: timestamp('previewed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.rule] })],
)

export const progressStatusEnum = pgEnum('progress_status', PROGRESS_STATUSES)

/** What happened to a funded project after publication. */
export const progressUpdates = pgTable(
  'progress_updates',
  {
    id: serial('id').primaryKey(),
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id),
    status: progressStatusEnum('status').notNull(),
    text: text('text').notNull(),
    on: date('on').notNull(),
    /** Money spent on the project so far as of this update; null when the update does not say. */
    spentCents: bigint('spent_cents', { mode: 'number' }),
    /** Energy figures reached so far, where the project reports them; null when the update does not say. */
    kwhReached: integer('kwh_reached'),
    co2Reached: integer('co2_kg_reached'),
    householdsReached: integer('households_reached'),
    officialId: integer('official_id').references(() => officials.id),
    createdAt: createdAt(),
  },
  (t) => [index('progress_updates_proposal_idx').on(t.proposalId, t.on)],
)

/** A dated step of a funded project: planned, and reached when it was. */
export const milestones = pgTable(
  'milestones',
  {
    id: serial('id').primaryKey(),
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id),
    title: text('title').notNull(),
    plannedOn: date('planned_on').notNull(),
    doneOn: date('done_on'),
    /** When officials were reminded that the planned day passed without news: once per milestone. */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    officialId: integer('official_id').references(() => officials.id),
    createdAt: createdAt(),
  },
  (t) => [index('milestones_proposal_idx').on(t.proposalId, t.plannedOn)],
)

export const commentKindEnum = pgEnum('comment_kind', COMMENT_KINDS)
export const commentAuthorEnum = pgEnum('comment_author', COMMENT_AUTHORS)
export const commentStatusEnum = pgEnum('comment_status', COMMENT_STATUSES)
export const rejectReasonEnum = pgEnum('comment_reject_reason', REJECT_REASONS)

/**
 * The conversation on a proposal: residents' questions and comments, and one level of answers by
 * the submitter (through their status link) or the municipality. Residents' words wait for a
 * moderator before they are public.
 */
export const comments = pgTable(
  'comments',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id),
    /** The question or comment answered; null for one that starts a thread. */
    parentId: integer('parent_id').references((): AnyPgColumn => comments.id),
    kind: commentKindEnum('kind').notNull(),
    author: commentAuthorEnum('author').notNull(),
    /** The official who answered; the page shows "gemeente", their name only when they sign. */
    officialId: integer('official_id').references(() => officials.id),
    /** The name shown: a resident's optional name, or an official's when they chose to sign. Empty shows "buurtbewoner". */
    displayName: text('display_name').notNull().default(''),
    text: text('text').notNull(),
    lang: text('lang').notNull(),
    /** The comment's own secret link: its writer sees there whether it was published, and why not. */
    token: text('token').notNull().unique(),
    status: commentStatusEnum('status').notNull().default('waiting'),
    rejectReason: rejectReasonEnum('reject_reason'),
    rejectNote: text('reject_note'),
    /** Set while it waits for a moderator (when written, and again when reported); null once decided. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: integer('decided_by').references(() => officials.id),
    /** For a question to the municipality: when the first official answer was published. */
    firstOfficialAnswerAt: timestamp('first_official_answer_at', { withTimezone: true }),
    reports: integer('reports').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('comments_proposal_idx').on(t.proposalId, t.status, t.createdAt),
    index('comments_parent_idx').on(t.parentId),
    index('comments_waiting_idx').on(t.waitingSince),
    index('comments_round_idx').on(t.roundId, t.kind),
  ],
)

/**
 * A confirmed e-mail address that hears of a round, a proposal or one's own comment: new official
 * answers, the moderation decision, voting opening, the results. Personal data: never public,
 * deleted with the other contact details after the retention time; unsubscribing deletes the row.
 */
export const follows = pgTable(
  'follows',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    /** Null follows the whole round. */
    proposalId: integer('proposal_id').references(() => proposals.id),
    /** Set when the address was given with a comment: its answers and its moderation decision. */
    commentId: integer('comment_id').references(() => comments.id),
    email: text('email').notNull(),
    /** The language chosen when subscribing: every mail goes out in it. */
    lang: text('lang').notNull(),
    /** In the confirmation and unsubscribe links; holding it is what lets one confirm or leave. */
    token: text('token').notNull().unique(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('follows_round_idx').on(t.roundId, t.proposalId), index('follows_comment_idx').on(t.commentId)],
)

/**
 * Mail waiting to go out, committed in the transaction of the change that caused it: a mail
 * server that is down loses nothing, and an instance claims a mail before sending it, so two
 * instances never send one twice (server/data/outbox.ts).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** Extra headers, such as List-Unsubscribe. */
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    /** What caused it, for admins ("decision", "status-link", "follow-confirm", ...); never the address. */
    purpose: text('purpose').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Until when an instance holds it while sending. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Set when the retries ran out. */
    failedAt: timestamp('failed_at', { withTimezone: true }),
    /** The mail server's last answer code or error kind, without addresses. */
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
  ],
)

/**
 * A round's equity settings (server/domain/voting/equity.ts): how far below the average a group's
 * turnout against its population may fall before it is marked as lagging, how many voters a group
 * needs before it is published on its own, and the last day the lagging summary went to officials
 * (claimed in the transaction that queues it: several instances send it once a day).
 */
export const roundEquity = pgTable('round_equity', {
  roundId: integer('round_id')
    .primaryKey()
    .references(() => rounds.id),
  lagPoints: integer('lag_points').notNull().default(10),
  minGroupVoters: integer('min_group_voters').notNull().default(10),
  summarySentOn: date('summary_sent_on'),
})

/** How many residents a group of voting codes has, from the municipality's own figures, entered by an admin. */
export const groupPopulations = pgTable(
  'group_populations',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    groupLabel: text('group_label').notNull(),
    residents: integer('residents').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.groupLabel] })],
)

/** Bytes as PostgreSQL keeps them; PGlite hands back a Uint8Array, postgres.js a Buffer: both come out a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
})

/**
 * A photo of a proposal, or of a progress update on a funded project (then both are set). Its bytes
 * live in photo_variants, re-encoded; a removed photo keeps its row for the public reason and loses its bytes.
 */
export const photos = pgTable(
  'photos',
  {
    id: serial('id').primaryKey(),
    proposalId: integer('proposal_id')
      .notNull()
      .references(() => proposals.id),
    progressUpdateId: integer('progress_update_id').references(() => progressUpdates.id),
    alt: text('alt').notNull(),
    /** Part of every address of the photo: a changed photo is a new address. */
    hash: text('hash').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** Null when the submitter added it with the proposal. */
    officialId: integer('official_id').references(() => officials.id),
    createdAt: createdAt(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removedReason: text('removed_reason'),
    removedBy: integer('removed_by').references(() => officials.id),
  },
  (t) => [
    index('photos_proposal_idx').on(t.proposalId, t.id),
    index('photos_progress_update_idx').on(t.progressUpdateId),
  ],
)

/** One served size and format of a photo, with the hash its ETag is. */
export const photoVariants = pgTable(
  'photo_variants',
  {
    photoId: integer('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    width: integer('width').notNull(),
    format: text('format', { enum: ['webp', 'jpeg'] }).notNull(),
    bytes: bytea('bytes').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.photoId, t.width, t.format] })],
)
