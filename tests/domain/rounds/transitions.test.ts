import t from 'tap'
import {
  answeredUnreviewed,
  closesEarly,
  movesByPublishing,
  NO_FACTS,
  opensVoting,
  transitionFrom,
  transitionRefusal,
  unconfirmedWaiting,
  type TransitionFacts,
} from '../../../server/domain/rounds/transitions.js'
import { PHASES } from '../../../server/domain/rounds/phases.js'
import { official, RESIDENT, SYSTEM } from '../../../server/domain/access/permissions.js'

const ADMIN = official('admin')

const withApproved: TransitionFacts = { ...NO_FACTS, approvedCount: 1 }
const waiting = [
  { id: 7, reference: 'WB-AAAAAA', title: 'Zonnepanelen' },
  { id: 9, reference: 'WB-BBBBBB', title: 'Bankjes' },
]

t.test('each phase has one way forward and published is final', async (t) => {
  t.same(
    PHASES.map((phase) => transitionFrom(phase)?.to ?? null),
    ['proposing', 'reviewing', 'voting', 'closed', 'published', null],
  )
  t.equal(transitionFrom('closed')?.by, 'results.publish', 'a round is published only by publishing its result')
})

t.test(
  'an admin moves a round on unless it is published, or voting would open without an approved proposal',
  async (t) => {
    t.equal(transitionRefusal(ADMIN, 'round.advance', 'draft', NO_FACTS), null)
    t.equal(transitionRefusal(ADMIN, 'round.advance', 'proposing', NO_FACTS), null)
    t.equal(transitionRefusal(ADMIN, 'round.advance', 'reviewing', NO_FACTS), 'noApproved')
    t.equal(transitionRefusal(ADMIN, 'round.advance', 'reviewing', withApproved), null)
    t.equal(transitionRefusal(ADMIN, 'round.advance', 'voting', NO_FACTS), null)
    t.equal(transitionRefusal(ADMIN, 'round.advance', 'closed', NO_FACTS), 'publishFirst')
    t.equal(transitionRefusal(ADMIN, 'results.publish', 'closed', NO_FACTS), null)
    t.equal(transitionRefusal(ADMIN, 'round.advance', 'published', withApproved), 'final')
    t.equal(transitionRefusal(ADMIN, 'results.publish', 'published', NO_FACTS), 'final')
  },
)

t.test('only admins move rounds: the permission table says who may', async (t) => {
  for (const actor of [official('moderator'), official('council'), RESIDENT]) {
    const who = actor.kind === 'official' ? actor.role : 'resident'
    for (const phase of ['draft', 'proposing', 'voting'] as const)
      t.equal(transitionRefusal(actor, 'round.advance', phase, withApproved), 'forbidden', `${who} ${phase}`)
    t.equal(transitionRefusal(actor, 'results.publish', 'closed', NO_FACTS), 'forbidden', `${who} publish`)
  }
  t.equal(
    transitionRefusal(ADMIN, 'results.publish', 'voting', NO_FACTS),
    'forbidden',
    'publishing is no way out of voting',
  )
})

t.test(
  'voting does not open while proposals wait for an answer, unless each is confirmed to go unreviewed',
  async (t) => {
    const facts = { ...withApproved, waiting }
    t.equal(transitionRefusal(ADMIN, 'round.advance', 'reviewing', facts), 'unreviewed')
    t.same(
      unconfirmedWaiting(facts).map((p) => p.id),
      [7, 9],
    )
    const partly = { ...facts, confirmedUnreviewed: [7] }
    t.equal(
      transitionRefusal(ADMIN, 'round.advance', 'reviewing', partly),
      'unreviewed',
      'a proposal that started waiting after the confirmation still stops it',
    )
    t.same(
      unconfirmedWaiting(partly).map((p) => p.id),
      [9],
    )
    t.equal(transitionRefusal(ADMIN, 'round.advance', 'reviewing', { ...facts, confirmedUnreviewed: [9, 7] }), null)
    t.equal(
      transitionRefusal(ADMIN, 'round.advance', 'reviewing', {
        ...facts,
        approvedCount: 0,
        confirmedUnreviewed: [7, 9],
      }),
      'noApproved',
    )
  },
)

t.test('voting closes by itself once its planned end has passed, through the same table', async (t) => {
  const over = { ...NO_FACTS, votingOver: true }
  t.equal(transitionRefusal(SYSTEM, 'voting.close-due', 'voting', over), null)
  t.equal(transitionRefusal(SYSTEM, 'voting.close-due', 'voting', NO_FACTS), 'notDue', 'not before its end')
  t.equal(transitionRefusal(SYSTEM, 'voting.close-due', 'closed', over), 'publishFirst', 'nothing else moves so')
  t.equal(transitionRefusal(SYSTEM, 'round.advance', 'voting', over), 'forbidden', 'the platform is no admin')
  t.equal(transitionRefusal(ADMIN, 'voting.close-due', 'voting', over), 'forbidden', 'an admin closes by advancing')
})

t.test('only reviewing opens voting, and only a closed round moves on by publishing', async (t) => {
  t.same(
    PHASES.filter((phase) => opensVoting(phase)),
    ['reviewing'],
  )
  t.same(
    PHASES.filter((phase) => movesByPublishing(phase)),
    ['closed'],
  )
})

t.test('only opening voting answers waiting proposals, and only those the admin confirmed', async (t) => {
  const facts = { ...withApproved, waiting, confirmedUnreviewed: [9, 42] }
  for (const phase of PHASES)
    t.same(
      answeredUnreviewed(phase, facts).map((p) => p.id),
      phase === 'reviewing' ? [9] : [],
      `out of ${phase}`,
    )
  t.same(
    answeredUnreviewed('reviewing', { ...facts, confirmedUnreviewed: [] }),
    [],
    'nothing confirmed, nothing answered',
  )
})

t.test('an admin closing voting before the promised last day gives a reason', async (t) => {
  const promised = { ...NO_FACTS, votingUntil: '2027-01-03', votingOver: false }
  t.ok(closesEarly(promised))
  t.equal(transitionRefusal(ADMIN, 'round.advance', 'voting', promised), 'reasonNeeded')
  t.equal(transitionRefusal(ADMIN, 'round.advance', 'voting', { ...promised, closingReason: ' \n ' }), 'reasonNeeded')
  t.equal(transitionRefusal(ADMIN, 'round.advance', 'voting', { ...promised, closingReason: 'Storing' }), null)
  t.equal(transitionRefusal(ADMIN, 'round.advance', 'voting', { ...promised, votingOver: true }), null, 'after the day')
  t.equal(
    transitionRefusal(ADMIN, 'round.advance', 'voting', { ...NO_FACTS, votingUntil: null }),
    null,
    'no day promised',
  )
  t.equal(
    transitionRefusal(SYSTEM, 'voting.close-due', 'voting', promised),
    'notDue',
    'the platform never closes early',
  )
})
