import t from 'tap'
import { LANGUAGE_STEP, LanguageSteps } from '../../../server/domain/voting/language-steps.js'

t.test('a round is due only once LANGUAGE_STEP of its first ballots wait, whatever their languages', async (t) => {
  const steps = new LanguageSteps()
  const due = Array.from({ length: LANGUAGE_STEP }, (_, i) => steps.add(1, i === 2 ? 'ar' : 'nl'))
  t.same(due, [...Array<boolean>(LANGUAGE_STEP - 1).fill(false), true])
  t.equal(steps.add(2, 'tr'), false, "another round's ballots count apart")
  t.same(
    [...steps.take(1)!],
    [
      ['nl', LANGUAGE_STEP - 1],
      ['ar', 1],
    ],
  )
  t.equal(steps.take(1), null, 'taken counts are gone')
  t.same(steps.rounds(), [2])
  t.equal(steps.size(), 1)
})

t.test('counts whose write failed are put back and join the next step', async (t) => {
  const steps = new LanguageSteps()
  for (let i = 0; i < LANGUAGE_STEP; i++) steps.add(1, 'nl')
  const failed = steps.take(1)!
  t.equal(steps.add(1, 'pl'), false)
  steps.putBack(1, failed)
  t.same(Object.fromEntries(steps.take(1)!), { pl: 1, nl: LANGUAGE_STEP })
})
