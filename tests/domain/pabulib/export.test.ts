import { randomInt } from 'node:crypto'
import t from 'tap'
import { parsePb, PbFormatError, pbTallyInput } from '../../../server/domain/pabulib/read.js'
import { ballotsDigest, exportBallotsPb, pbBallotsDigest } from '../../../server/domain/pabulib/export.js'
import { sha256 } from '../../../server/domain/common/digest.js'
import { tallyInput, type RoundForTally } from '../../../server/domain/tally/input.js'
import { tally } from '../../../server/domain/tally/tally.js'

const round: RoundForTally = {
  id: 7,
  title: 'Wijkbudget; "test"',
  neighbourhood: 'Tussendijken',
  budgetCents: 100_000_00,
  ballotFormat: 'knapsack',
  maxChoices: null,
  tallyRule: 'equal-shares',
}
const projects = [
  { id: 11, title: 'Energiecoaches', costCents: 18_000_00 },
  { id: 12, title: 'Warmtescan', costCents: 9_500_00 },
  { id: 13, title: 'Isolatie', costCents: 42_000_00 },
  { id: 14, title: 'Zonnepanelen', costCents: 28_000_00 },
  { id: 15, title: 'Moestuin; met "regenton"', costCents: 6_000_00 },
]

/** A deterministic spread of ballots, with some voters choosing a withdrawn project (99). */
function ballots(n: number): number[][] {
  const out: number[][] = []
  for (let i = 0; i < n; i++) {
    const b = projects.filter((_, j) => (i * 7 + j * 3) % 5 < 2 + (i % 3)).map((p) => p.id)
    out.push(i % 17 === 0 ? [...b, 99] : b)
  }
  return out
}

t.test('the exported ballots, parsed back and recounted with either rule, give the same winners', async (t) => {
  const cast = ballots(400)
  const input = tallyInput(round, projects, cast)
  const pb = exportBallotsPb(
    round,
    projects,
    input.ballots.map((b) => b.map(Number)),
    'equal-shares',
    randomInt,
  )
  const parsed = parsePb(pb)
  t.equal(parsed.votes.length, 400)
  t.equal(parsed.meta['budget'], '100000', 'whole euros')
  t.equal(parsed.meta['description'], round.title, 'quoting survives')
  t.equal(parsed.projects.find((p) => p.id === '15')?.fields['name'], projects[4]!.title)
  for (const rule of ['greedy', 'equal-shares'] as const) {
    t.same(tally(pbTallyInput(parsed), rule).selected, tally(input, rule).selected, rule)
  }
  t.ok(
    parsed.votes.every((v) => !v.vote.includes('99')),
    'a withdrawn project is not in the export',
  )
})

t.test('voters are shuffled, so the order reveals nothing; the hash fingerprints the file', async (t) => {
  const cast = ballots(200)
  const one = exportBallotsPb(round, projects, cast, 'greedy', randomInt)
  const two = exportBallotsPb(round, projects, cast, 'greedy', randomInt)
  t.not(one, two, 'two exports order voters differently')
  const fixed = () => 0
  t.equal(
    exportBallotsPb(round, projects, cast, 'greedy', fixed),
    exportBallotsPb(round, projects, cast, 'greedy', fixed),
    'the order comes from the source of randomness alone',
  )
  t.equal(sha256(one), sha256(one))
  t.match(sha256(one), /^[0-9a-f]{64}$/)
  const sorted = (pb: string) =>
    parsePb(pb)
      .votes.map((v) => v.vote.join(','))
      .sort()
  t.same(sorted(one), sorted(two), 'the same ballots')
})

t.test('costs with cents are exported in cents and recount the same', async (t) => {
  const cents = projects.map((p, i) => ({ ...p, costCents: p.costCents + i * 37 }))
  const cast = ballots(150)
  const input = tallyInput(round, cents, cast)
  const pb = exportBallotsPb(
    round,
    cents,
    input.ballots.map((b) => b.map(Number)),
    'equal-shares',
    randomInt,
  )
  const parsed = parsePb(pb)
  t.equal(parsed.meta['money_unit'], 'cent')
  t.equal(parsed.meta['budget'], '10000000')
  t.same(tally(pbTallyInput(parsed), 'equal-shares').selected, tally(input, 'equal-shares').selected)
})

t.test(
  "the digest of a .pb's votes is ballotsDigest of the ballots exported: in any order, empty ones and multi-digit ids included",
  async (t) => {
    const few = [
      { id: 9, title: 'Negen', costCents: 100_00 },
      { id: 10, title: 'Tien', costCents: 200_00 },
      { id: 100, title: 'Honderd', costCents: 300_00 },
    ]
    const cast = [[10, 9], [], [100, 9, 10], [9], [10, 9], [99, 10], []]
    const inFile = cast.map((b) => b.filter((id) => id !== 99))
    const pb = exportBallotsPb(round, few, cast, 'greedy', randomInt)
    t.same(pbBallotsDigest(pb), { sha256: ballotsDigest(inFile), ballots: 7, projectIds: [9, 10, 100] })
    t.equal(
      pbBallotsDigest(exportBallotsPb(round, few, cast, 'greedy', randomInt)).sha256,
      ballotsDigest(inFile),
      'another shuffle, the same digest',
    )
    t.not(
      pbBallotsDigest(pb.replace(/\n1;([0-9,]*)\n/, (_, vote: string) => `\n1;${vote === '9' ? '10' : '9'}\n`)).sha256,
      ballotsDigest(inFile),
      'a vote changed in the file',
    )
    t.same(
      pbBallotsDigest(exportBallotsPb(round, few, [], 'greedy', randomInt)),
      { sha256: ballotsDigest([]), ballots: 0, projectIds: [9, 10, 100] },
      'no ballots',
    )

    const many = ballots(300)
    const listed = new Set(projects.map((p) => p.id))
    t.equal(
      pbBallotsDigest(exportBallotsPb(round, projects, many, 'equal-shares', randomInt)).sha256,
      ballotsDigest(many.map((b) => b.filter((id) => listed.has(id)))),
    )
  },
)

t.test('a damaged .pb has no votes digest: it throws as parsePb does', async (t) => {
  t.throws(() => pbBallotsDigest('META\nkey;value\n"never closed'), PbFormatError)
  const pb = exportBallotsPb(round, projects, ballots(10), 'greedy', randomInt)
  t.throws(() => pbBallotsDigest(pb.replace(/\n3;/, '\n2;')), { code: 'duplicate-voter' })
})

t.test(
  'two sets of ballots have the same digest when they hold the same ballots the same number of times',
  async (t) => {
    t.equal(
      ballotsDigest([[1, 2], [3], []]),
      ballotsDigest([[], [2, 1], [3]]),
      'whatever the order of ballots or choices',
    )
    t.not(
      ballotsDigest([
        [1, 2],
        [1, 2],
      ]),
      ballotsDigest([[1, 2], [2]]),
      'a changed ballot',
    )
    t.not(ballotsDigest([[1], [1], [2]]), ballotsDigest([[1], [2], [2]]), 'the same ballots in other numbers')
    t.not(ballotsDigest([[1]]), ballotsDigest([[1], [1]]), 'one ballot more')
    t.not(ballotsDigest([[12]]), ballotsDigest([[1, 2]]), 'ids stay apart')
  },
)

t.test('a points round exports cumulative ballots; recounted from the file they give the same winners', async (t) => {
  const pointsRound: RoundForTally = { ...round, ballotFormat: 'points', pointsPerVoter: 10, maxPointsPerProject: 5 }
  const cast = ballots(300)
  // Spread points by position, so the points (not only the choices) decide; 99 is a withdrawn project.
  const points = cast.map((b, v) => b.map((_, k) => 1 + ((v + k * 2) % 3)))
  const input = tallyInput(pointsRound, projects, cast, points)
  t.ok(
    input.ballots.every((b, v) => b.length === input.points![v]!.length),
    'a withdrawn project leaves with its points',
  )
  const pb = exportBallotsPb(pointsRound, projects, cast, 'greedy', randomInt, points)
  const parsed = parsePb(pb)
  t.same(
    [parsed.meta['vote_type'], parsed.meta['max_sum_points'], parsed.meta['max_points']],
    ['cumulative', '10', '5'],
  )
  for (const rule of ['greedy', 'equal-shares'] as const) {
    const [fromFile, counted] = [tally(pbTallyInput(parsed), rule), tally(input, rule)]
    t.same(fromFile.selected, counted.selected, `${rule}: the same winners`)
    const pointsOf = (r: typeof counted) => r.projects.map((p) => [p.id, p.points, p.votes])
    t.same(pointsOf(fromFile), pointsOf(counted), `${rule}: the same points and voters per project`)
  }
  t.equal(
    pbBallotsDigest(pb).sha256,
    ballotsDigest(
      input.ballots.map((b) => b.map(Number)),
      input.points,
    ),
    "the file's fingerprint counts the points as the database's does",
  )
  t.not(ballotsDigest([[11, 12]], [[1, 2]]), ballotsDigest([[11, 12]], [[2, 1]]), 'other points, another fingerprint')
  t.equal(ballotsDigest([[12, 11]]), ballotsDigest([[11, 12]]), 'ballots without points keep their fingerprint')
})

t.test(
  "a project's point goes into Pabulib's latitude and longitude columns; one without leaves them empty",
  async (t) => {
    const placed = projects.map((p, i) => (i === 1 ? { ...p, latitude: 51.913612345, longitude: 4.4338 } : p))
    const parsed = parsePb(exportBallotsPb(round, placed, ballots(10), 'greedy', randomInt))
    t.same(
      parsed.projects.map((p) => [p.id, p.fields['latitude'], p.fields['longitude']]),
      [
        ['11', '', ''],
        ['12', '51.913612', '4.4338'],
        ['13', '', ''],
        ['14', '', ''],
        ['15', '', ''],
      ],
    )
    const none = parsePb(exportBallotsPb(round, projects, ballots(10), 'greedy', randomInt))
    t.notOk('latitude' in none.projects[0]!.fields, 'a round without points has no such columns')
  },
)
