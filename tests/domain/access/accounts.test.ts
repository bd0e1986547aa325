import t from 'tap'
import {
  accessReviewDue,
  accountChangeProblem,
  contactRetentionCutoff,
  invitationExpiry,
  invitationProblem,
  type AccountChange,
} from '../../../server/domain/access/accounts.js'
import { passwordProblem } from '../../../server/domain/access/password-policy.js'
import type { Role } from '../../../server/domain/access/permissions.js'
import { officialGate, sessionEnded, stepUpNeeded } from '../../../server/domain/access/second-factor.js'
import { throttleDelayMs, throttleStarts } from '../../../server/domain/access/throttle.js'

const now = new Date('2026-03-01T12:00:00Z')
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000)

t.test('an invitation link works once, for 72 hours', async (t) => {
  t.equal(invitationExpiry(now).getTime(), hours(72).getTime())
  t.equal(invitationProblem(undefined, now), 'invitation.unknown')
  t.equal(invitationProblem({ expiresAt: hours(1), usedAt: hours(-1) }, now), 'invitation.used')
  t.equal(invitationProblem({ expiresAt: now, usedAt: null }, now), 'invitation.expired')
  t.equal(invitationProblem({ expiresAt: hours(1), usedAt: null }, now), null)
})

t.test('nobody changes their own role or deactivates themselves, and the last active admin stays', async (t) => {
  const admin = { id: 1, role: 'admin' as Role, active: true }
  const moderator = { id: 2, role: 'moderator' as Role, active: true }
  const table: [string, number, typeof admin, AccountChange, number, string | null][] = [
    ['own role', 1, admin, { kind: 'role', role: 'moderator' }, 3, 'accounts.self'],
    ['deactivate oneself', 1, admin, { kind: 'deactivate' }, 3, 'accounts.self'],
    ['reset own second factor', 2, moderator, { kind: 'reset-second-factor' }, 3, 'accounts.self'],
    ['demote the last admin', 2, admin, { kind: 'role', role: 'council' }, 0, 'accounts.lastAdmin'],
    ['deactivate the last admin', 2, admin, { kind: 'deactivate' }, 0, 'accounts.lastAdmin'],
    ['demote an admin while another is active', 2, admin, { kind: 'role', role: 'council' }, 1, null],
    ['promote a moderator', 1, moderator, { kind: 'role', role: 'admin' }, 0, null],
    ['the same role again', 1, moderator, { kind: 'role', role: 'moderator' }, 1, 'accounts.unchanged'],
    ['deactivate a moderator', 1, moderator, { kind: 'deactivate' }, 1, null],
    ['reactivate an active one', 1, moderator, { kind: 'reactivate' }, 1, 'accounts.unchanged'],
    ['reactivate an inactive one', 1, { ...moderator, active: false }, { kind: 'reactivate' }, 1, null],
    [
      'deactivate an inactive admin, none other active',
      2,
      { ...admin, active: false },
      { kind: 'deactivate' },
      0,
      'accounts.unchanged',
    ],
  ]
  for (const [name, actor, target, change, others, expected] of table) {
    t.equal(accountChangeProblem(actor, target, change, others), expected, name)
  }
})

t.test('a password has at least 12 characters, is hard to guess and is not the e-mail address', async (t) => {
  const strong = () => ({ score: 3, warning: null })
  t.equal(passwordProblem('kort', strong), 'password.tooShort')
  t.equal(passwordProblem('ééééééééééé', strong), 'password.tooShort', 'eleven characters, more bytes')
  t.equal(passwordProblem('a'.repeat(1025), strong), 'password.tooLong')
  t.equal(passwordProblem('Lead@Gemeente.nl', strong, 'lead@gemeente.nl'), 'password.sameAsEmail')
  t.equal(passwordProblem('paars fietsrek onder de brug', strong, 'lead@gemeente.nl'), null)
  const table: [string | null, string][] = [
    ['similarToCommon', 'password.common'],
    ['userInputs', 'password.personal'],
    ['keyPattern', 'password.pattern'],
    ['recentYears', 'password.dates'],
    ['wordByItself', 'password.words'],
    [null, 'password.weak'],
  ]
  for (const [warning, problem] of table) {
    t.equal(
      passwordProblem('twaalf tekens', () => ({ score: 2, warning })),
      problem,
      `${warning}, score 2`,
    )
  }
})

t.test('the access review is due when none was recorded or the last is over a year old', async (t) => {
  t.equal(accessReviewDue(null, now), true)
  t.equal(accessReviewDue(new Date('2025-03-02T12:00:00Z'), now), false)
  t.equal(accessReviewDue(new Date('2025-02-28T12:00:00Z'), now), true)
})

t.test('contact details of rounds published more than the retention days ago are due', async (t) => {
  t.equal(contactRetentionCutoff(now, 90).toISOString(), '2025-12-01T12:00:00.000Z')
  t.equal(contactRetentionCutoff(now, 0).getTime(), now.getTime())
})

t.test('the gate: a temporary password first, then enrolment when required, then a code after idling', async (t) => {
  const base = {
    mustChangePassword: false,
    enrolled: true,
    required: true,
    seenAtMs: 0,
    nowMs: 10 * 60_000,
    idleMinutes: 30,
  }
  t.equal(officialGate(base), 'ok')
  t.equal(officialGate({ ...base, mustChangePassword: true }), 'change-password')
  t.equal(officialGate({ ...base, enrolled: false }), 'enrol')
  t.equal(officialGate({ ...base, enrolled: false, required: false }), 'ok')
  t.equal(officialGate({ ...base, nowMs: 31 * 60_000 }), 'verify')
  t.equal(
    officialGate({ ...base, enrolled: false, required: false, nowMs: 31 * 60_000 }),
    'ok',
    'without a second factor there is nothing to ask',
  )
  t.equal(stepUpNeeded(true, 0, 4 * 60_000), false)
  t.equal(stepUpNeeded(true, 0, 6 * 60_000), true)
  t.equal(stepUpNeeded(true, undefined, 0), true)
  t.equal(stepUpNeeded(false, undefined, 0), false)
})

t.test('sign-in waits grow: free mistakes, then a doubling wait up to a ceiling', async (t) => {
  const policy = { free: 2, firstDelayMs: 1000, maxDelayMs: 5000 }
  t.same(
    [1, 2, 3, 4, 5, 6].map((n) => throttleDelayMs(n, policy)),
    [0, 0, 1000, 2000, 4000, 5000],
  )
  t.same(
    [2, 3, 4].map((n) => throttleStarts(n, policy)),
    [false, true, false],
  )
})

t.test('an admin lifts a wait only where there are failures to forget, and never their own', async (t) => {
  const target = { id: 2, role: 'moderator' as Role, active: true }
  t.equal(accountChangeProblem(1, { ...target, failedAttempts: 5 }, { kind: 'unlock' }, 1), null)
  t.equal(accountChangeProblem(1, { ...target, failedAttempts: 0 }, { kind: 'unlock' }, 1), 'accounts.unchanged')
  t.equal(accountChangeProblem(2, { ...target, failedAttempts: 5 }, { kind: 'unlock' }, 1), 'accounts.self')
})

t.test(
  'a session started before its official\'s "sessions valid after" stamp is ended; one started at or after it is not',
  async (t) => {
    t.equal(sessionEnded(undefined, null), false, 'no stamp: nothing ended')
    t.equal(sessionEnded(hours(-1).getTime(), null), false)
    t.equal(sessionEnded(hours(-1).getTime(), now), true)
    t.equal(sessionEnded(now.getTime() - 1, now), true)
    t.equal(sessionEnded(now.getTime(), now), false, 'the session that set the stamp starts at it')
    t.equal(sessionEnded(hours(1).getTime(), now), false)
    t.equal(sessionEnded(undefined, now), true, 'a session that never said when it started')
  },
)
