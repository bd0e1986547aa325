import { Type } from '@sinclair/typebox'
import { MODERATION_ACTIONS } from '../../domain/proposals/moderation.js'
import { MAX_PASSWORD_LENGTH } from '../../domain/access/password-policy.js'
import { ROLES } from '../../domain/access/permissions.js'
import { PHASES } from '../../domain/rounds/phases.js'
import { DATE_FIELDS } from '../../domain/rounds/settings.js'
import { csrf, form, IdPath, oneOf, text, ticks } from '../schemas.js'

export { IdPath }

export const NoticeQuery = Type.Object({ notice: text(20) })

export const RoundForm = form({
  title: text(1000),
  neighbourhood: text(1000),
  description: text(20_000),
  budget: text(100),
  ...(Object.fromEntries(DATE_FIELDS.map((field) => [field, text(100)])) as Record<
    (typeof DATE_FIELDS)[number],
    ReturnType<typeof text>
  >),
  ballotFormat: text(100),
  maxChoices: text(100),
  minSpendPercent: text(100),
  tallyRule: text(100),
})

export const AdvanceForm = Type.Object({
  from: oneOf(PHASES),
  /** The waiting proposals the admin confirmed may go unreviewed, by id. */
  unreviewed: ticks(12, 5_000),
  _csrf: Type.Optional(Type.String()),
})

export const CodesQuery = Type.Object({ notice: text(20) })
/** How often the totals ask again after a submit, two seconds apart: long enough for the largest batch. */
export const POLL_TRIES = 90
export const TotalsQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 0 })),
  tries: Type.Optional(Type.Integer({ minimum: 0, maximum: POLL_TRIES })),
  count: text(40),
})
export const GenerateForm = form({ count: text(40), group: text(400), qr: text(10) })
export const RevokeForm = form({ code: text(64) })

export const PAPER_DONE = ['entered', 'replaced'] as const
export const PaperForm = form({ code: text(64), projects: ticks(12, 500), replace_online: text(64) })
export const PaperQuery = Type.Object({ done: Type.Optional(oneOf(PAPER_DONE)), receipt: text(20) })

export const ModerationQuery = Type.Object({ done: Type.Optional(oneOf(MODERATION_ACTIONS)) })
export const ModerationPath = Type.Object({ id: Type.String(), action: oneOf(MODERATION_ACTIONS) })
export const ModerationForm = form({ message: text(2000), cost: text(40), target: text(12) })

export const ResultsQuery = Type.Object({ done: text(1) })
export const ProgressForm = form({ proposal: text(12), status: text(20), text: text(2000), on: text(10) })

/** Saved once: the page says so. */
export const SavedQuery = Type.Object({ saved: text(1) })
export const HelpDeskForm = form({
  phone: text(1000),
  email: text(1000),
  address: text(2000),
  hours: text(2000),
  otherLanguages: text(2000),
  languages: ticks(10, 50),
})

/** The language to translate into, and the one just saved; a code the page does not offer picks the next one to do. */
export const TranslateQuery = Type.Object({ lang: text(10), saved: text(10) })
export const TranslationForm = form({ lang: text(10), title: text(2000), summary: text(5000) })

export const ImportForm = form({ pb: Type.Optional(Type.String()), tallyRule: text(100) })

export const ACCOUNT_DONE = ['password', 'session', 'others'] as const
export const AccountQuery = Type.Object({
  done: Type.Optional(oneOf(ACCOUNT_DONE)),
  recovery: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
})
export const EndSessionForm = Type.Object({ session: Type.String({ maxLength: 64 }), ...csrf })
/** Typed passwords are bounded generously: the policy's own message says what is too long. */
const typedPassword = text(MAX_PASSWORD_LENGTH * 4)
export const PasswordChangeForm = form({
  current: text(MAX_PASSWORD_LENGTH),
  password: typedPassword,
  repeat: typedPassword,
})
export const EnrolForm = form({ code: text(20) })
export const RecoveryForm = form({ recoveryCode: text(40) })

export const INVITE_METHODS = ['link', 'password'] as const
export const InviteForm = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }),
  email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' }),
  role: oneOf(ROLES),
  method: oneOf(INVITE_METHODS),
  ...csrf,
})
/** An official by number; the folder's guard loads rounds by `:id`, so this path names its official apart. */
const officialId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 })
export const ACCOUNT_CHANGES = ['deactivate', 'reactivate', 'reset-second-factor'] as const
export const OfficialPath = Type.Object({ official: officialId })
export const AccountChangePath = Type.Object({ official: officialId, change: oneOf(ACCOUNT_CHANGES) })
export const RoleForm = form({ role: text(20) })
export const ReviewQuery = Type.Object({ done: text(1) })
