import t from 'tap'
import type { Sample } from '../../bench/election-day/browser.js'
import { checkBallots, checkMail, classifyErrors, type Acknowledged } from '../../bench/election-day/check.js'

const ack = (codeHash: string, receipt: string, projectIds: number[], channel: 'online' | 'paper' = 'online') => ({
  codeHash,
  receipt,
  projectIds,
  channel,
})

t.test('the rehearsal finds an acknowledged ballot the database does not hold as acknowledged', async (t) => {
  const told: Acknowledged[] = [ack('a', 'R1', [1, 2]), ack('b', 'R2', [3]), ack('c', 'R3', [4], 'paper')]
  const stored = [ack('a', 'R1', [2, 1]), ack('c', 'R3', [4], 'paper')]
  t.same(checkBallots(told, stored), { codes: 3, lost: ['b'], duplicated: [], unacknowledged: 0 }, 'a missing ballot')

  const otherChoice = [ack('a', 'R1', [1]), ack('b', 'R2', [3]), ack('c', 'R3', [4], 'paper')]
  t.same(checkBallots(told, otherChoice).lost, ['a'], 'the same receipt with another choice')
  const otherChannel = [ack('a', 'R1', [1, 2]), ack('b', 'R2', [3]), ack('c', 'R3', [4])]
  t.same(checkBallots(told, otherChannel).lost, ['c'], 'a paper ballot stored as an online one')
})

t.test('a changed vote must be stored as its last acknowledgement, once', async (t) => {
  const told = [ack('a', 'R1', [1]), ack('a', 'R9', [5])]
  t.same(checkBallots(told, [ack('a', 'R9', [5])]).lost, [], 'the change is what counts')
  t.same(checkBallots(told, [ack('a', 'R1', [1])]).lost, ['a'], 'the first choice left standing is a lost change')
  const twice = checkBallots(told, [ack('a', 'R9', [5]), ack('a', 'R1', [1])])
  t.same([twice.lost, twice.duplicated], [['a'], ['a']], 'two rows for one code')
  t.equal(
    checkBallots(told, [ack('a', 'R9', [5]), ack('z', 'R7', [2])]).unacknowledged,
    1,
    'a ballot nobody was told of',
  )
})

const sample = (at: number, status: number, method = 'GET', retryAfter = false): Sample => ({
  kind: 'page',
  method,
  status,
  ms: 100,
  at,
  retryAfter,
})

t.test('only a 503 with Retry-After is excused during the database restart, only a cut POST at the kill', async (t) => {
  const database = { from: 10_000, to: 12_000 }
  const kill = { from: 5_000, to: 8_000 }
  const samples = [
    sample(1_000, 200),
    sample(9_950, 503, 'POST', true), // under way as the restart began
    sample(11_000, 503, 'GET', true),
    sample(11_000, 500),
    sample(11_500, 503),
    sample(6_000, 502, 'POST'),
    sample(6_000, 0, 'POST'),
    sample(6_000, 502, 'GET'),
    sample(20_000, 503, 'GET', true),
    sample(20_000, 0),
  ]
  const errors = classifyErrors(samples, database, kill)
  t.same(
    { ...errors, examples: errors.examples.map((s) => [s.at, s.status]) },
    {
      inDatabaseWindow: 4,
      unavailableWithRetryAfter: 2,
      cutByKill: 2,
      outside: 3,
      examples: [
        [6_000, 502],
        [20_000, 503],
        [20_000, 0],
      ],
    },
  )
  t.equal(classifyErrors(samples, undefined, undefined).outside, 9, 'without faults every failure counts')
})

t.test('a queued mail the mail server never received is lost; one received twice is a duplicate', async (t) => {
  t.same(checkMail(['a@x', 'b@x', 'b@x'], ['a@x', 'b@x', 'b@x'], 0), {
    queued: 3,
    delivered: 3,
    lost: 0,
    givenUp: 0,
    duplicates: 0,
  })
  t.same(checkMail(['a@x', 'b@x', 'b@x'], ['a@x', 'a@x', 'b@x'], 1), {
    queued: 3,
    delivered: 2,
    lost: 1,
    givenUp: 1,
    duplicates: 1,
  })
})
