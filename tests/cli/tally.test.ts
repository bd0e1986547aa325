import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { natural, PABULIB_DIR, reference } from '../helpers/pabulib.js'

const root = new URL('../..', import.meta.url)

function tallyCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/tally.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  })
}

t.test('the tally command prints the equal shares outcome of a .pb file as JSON', async (t) => {
  const run = tallyCli([`${PABULIB_DIR}poland_warszawa_2022_rembertow.pb`, '--json'])
  t.equal(run.status, 0, run.stderr)
  const output = JSON.parse(run.stdout) as { rule: string; selected: string[]; total_cost: number; time_ms: number }
  const expected = reference.instances['poland_warszawa_2022_rembertow.pb']!.outcomes['mes_cost_add1+greedy_votes']!
  t.equal(output.rule, 'equal-shares')
  t.same([...output.selected].sort(natural), expected.selected)
  t.equal(output.total_cost, expected.total_cost)
  t.type(output.time_ms, 'number')
})

t.test('the tally command names the faulty line of a malformed file and exits with 1', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'wb-tally-')), 'bad.pb')
  writeFileSync(file, 'META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n1;50\nVOTES\nvoter_id;vote\n7;1,2\n')
  const run = tallyCli([file, '--rule', 'greedy'])
  t.equal(run.status, 1)
  t.match(run.stderr, 'line 9: voter 7 voted for project 2, which is not in PROJECTS')

  const badRule = tallyCli([file, '--rule', 'dhondt'])
  t.equal(badRule.status, 1)
  t.match(badRule.stderr, 'unknown rule "dhondt"')
})
