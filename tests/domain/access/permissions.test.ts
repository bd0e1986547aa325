import t from 'tap'
import {
  ACTIONS,
  can,
  canAtAll,
  isRole,
  isView,
  phasesWhere,
  ROLES,
  type Action,
  type Actor,
} from '../../../server/domain/access/permissions.js'
import { PHASES, type Phase } from '../../../server/domain/rounds/phases.js'

const ACTORS: Actor[] = [...ROLES, 'resident']

/** The expected answer for every actor, action and phase, written out independently of the table. */
function expected(actor: Actor, action: Action, phase: Phase): boolean {
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
      return actor === 'admin' && phase !== 'published'
    case 'proposal.submit':
      return actor === 'resident' && phase === 'proposing'
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
  }
}

t.test('the permission table answers every actor, action and phase as intended', async (t) => {
  let checked = 0
  for (const actor of ACTORS) {
    for (const action of ACTIONS) {
      for (const phase of PHASES) {
        t.equal(can(actor, action, phase), expected(actor, action, phase), `${actor} ${action} ${phase}`)
        checked++
      }
    }
  }
  t.equal(checked, ACTORS.length * ACTIONS.length * PHASES.length)
})

t.test('council members can read but never act', async (t) => {
  // Their own account (password, second factor, sessions) is theirs to look after.
  const acting = ACTIONS.filter((a) => !isView(a) && a !== 'account.own')
  for (const action of acting) t.notOk(canAtAll('council', action), action)
  t.ok(canAtAll('council', 'dashboard.view'))
})

t.test('roles are exactly admin, moderator, coach and council', async (t) => {
  t.same([...ROLES], ['admin', 'moderator', 'coach', 'council'])
  for (const role of ROLES) t.ok(isRole(role))
  for (const other of ['resident', 'root', '', null]) t.notOk(isRole(other))
})

t.test('a draft round is invisible to residents, and results to everyone until published', async (t) => {
  t.same(phasesWhere('resident', 'round.view'), ['proposing', 'reviewing', 'voting', 'closed', 'published'])
  t.same(phasesWhere('council', 'round.view'), PHASES)
  for (const actor of ACTORS) t.same(phasesWhere(actor, 'results.view'), ['published'], actor)
})

t.test('language coaches translate public proposals and otherwise only read', async (t) => {
  const acting = ACTIONS.filter((a) => !isView(a) && a !== 'account.own')
  t.same(
    acting.filter((action) => canAtAll('coach', action)),
    ['proposal.translate'],
  )
  t.same(phasesWhere('coach', 'proposal.translate'), phasesWhere('resident', 'round.view'))
})

t.test('only those who answer submitters see their contact details', async (t) => {
  t.same(
    ACTORS.filter((actor) => canAtAll(actor, 'contact.view')),
    ['admin', 'moderator'],
  )
})
