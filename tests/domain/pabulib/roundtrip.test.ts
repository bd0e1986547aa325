import t from 'tap'
import { parsePb, pbTallyInput, writePb, type PbElection } from '../../../server/domain/pabulib/read.js'
import { exportBallotsPb } from '../../../server/domain/pabulib/export.js'
import { tallyInput, type BallotProjectForTally, type RoundForTally } from '../../../server/domain/tally/input.js'
import { tally, type TallyRule } from '../../../server/domain/tally/tally.js'

/** A small seeded generator (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = Math.imul(state ^ (state >>> 15), 1 | state)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)]! }
}

/** Pieces a resident can type that break naive CSV or section handling. */
const HOSTILE = [
  'VOTES',
  'PROJECTS',
  'META',
  'VOTES ',
  'voter_id;vote',
  '1;2,3',
  ';',
  ';;',
  '"',
  '""',
  '"VOTES"',
  '"\nVOTES\n"',
  '\n',
  '\r\n',
  '\r',
  '\nVOTES\n',
  '\n\nMETA\nkey;value\n',
  '\u200f',
  '\u202e',
  'مشروع',
  '🌳',
  '👩🏽‍🔧',
  ',',
  'a"b',
  ' ',
  '\t',
  'Zonnepanelen',
  "l'école",
  '=SUM(A1)',
  '\u2028',
  '\u00a0',
]

function hostileText(rnd: ReturnType<typeof random>): string {
  const parts = 1 + rnd.int(6)
  let text = ''
  for (let i = 0; i < parts; i++) text += rnd.pick(HOSTILE)
  return text
}

function hostileRound(rnd: ReturnType<typeof random>) {
  const round: RoundForTally = {
    id: 1 + rnd.int(1000),
    title: hostileText(rnd),
    neighbourhood: hostileText(rnd),
    budgetCents: (1 + rnd.int(100)) * 1000 * 100,
    ballotFormat: 'knapsack',
    maxChoices: null,
    tallyRule: rnd.pick(['greedy', 'equal-shares'] as const),
  }
  const projects: BallotProjectForTally[] = Array.from({ length: 1 + rnd.int(8) }, (_, i) => ({
    id: 10 + i,
    title: hostileText(rnd),
    costCents: (1 + rnd.int(40)) * 1000 * 100 + (rnd.int(3) === 0 ? rnd.int(100) : 0),
  }))
  const ballots = Array.from({ length: rnd.int(40) }, () => projects.filter(() => rnd.int(3) === 0).map((p) => p.id))
  return { round, projects, ballots }
}

t.test('hostile titles survive write → parse, and the recount picks the same winners', async (t) => {
  for (let seed = 1; seed <= 300; seed++) {
    const rnd = random(seed)
    const { round, projects, ballots } = hostileRound(rnd)
    const rule: TallyRule = round.tallyRule
    const text = exportBallotsPb(round, projects, ballots, rule, rnd.int)
    let election: PbElection
    try {
      election = parsePb(text)
    } catch (error) {
      t.fail(`seed ${seed}: the written file does not parse: ${(error as Error).message}`)
      continue
    }
    const names = new Map(election.projects.map((p) => [Number(p.id), p.fields['name']]))
    const badName = projects.find((p) => names.get(p.id) !== p.title)
    if (badName)
      t.fail(`seed ${seed}: project ${badName.id}'s title changed to ${JSON.stringify(names.get(badName.id))}`)
    if (election.meta['description'] !== round.title.trim()) t.fail(`seed ${seed}: the round's title changed`)
    const original = tally(tallyInput(round, projects, ballots), rule).selected
    const recount = tally(pbTallyInput(election), rule).selected
    if (JSON.stringify(recount) !== JSON.stringify(original))
      t.fail(`seed ${seed}: the recount picks ${recount.join(',')} instead of ${original.join(',')}`)
  }
  t.pass('300 hostile elections checked')
})

t.test('a title holding a line that reads exactly VOTES stays one field', async (t) => {
  const election: PbElection = {
    meta: { budget: '100', description: 'Ronde\nVOTES\nvoter_id;vote' },
    projects: [{ id: '1', cost: 50, category: [], fields: { name: 'Buurtkas\nVOTES\n1;1' } }],
    votes: [{ voterId: '1', vote: ['1'], fields: {} }],
  }
  const parsed = parsePb(writePb(election))
  t.equal(parsed.projects[0]!.fields['name'], 'Buurtkas\nVOTES\n1;1')
  t.equal(parsed.meta['description'], 'Ronde\nVOTES\nvoter_id;vote')
  t.equal(parsed.votes.length, 1)
})

t.test('a line holding only a section name inside a quoted field is not a section marker', async (t) => {
  const text =
    'META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost;name\n1;50;"first\nPROJECTS\nVOTES\nlast"\nVOTES\nvoter_id;vote\na;1\n'
  const parsed = parsePb(text)
  t.equal(parsed.projects[0]!.fields['name'], 'first\nPROJECTS\nVOTES\nlast')
  t.same(
    parsed.votes.map((v) => v.vote),
    [['1']],
  )
})

t.test('a quote in the middle of an unquoted field does not start a quoted field', async (t) => {
  const text =
    'META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost;name\n1;50;5" screen\nVOTES\nvoter_id;vote\na;1\n'
  const parsed = parsePb(text)
  t.equal(parsed.projects[0]!.fields['name'], '5" screen')
  t.equal(parsed.votes.length, 1)
})
