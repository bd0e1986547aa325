import t from 'tap'
import { parsePb, pbTallyInput } from '../../../server/domain/pabulib/read.js'
import {
  equalShares,
  greedy,
  methodOfEqualShares,
  type TallyInput,
  type TallyResult,
} from '../../../server/domain/tally/tally.js'

import { natural, readPabulib, reference, type PabulibFile } from '../../helpers/pabulib.js'

const RULES: Record<string, (input: TallyInput) => TallyResult> = {
  greedy_votes: greedy,
  mes_cost: methodOfEqualShares,
  'mes_cost_add1+greedy_votes': equalShares,
}

t.test('the fixtures hold reference outcomes for at least two elections', async (t) => {
  t.ok(Object.keys(reference.instances).length >= 2)
})

for (const [file, instance] of Object.entries(reference.instances)) {
  t.test(`${file}: every rule reproduces the reference outcome exactly`, async (t) => {
    const input = pbTallyInput(parsePb(readPabulib(file as PabulibFile)))
    t.equal(input.budget, instance.budget, 'budget')
    t.equal(input.ballots.length, instance.num_voters, 'voters')
    t.equal(input.projects.length, instance.num_projects, 'projects')
    for (const [name, reference] of Object.entries(instance.outcomes)) {
      const rule = RULES[name]
      if (!rule) throw new Error(`expected.json has a rule this test does not know: ${name}`)
      const result = rule(input)
      t.same([...result.selected].sort(natural), reference.selected, `${name}: selected`)
      t.equal(result.totalCost, reference.total_cost, `${name}: total cost`)
    }
  })
}

t.test(
  'a cumulative election is counted with its points: votes are the voters who gave points, points their sum',
  async (t) => {
    const parsed = parsePb(readPabulib('france_toulouse_2019_.pb'))
    const result = greedy(pbTallyInput(parsed))
    const listed = new Map<string, number>()
    const points = new Map<string, number>()
    for (const vote of parsed.votes) {
      vote.vote.forEach((id, k) => {
        listed.set(id, (listed.get(id) ?? 0) + 1)
        points.set(id, (points.get(id) ?? 0) + vote.points![k]!)
      })
    }
    for (const project of result.projects) {
      t.equal(project.votes, listed.get(project.id) ?? 0, `${project.id}: votes`)
      t.equal(project.points, points.get(project.id) ?? 0, `${project.id}: points`)
    }
    const byPoints = [...points].sort(([, a], [, b]) => b - a)
    t.equal(result.selected[0], byPoints[0]![0], 'greedy starts with the project with most points')
  },
)
