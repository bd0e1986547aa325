import t from 'tap'
import {
  ACTIONS,
  can,
  canAtAll,
  isRole,
  isView,
  phasesWhere,
  ROLES,
  official,
  RESIDENT,
  SYSTEM,
  type Action,
  type Actor,
  type Role,
} from '../../../server/domain/access/permissions.js'
import { PHASES, type Phase } from '../../../server/domain/rounds/phases.js'

/** Who asks, by name: each role, a resident holding nothing, and the submitter of proposal 7 (asking about 7, then about 8). */
type Asker = Role | 'resident' | 'submitter' | 'other-submitter'
const ASKERS: Asker[] = [...ROLES, 'resident', 'submitter', 'other-submitter']
const SUBJECT = { proposalId: 7 }
function actorOf(asker: Asker): Actor {
  if (asker === 'resident') return RESIDENT
  if (asker === 'submitter') return { kind: 'resident', holds: { statusLinkOf: 7 } }
  if (asker === 'other-submitter') return { kind: 'resident', holds: { statusLinkOf: 8 } }
  return official(asker, 1)
}

/** The expected answer for every asker, action and phase, written out independently of the table. */
function expected(asker: Asker, action: Action, phase: Phase): boolean {
  const actor = asker === 'submitter' || asker === 'other-submitter' ? 'resident' : asker
  const staff = actor === 'admin' || actor === 'moderator'
  const official = actor !== 'resident'
  switch (action) {
    case 'dashboard.view':
    case 'audit.view':
    case 'account.own':
    case 'moderation.view':
    case 'turnout.view':
      return official
    case 'round.view':
      return official || phase !== 'draft'
    case 'contact.view':
      return staff
    case 'results.view':
      return phase === 'published'
    case 'officials.manage':
    case 'officials.review':
    case 'audit.export':
    case 'round.create':
    case 'security.view':
    case 'helpdesk.edit':
      return actor === 'admin'
    case 'round.edit':
    case 'round.advance':
    case 'equity.edit':
      return actor === 'admin' && phase !== 'published'
    case 'budgets.edit':
      return actor === 'admin' && (phase === 'draft' || phase === 'proposing' || phase === 'reviewing')
    case 'proposal.submit':
      return actor === 'resident' && phase === 'proposing'
    case 'proposal.follow':
      return asker === 'submitter'
    case 'proposal.resubmit':
      return asker === 'submitter' && (phase === 'proposing' || phase === 'reviewing')
    case 'codes.view':
      return actor === 'admin'
    case 'paper.view':
      return staff
    case 'proposal.moderate':
      return staff && (phase === 'proposing' || phase === 'reviewing')
    case 'codes.manage':
      return actor === 'admin' && ['draft', 'proposing', 'reviewing', 'voting'].includes(phase)
    case 'ballot.cast':
      return actor === 'resident' && phase === 'voting'
    case 'ballot.print':
      return actor === 'resident' && (phase === 'reviewing' || phase === 'voting')
    case 'ballot.enter-paper':
      return staff && phase === 'voting'
    case 'results.preview':
    case 'results.publish':
      return actor === 'admin' && phase === 'closed'
    case 'proposal.translate':
      return (actor === 'moderator' || actor === 'coach') && phase !== 'draft'
    case 'progress.post':
      return staff && phase === 'published'
    case 'photo.manage':
      return (staff || actor === 'coach') && phase !== 'draft'
    case 'follow.start':
      return actor === 'resident' && phase !== 'draft'
    case 'voting.close-due':
      return false
    case 'comment.write':
      return actor === 'resident' && ['proposing', 'reviewing', 'voting'].includes(phase)
    case 'comment.answer':
      return staff && ['proposing', 'reviewing', 'voting', 'closed'].includes(phase)
    case 'comment.moderate':
      return staff && phase !== 'draft'
    case 'comment.report':
      return actor === 'resident' && phase !== 'draft'
  }
}

t.test('the permission table answers every actor, action and phase as intended', async (t) => {
  let checked = 0
  for (const asker of ASKERS) {
    for (const action of ACTIONS) {
      for (const phase of PHASES) {
        t.equal(
          can(actorOf(asker), action, phase, SUBJECT),
          expected(asker, action, phase),
          `${asker} ${action} ${phase}`,
        )
        checked++
      }
    }
  }
  t.equal(checked, ASKERS.length * ACTIONS.length * PHASES.length)
})

t.test('council members can read but never act', async (t) => {
  // Their own account (password, second factor, sessions) is theirs to look after.
  const acting = ACTIONS.filter((a) => !isView(a) && a !== 'account.own')
  for (const action of acting) t.notOk(canAtAll(official('council'), action), action)
  t.ok(canAtAll(official('council'), 'dashboard.view'))
})

t.test('roles are exactly admin, moderator, coach and council', async (t) => {
  t.same([...ROLES], ['admin', 'moderator', 'coach', 'council'])
  for (const role of ROLES) t.ok(isRole(role))
  for (const other of ['resident', 'root', '', null]) t.notOk(isRole(other))
})

t.test('a draft round is invisible to residents, and results to everyone until published', async (t) => {
  t.same(phasesWhere(RESIDENT, 'round.view'), ['proposing', 'reviewing', 'voting', 'closed', 'published'])
  t.same(phasesWhere(official('council'), 'round.view'), PHASES)
  for (const asker of ASKERS) t.same(phasesWhere(actorOf(asker), 'results.view'), ['published'], asker)
})

t.test('language coaches translate public proposals, help with photos and otherwise only read', async (t) => {
  const acting = ACTIONS.filter((a) => !isView(a) && a !== 'account.own')
  t.same(
    acting.filter((action) => canAtAll(official('coach'), action)),
    ['proposal.translate', 'photo.manage'],
  )
  t.same(phasesWhere(official('coach'), 'proposal.translate'), phasesWhere(RESIDENT, 'round.view'))
  for (const role of ['coach', 'moderator'] as const) {
    t.ok(can(official(role), 'proposal.translate', 'voting', { notPublic: false }), `${role}: a public text`)
    t.notOk(
      can(official(role), 'proposal.translate', 'voting', { notPublic: true }),
      `${role}: never one the public does not read`,
    )
  }
  t.ok(can(official('moderator'), 'comment.moderate', 'voting', { notPublic: true }), 'other actions do not look')
})

t.test('only those who answer submitters see their contact details', async (t) => {
  t.same(
    ASKERS.filter((asker) => canAtAll(actorOf(asker), 'contact.view')),
    ['admin', 'moderator'],
  )
})

t.test("a status link makes only its own proposal the resident's", async (t) => {
  const holder = actorOf('submitter')
  t.ok(can(holder, 'proposal.resubmit', 'reviewing', { proposalId: 7 }))
  t.notOk(can(holder, 'proposal.resubmit', 'reviewing', { proposalId: 8 }), 'another proposal')
  t.notOk(can(holder, 'proposal.resubmit', 'reviewing'), 'no subject named')
  t.notOk(can(RESIDENT, 'proposal.follow', 'voting', { proposalId: 7 }), 'holding nothing')
  t.notOk(can(official('admin'), 'proposal.resubmit', 'reviewing', { proposalId: 7 }), 'an official is no submitter')
})

t.test('voting closes by itself only in the voting phase, and only the platform closes it so', async (t) => {
  t.same(phasesWhere(SYSTEM, 'voting.close-due'), ['voting'])
  t.same(
    ACTIONS.filter((action) => canAtAll(SYSTEM, action)),
    ['voting.close-due'],
    'the platform itself may do nothing else',
  )
})
