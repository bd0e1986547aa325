import { readFileSync } from 'node:fs'
import t from 'tap'
import { parsePb, pbTallyInput } from '../../server/domain/pabulib.js'
import {
  equalShares,
  greedy,
  methodOfEqualShares,
  type TallyInput,
  type TallyResult,
} from '../../server/domain/tally.js'

const PABULIB = new URL('../../../shared/pabulib/', import.meta.url)

interface Expected {
  instances: Record<string, { outcomes: Record<string, { selected: string[]; total_cost: number }> }>
}
const expected = JSON.parse(readFileSync(new URL('expected.json', PABULIB), 'utf8')) as Expected

const RULES: Record<string, (input: TallyInput) => TallyResult> = {
  greedy_votes: greedy,
  mes_cost: methodOfEqualShares,
  'mes_cost_add1+greedy_votes': equalShares,
}

const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })

for (const [file, instance] of Object.entries(expected.instances)) {
  t.test(`${file}: every rule reproduces the reference outcome exactly`, async (t) => {
    const input = pbTallyInput(parsePb(readFileSync(new URL(file, PABULIB), 'utf8')))
    for (const [name, reference] of Object.entries(instance.outcomes)) {
      const rule = RULES[name]
      if (!rule) throw new Error(`expected.json has a rule this test does not know: ${name}`)
      const result = rule(input)
      t.same([...result.selected].sort(natural), reference.selected, `${name}: selected`)
      t.equal(result.totalCost, reference.total_cost, `${name}: total cost`)
    }
  })
}

t.test('a cumulative election counts every listed project as a vote, whatever the points', async (t) => {
  const parsed = parsePb(readFileSync(new URL('france_toulouse_2019_.pb', PABULIB), 'utf8'))
  const result = greedy(pbTallyInput(parsed))
  const listed = new Map<string, number>()
  for (const vote of parsed.votes) for (const id of vote.vote) listed.set(id, (listed.get(id) ?? 0) + 1)
  for (const project of result.projects) t.equal(project.votes, listed.get(project.id) ?? 0, project.id)
})
