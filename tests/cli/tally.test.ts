import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = new URL('../..', import.meta.url)
const PABULIB = new URL('../../../shared/pabulib/', import.meta.url)
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })

function tallyCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/tally.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  })
}

t.test('the tally command prints the equal shares outcome of a .pb file as JSON', async (t) => {
  const file = fileURLToPath(new URL('poland_warszawa_2022_rembertow.pb', PABULIB))
  const run = tallyCli([file, '--json'])
  t.equal(run.status, 0, run.stderr)
  const output = JSON.parse(run.stdout) as { rule: string; selected: string[]; total_cost: number; time_ms: number }
  const expected = JSON.parse(readFileSync(new URL('expected.json', PABULIB), 'utf8'))
  const reference = expected.instances['poland_warszawa_2022_rembertow.pb'].outcomes['mes_cost_add1+greedy_votes']
  t.equal(output.rule, 'equal-shares')
  t.same([...output.selected].sort(natural), reference.selected)
  t.equal(output.total_cost, reference.total_cost)
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
