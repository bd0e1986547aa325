import t from 'tap'
import {
  parsePb,
  PbFormatError,
  scanPb,
  writePb,
  type PbElection,
  type PbVote,
} from '../../../server/domain/pabulib/read.js'
import { readPabulib as read } from '../../helpers/pabulib.js'

/** A small valid file; line numbers matter to the error cases below. */
const VALID = [
  'META', //                 1
  'key;value', //            2
  'budget;100', //           3
  'num_projects;2', //       4
  'num_votes;2', //          5
  'PROJECTS', //             6
  'project_id;cost;name', // 7
  '1;50;One', //             8
  '2;60;Two', //             9
  'VOTES', //                10
  'voter_id;vote', //        11
  'a;1,2', //                12
  'b;2', //                  13
]

/** VALID with some lines (1-based) replaced; undefined removes the line. */
function variant(changes: Record<number, string | undefined>): string {
  return (
    VALID.flatMap((line, i) => {
      if (!(i + 1 in changes)) return [line]
      const changed = changes[i + 1]
      return changed === undefined ? [] : [changed]
    }).join('\n') + '\n'
  )
}

t.test('parses a real election: string ids, costs, categories, other columns and every ballot', async (t) => {
  const election = parsePb(read('poland_warszawa_2022_rembertow.pb'))
  t.equal(election.meta['budget'], '935751')
  t.equal(election.meta['vote_type'], 'approval')
  t.equal(election.projects.length, 66)
  t.equal(election.votes.length, 1288)
  const first = election.projects[0]!
  t.equal(first.id, '127')
  t.equal(first.cost, 24000)
  t.same(first.category, ['public space', 'environmental protection', 'education'])
  t.equal(first.fields['name'], 'Pojemniki na nakrętki Serce')
  t.equal(first.fields['selected'], '1')
  const voter = election.votes[0]!
  t.equal(voter.voterId, '176')
  t.same(voter.vote.slice(0, 3), ['127', '128', '129'])
  t.equal(voter.points, undefined)
  t.same(voter.fields, { age: '15', sex: 'M', voting_method: 'internet' })
})

t.test('a quoted field keeps its semicolons and doubled quotes', async (t) => {
  const wieliczka = parsePb(read('poland_wieliczka_2023_green-budget.pb'))
  const park = wieliczka.projects.find((p) => p.id === '80')!
  t.equal(park.fields['name'], 'Drzewne przytulasy i relaksacyjne gniazda w Parku "Stok pod Baranem"')
  const text = variant({ 8: '1;50;"One; or ""the first"""' })
  t.equal(parsePb(text).projects[0]!.fields['name'], 'One; or "the first"')
})

t.test('a byte order mark and CRLF line ends parse like plain text', async (t) => {
  const plain = parsePb(variant({}))
  t.same(parsePb('\uFEFF' + variant({}).replaceAll('\n', '\r\n')), plain)
  t.same(
    plain.projects.map((p) => p.id),
    ['1', '2'],
  )
  t.same(plain.votes[0]!.vote, ['1', '2'])
})

t.test('cumulative ballots keep their points in the order of the vote', async (t) => {
  const toulouse = parsePb(read('france_toulouse_2019_.pb'))
  t.same(toulouse.votes[0]!.vote, ['15', '22', '25', '10'])
  t.same(toulouse.votes[0]!.points, [2, 2, 2, 1])
})

t.test('a cumulative file within its max_points and max_sum_points is read, META kept for the writer', async (t) => {
  const text = variant({
    4: 'vote_type;cumulative',
    5: 'max_points;3\nmax_sum_points;5',
    11: 'voter_id;vote;points',
    12: 'a;1,2;3,2',
    13: 'b;2;3',
  })
  const parsed = parsePb(text)
  t.same(
    parsed.votes.map((v) => v.points),
    [[3, 2], [3]],
  )
  const written = writePb(parsed)
  t.match(written, /\nvote_type;cumulative\nmax_points;3\nmax_sum_points;5\n/)
  t.match(written, /\nVOTES\nvoter_id;vote;points\na;1,2;3,2\nb;2;3\n$/)
})

t.test('an empty vote is a ballot all the same', async (t) => {
  const election = parsePb(variant({ 5: 'num_votes;3', 13: 'b;2\nc;' }))
  t.same(election.votes[2], { voterId: 'c', vote: [], fields: {} })
})

const ERRORS: { name: string; text: string; code: string; line: number; params?: object }[] = [
  {
    name: 'no PROJECTS section',
    text: variant({ 6: undefined, 7: undefined, 8: undefined, 9: undefined }),
    code: 'missing-section',
    line: 6,
    params: { section: 'PROJECTS' },
  },
  {
    name: 'no VOTES section',
    text: variant({ 10: undefined, 11: undefined, 12: undefined, 13: undefined }),
    code: 'missing-section',
    line: 9,
    params: { section: 'VOTES' },
  },
  {
    name: 'text before META',
    text: 'hello\n' + variant({}),
    code: 'missing-section',
    line: 1,
    params: { section: 'META' },
  },
  {
    name: 'PROJECTS before META',
    text: VALID.slice(5, 9).concat(VALID.slice(0, 5), VALID.slice(9)).join('\n'),
    code: 'section-out-of-order',
    line: 1,
    params: { section: 'PROJECTS', expected: 'META' },
  },
  { name: 'a second VOTES section', text: variant({}) + 'VOTES\n', code: 'repeated-section', line: 14 },
  {
    name: 'no project_id column',
    text: variant({ 7: 'id;cost;name' }),
    code: 'missing-column',
    line: 7,
    params: { section: 'PROJECTS', column: 'project_id' },
  },
  {
    name: 'no cost column',
    text: variant({ 7: 'project_id;price;name' }),
    code: 'missing-column',
    line: 7,
    params: { section: 'PROJECTS', column: 'cost' },
  },
  {
    name: 'no voter_id column',
    text: variant({ 11: 'voter;vote' }),
    code: 'missing-column',
    line: 11,
    params: { section: 'VOTES', column: 'voter_id' },
  },
  {
    name: 'no vote column',
    text: variant({ 11: 'voter_id;votes' }),
    code: 'missing-column',
    line: 11,
    params: { section: 'VOTES', column: 'vote' },
  },
  {
    name: 'a cost that is not a number',
    text: variant({ 8: '1;fifty;One' }),
    code: 'invalid-cost',
    line: 8,
    params: { projectId: '1', value: 'fifty' },
  },
  {
    name: 'a negative cost',
    text: variant({ 9: '2;-60;Two' }),
    code: 'invalid-cost',
    line: 9,
    params: { projectId: '2', value: '-60' },
  },
  { name: 'an empty cost', text: variant({ 9: '2;;Two' }), code: 'invalid-cost', line: 9 },
  {
    name: 'a vote for an unknown project',
    text: variant({ 13: 'b;3' }),
    code: 'unknown-project',
    line: 13,
    params: { voterId: 'b', projectId: '3' },
  },
  {
    name: 'num_votes disagreeing with the rows',
    text: variant({ 5: 'num_votes;3' }),
    code: 'count-mismatch',
    line: 5,
    params: { key: 'num_votes', stated: '3', count: 2 },
  },
  {
    name: 'num_projects disagreeing with the rows',
    text: variant({ 4: 'num_projects;1' }),
    code: 'count-mismatch',
    line: 4,
    params: { key: 'num_projects', stated: '1', count: 2 },
  },
  { name: 'no budget', text: variant({ 3: 'currency;PLN' }), code: 'missing-budget', line: 2 },
  { name: 'a budget that is not a number', text: variant({ 3: 'budget;lots' }), code: 'invalid-budget', line: 3 },
  { name: 'a quote never closed', text: variant({ 8: '1;50;"One' }), code: 'csv-syntax', line: 8 },
  {
    name: 'an unquoted semicolon',
    text: variant({ 9: '2;60;Two;or three' }),
    code: 'wrong-field-count',
    line: 9,
    params: { section: 'PROJECTS', expected: 3, found: 4 },
  },
  { name: 'a project listed twice', text: variant({ 9: '1;60;Two' }), code: 'duplicate-project', line: 9 },
  { name: 'a voter listed twice', text: variant({ 13: 'a;2' }), code: 'duplicate-voter', line: 13 },
  {
    name: 'a voter without id',
    text: variant({ 12: ';1,2' }),
    code: 'missing-id',
    line: 12,
    params: { section: 'VOTES', column: 'voter_id' },
  },
  {
    name: 'points not matching the vote',
    text: variant({ 11: 'voter_id;vote;points', 12: 'a;1,2;3', 13: 'b;2;1' }),
    code: 'invalid-points',
    line: 12,
  },
  {
    name: 'more points on one project than max_points (entries for a project add up)',
    text: variant({
      4: 'vote_type;cumulative',
      5: 'max_points;3',
      11: 'voter_id;vote;points',
      12: 'a;1,2;3,3',
      13: 'b;2,2;2,2',
    }),
    code: 'points-over-max',
    line: 13,
    params: { voterId: 'b', key: 'max_points', max: 3, given: 4 },
  },
  {
    name: 'more points in all than max_sum_points',
    text: variant({ 4: 'vote_type;cumulative', 5: 'max_sum_points;5', 11: 'voter_id;vote;points', 12: 'a;1,2;3,3' }),
    code: 'points-over-max',
    line: 12,
    params: { voterId: 'a', key: 'max_sum_points', max: 5, given: 6 },
  },
  {
    name: 'negative points on a cumulative ballot',
    text: variant({ 4: 'vote_type;cumulative', 11: 'voter_id;vote;points', 12: 'a;1,2;2,-1' }),
    code: 'invalid-points',
    line: 12,
  },
  {
    name: 'blank lines before the bad row',
    text: variant({ 12: '\n\na;1,2', 13: 'b;3' }),
    code: 'unknown-project',
    line: 15,
  },
]

for (const { name, text, code, line, params } of ERRORS) {
  t.test(`a file with ${name} is refused, naming line ${line}`, async (t) => {
    for (const [ending, source] of [
      ['LF', text],
      ['CRLF', text.replaceAll('\n', '\r\n')],
    ] as const) {
      const error = t.throws(() => parsePb(source), PbFormatError, ending) as PbFormatError
      t.equal(error.code, code, `${ending}: code`)
      t.equal(error.line, line, `${ending}: line`)
      t.match(error.message, new RegExp(`^line ${line}: \\S`), `${ending}: the message names the line`)
      if (params) t.same(error.params, params, `${ending}: params`)
    }
  })
}

/** scanPb over a text, its votes collected: what parsePb would return. */
function scanned(text: string): PbElection {
  const votes: PbVote[] = []
  const { voteCount, ...rest } = scanPb(text, (vote) => votes.push(vote))
  if (voteCount !== votes.length) throw new Error(`${voteCount} votes counted, ${votes.length} visited`)
  return { ...rest, votes }
}

t.test('scanPb hands over, one at a time, the votes parsePb returns, with the same meta and projects', async (t) => {
  for (const file of [
    'poland_warszawa_2022_rembertow.pb',
    'poland_wieliczka_2023_green-budget.pb',
    'france_toulouse_2019_.pb',
  ] as const) {
    t.same(scanned(read(file)), parsePb(read(file)), file)
  }
  for (const text of [
    variant({}),
    variant({ 5: 'num_votes;3', 13: 'b;2\nc;' }),
    variant({ 12: '\n\na;1,2' }).replaceAll('\n', '\r\n'),
    variant({ 12: ' ; \na;1,2' }),
    variant({}).trimEnd(),
    variant({}).trimEnd() + '\r',
  ]) {
    t.same(scanned(text), parsePb(text))
  }
  t.same(scanned(variant({ 5: 'num_votes;0', 12: undefined, 13: undefined })).votes, [], 'a header and no votes')
})

t.test('scanPb refuses every file parsePb refuses, naming the same fault', async (t) => {
  const more = [
    { name: 'a vote row wider than its header', text: variant({ 13: 'b;2;x' }), code: 'wrong-field-count', line: 13 },
    { name: 'a quote never closed among the votes', text: variant({ 13: 'b;"2' }), code: 'csv-syntax', line: 13 },
    {
      name: 'a VOTES section without a header',
      text: variant({ 11: undefined, 12: undefined, 13: undefined }),
      code: 'missing-column',
      line: 10,
    },
  ]
  for (const { name, text, code, line } of [...ERRORS, ...more]) {
    t.throws(() => parsePb(text), { code, line }, `parsePb: ${name}`)
    t.throws(() => scanPb(text, () => {}), { code, line }, `scanPb: ${name}`)
  }
})

const TRICKY: PbElection = {
  meta: { description: 'Wijk; "Bospolder"', budget: '10000000', vote_type: 'approval' },
  projects: [
    {
      id: 'p1',
      cost: 250000,
      category: ['energy poverty', 'green'],
      fields: { name: 'Energy coaches; in "your" language' },
    },
    { id: 'p2', cost: 0, category: [], fields: { name: 'Two\nlines' } },
  ],
  votes: [
    { voterId: '1', vote: ['p2', 'p1'], fields: { group: '3022' } },
    { voterId: '2', vote: [], fields: { group: '' } },
  ],
}

t.test('writePb output parses back to the same election', async (t) => {
  for (const file of ['poland_warszawa_2022_rembertow.pb', 'france_toulouse_2019_.pb'] as const) {
    const election = parsePb(read(file))
    t.same(parsePb(writePb(election)), election, file)
  }
  t.same(
    parsePb(writePb(TRICKY)),
    { ...TRICKY, meta: { ...TRICKY.meta, num_projects: '2', num_votes: '2' } },
    'quotes, semicolons, line breaks, an empty vote',
  )
  const scored: PbElection = { ...TRICKY, votes: [{ voterId: '1', vote: ['p1', 'p2'], points: [3, 1], fields: {} }] }
  t.same(parsePb(writePb(scored)).votes, scored.votes, 'points')
})

t.test('writePb sets num_projects and num_votes from the rows', async (t) => {
  const text = writePb({ ...TRICKY, meta: { ...TRICKY.meta, num_votes: '99' } })
  t.match(text, /^META\nkey;value\n/)
  t.match(text, /\nnum_projects;2\n/)
  t.match(text, /\nnum_votes;2\n/)
})

t.test('writePb refuses an id that would break a comma-separated list', async (t) => {
  t.throws(() => writePb({ ...TRICKY, votes: [{ voterId: '1', vote: ['a,b'], fields: {} }] }), /comma/)
})
