import { Type } from '@sinclair/typebox'
import { MODERATION_ACTIONS } from '../../domain/proposals/moderation.js'
import { MAX_PASSWORD_LENGTH } from '../../domain/access/password-policy.js'
import { ROLES } from '../../domain/access/permissions.js'
import { PHASES } from '../../domain/rounds/phases.js'
import { DATE_FIELDS } from '../../domain/rounds/settings.js'
import { csrf, form, IdPath, oneOf, textField, ticks } from '../schemas.js'

export { IdPath }

export const NoticeQuery = Type.Object({ notice: textField(20) })

export const RoundForm = form({
  title: textField(1000),
  neighbourhood: textField(1000),
  description: textField(20_000),
  budget: textField(100),
  ...(Object.fromEntries(DATE_FIELDS.map((field) => [field, textField(100)])) as Record<
    (typeof DATE_FIELDS)[number],
    ReturnType<typeof textField>
  >),
  ballotFormat: textField(100),
  maxChoices: textField(100),
  pointsPerVoter: textField(100),
  maxPointsPerProject: textField(100),
  minSpendPercent: textField(100),
  tallyRule: textField(100),
})

export const AdvanceForm = Type.Object({
  from: oneOf(PHASES),
  /** The waiting proposals the admin confirmed may go unreviewed, by id. */
  unreviewed: ticks(12, 5_000),
  /** Why voting closes before the last day the letters promise. */
  reason: textField(1_000),
  _csrf: Type.Optional(Type.String()),
})

export const CodesQuery = Type.Object({ notice: textField(20) })
/** How often the totals ask again after a submit, two seconds apart: long enough for the largest batch. */
export const POLL_TRIES = 90
export const TotalsQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 0 })),
  tries: Type.Optional(Type.Integer({ minimum: 0, maximum: POLL_TRIES })),
  count: textField(40),
})
export const GenerateForm = form({
  count: textField(40),
  group: textField(400),
  district: textField(400),
  qr: textField(10),
  letters: textField(10),
})
export const RevokeForm = form({ code: textField(64) })

export const PAPER_DONE = ['entered', 'replaced'] as const
export const PaperForm = form({ code: textField(64), projects: ticks(12, 500), replace_online: textField(64) })
export const PaperQuery = Type.Object({ done: Type.Optional(oneOf(PAPER_DONE)), receipt: textField(20) })

export const ModerationQuery = Type.Object({ done: Type.Optional(oneOf(MODERATION_ACTIONS)) })
export const ModerationPath = Type.Object({ id: Type.String(), action: oneOf(MODERATION_ACTIONS) })
export const ModerationForm = form({ message: textField(2000), cost: textField(40), target: textField(12) })

export const ProgressForm = form({
  proposal: textField(12),
  status: textField(20),
  text: textField(2000),
  on: textField(10),
  spent: textField(100),
  kwh: textField(100),
  co2: textField(100),
  households: textField(100),
})
export const MilestoneForm = form({ proposal: textField(12), title: textField(1000), planned: textField(10) })
export const MilestoneDoneForm = form({ done: textField(10) })
export const MilestonePath = Type.Object({ id: IdPath.properties.id, milestone: Type.String({ maxLength: 12 }) })

/** Saved once: the page says so. */
export const SavedQuery = Type.Object({ saved: textField(1) })
export const HelpDeskForm = form({
  phone: textField(1000),
  email: textField(1000),
  address: textField(2000),
  hours: textField(2000),
  otherLanguages: textField(2000),
  languages: ticks(10, 50),
})

/** The language to translate into, and the one just saved; a code the page does not offer picks the next one to do. */
/** `into` is the language translated into: `lang` stays the switch of the official's own interface. */
export const TranslateQuery = Type.Object({ into: textField(10), saved: textField(10) })
export const TranslationForm = form({
  lang: textField(10),
  title: textField(2000),
  summary: textField(5000),
  description: textField(50_000),
})
export const TextPath = Type.Object({ id: IdPath.properties.id, text: Type.String({ maxLength: 30 }) })
export const TextForm = form({ lang: textField(10), text: textField(50_000) })

export const ImportForm = form({ pb: Type.Optional(Type.String()), tallyRule: textField(100) })

export const ACCOUNT_DONE = ['password', 'session', 'others'] as const
export const AccountQuery = Type.Object({
  done: Type.Optional(oneOf(ACCOUNT_DONE)),
  recovery: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
})
export const EndSessionForm = Type.Object({ session: Type.String({ maxLength: 64 }), ...csrf })
/** Typed passwords are bounded generously: the policy's own message says what is too long. */
const typedPassword = textField(MAX_PASSWORD_LENGTH * 4)
export const PasswordChangeForm = form({
  current: textField(MAX_PASSWORD_LENGTH),
  password: typedPassword,
  repeat: typedPassword,
})
export const EnrolForm = form({ code: textField(20) })
export const RecoveryForm = form({ recoveryCode: textField(40) })

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
export const ACCOUNT_CHANGES = ['deactivate', 'reactivate', 'reset-second-factor', 'unlock'] as const
export const OfficialPath = Type.Object({ official: officialId })
export const AccountChangePath = Type.Object({ official: officialId, change: oneOf(ACCOUNT_CHANGES) })
export const RoleForm = form({ role: textField(20) })
export const ReviewQuery = Type.Object({ done: textField(1) })

/** A photo's preview for officials, under its proposal: `/official/proposals/4/photos/12/<hash>/960.webp`. */
export const OfficialPhotoPath = Type.Object({
  id: Type.String(),
  photo: Type.String({ maxLength: 12 }),
  hash: Type.String({ maxLength: 64 }),
  variant: Type.String({ maxLength: 16 }),
})
export const PhotoRemovePath = Type.Object({ id: Type.String(), photo: Type.String({ maxLength: 12 }) })
export const RemovePhotoForm = form({ reason: textField(5000) })
/** Which change the photos page confirms; anything else confirms nothing. */
export const PhotosQuery = Type.Object({ saved: textField(10) })
