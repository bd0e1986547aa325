import { randomInt } from 'node:crypto'
import t from 'tap'
import { parsePb, pbTallyInput } from '../../server/domain/pabulib.js'
import { exportBallotsPb, sha256, tallyInput, type RoundForTally } from '../../server/domain/pabulib-export.js'
import { tally } from '../../server/domain/tally.js'

const round: RoundForTally = { id: 7, title: 'Wijkbudget; "test"', neighbourhood: 'Tussendijken', budgetCents: 100_000_00, ballotFormat: 'knapsack', maxChoices: null, tallyRule: 'equal-shares' }
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
  const pb = exportBallotsPb(round, projects, input.ballots.map((b) => b.map(Number)), 'equal-shares', randomInt)
  const parsed = parsePb(pb)
  t.equal(parsed.votes.length, 400)
  t.equal(parsed.meta['budget'], '100000', 'whole euros')
  t.equal(parsed.meta['description'], round.title, 'quoting survives')
  t.equal(parsed.projects.find((p) => p.id === '15')?.fields['name'], projects[4]!.title)
  for (const rule of ['greedy', 'equal-shares'] as const) {
    t.same(tally(pbTallyInput(parsed), rule).selected, tally(input, rule).selected, rule)
  }
  t.ok(parsed.votes.every((v) => !v.vote.includes('99')), 'a withdrawn project is not in the export')
})

t.test('voters are shuffled, so the order reveals nothing; the hash fingerprints the file', async (t) => {
  const cast = ballots(200)
  const one = exportBallotsPb(round, projects, cast, 'greedy', randomInt)
  const two = exportBallotsPb(round, projects, cast, 'greedy', randomInt)
  t.not(one, two, 'two exports order voters differently')
  const fixed = () => 0
  t.equal(exportBallotsPb(round, projects, cast, 'greedy', fixed), exportBallotsPb(round, projects, cast, 'greedy', fixed), 'the order comes from the source of randomness alone')
  t.equal(sha256(one), sha256(one))
  t.match(sha256(one), /^[0-9a-f]{64}$/)
  const sorted = (pb: string) => parsePb(pb).votes.map((v) => v.vote.join(',')).sort()
  t.same(sorted(one), sorted(two), 'the same ballots')
})

t.test('costs with cents are exported in cents and recount the same', async (t) => {
  const cents = projects.map((p, i) => ({ ...p, costCents: p.costCents + i * 37 }))
  const cast = ballots(150)
  const input = tallyInput(round, cents, cast)
  const pb = exportBallotsPb(round, cents, input.ballots.map((b) => b.map(Number)), 'equal-shares', randomInt)
  const parsed = parsePb(pb)
  t.equal(parsed.meta['money_unit'], 'cent')
  t.equal(parsed.meta['budget'], '10000000')
  t.same(tally(pbTallyInput(parsed), 'equal-shares').selected, tally(input, 'equal-shares').selected)
})
