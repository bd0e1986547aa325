import t from 'tap'
import { OUTCOME_VERSION, readOutcome, StoredOutcomeError } from '../../server/data/result-outcome.js'
import { tally } from '../../server/domain/tally/tally.js'

const input = {
  budget: 1000,
  unit: 100,
  projects: [
    { id: '1', cost: 600, order: 0 },
    { id: '2', cost: 500, order: 1 },
    { id: '3', cost: 400, order: 2 },
  ],
  ballots: [['1', '2'], ['1'], ['2', '3'], ['3']],
}

t.test(
  'a stored outcome of either rule reads back as it was counted, through JSON as the database keeps it',
  async (t) => {
    for (const rule of ['greedy', 'equal-shares'] as const) {
      const counted = tally(input, rule)
      t.same(readOutcome(OUTCOME_VERSION, JSON.parse(JSON.stringify(counted))), counted, rule)
    }
  },
)

t.test("a result published in version 1, before each voter's start was kept, still reads back", async (t) => {
  const { startPerVoter, ...v1 } = JSON.parse(JSON.stringify(tally(input, 'equal-shares'))) as ReturnType<typeof tally>
  t.type(startPerVoter, 'number', 'version 2 keeps the start')
  t.same(readOutcome(1, v1), v1)
})

t.test('an outcome of another shape or version is refused instead of trusted', async (t) => {
  const stored = JSON.parse(JSON.stringify(tally(input, 'greedy'))) as ReturnType<typeof tally>
  t.throws(() => readOutcome(OUTCOME_VERSION + 1, stored), StoredOutcomeError, 'a version this software does not know')
  t.throws(
    () => readOutcome(OUTCOME_VERSION, { ...stored, selected: [1, 2] }),
    StoredOutcomeError,
    'ids stored as numbers',
  )
  t.throws(
    () =>
      readOutcome(OUTCOME_VERSION, { ...stored, projects: [{ ...stored.projects[0], reason: { kind: 'lottery' } }] }),
    StoredOutcomeError,
    'a reason nobody can explain',
  )
  t.throws(() => readOutcome(OUTCOME_VERSION, null), StoredOutcomeError)
})
