import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { parsePb, pbTallyInput, PbFormatError } from '../domain/pabulib/read.js'
import { TALLY_RULES, tally, type ProjectOutcome, type TallyResult, type TallyRule } from '../domain/tally/tally.js'

const USAGE = `usage: npm run tally -- <file.pb> [--rule ${TALLY_RULES.join('|')}] [--json]
Tallies a Pabulib election (default rule: equal-shares) and explains every project.
A cumulative election (vote_type;cumulative) is counted with its points.`

const amount = (value: number) => value.toLocaleString('en')

/** Plain English for one project; the web app translates the same reasons itself. */
function explain(outcome: ProjectOutcome): string {
  const { reason, mesReason } = outcome
  const before = mesReason
    ? `under equal shares its supporters had ${amount(mesReason.supportersMoney)} left of the ${amount(mesReason.needed)} needed; `
    : ''
  switch (reason.kind) {
    case 'no-votes':
      return 'not funded: nobody voted for it'
    case 'greedy-funded':
      return `funded: it fit in the ${amount(reason.remainingBefore)} still available`
    case 'greedy-did-not-fit':
      return `not funded: it needed ${amount(reason.needed)} but only ${amount(reason.remaining)} was left`
    case 'mes-funded': {
      const all = reason.paidAllTheyHad > 0 ? `, ${amount(reason.paidAllTheyHad)} of them all they had left` : ''
      return `funded in round ${reason.round} of equal shares: ${amount(reason.payers)} supporters paid, at most ${amount(reason.maxShare)} each${all}`
    }
    case 'mes-too-little-money':
      return `not funded: its supporters had ${amount(reason.supportersMoney)} left, it needed ${amount(reason.needed)}`
    case 'completion-funded':
      return `funded in the completion: ${before}it fit in the ${amount(reason.remainingBefore)} left over`
    case 'completion-did-not-fit':
      return `not funded: ${before}the ${amount(reason.remaining)} left over was too little`
  }
}

function printText(result: TallyResult, budget: number, ms: number): void {
  const width = Math.max(...result.projects.map((p) => p.id.length), 7)
  console.log(`rule: ${result.rule}`)
  console.log(`selected (${result.selected.length}): ${result.selected.join(' ')}`)
  console.log(`total cost: ${amount(result.totalCost)} of ${amount(budget)}`)
  if (result.add1Steps !== undefined)
    console.log(`Add1: every voter's start raised ${result.add1Steps} times by one unit`)
  const cumulative = result.projects.some((p) => p.points !== undefined)
  const pointsOf = (p: ProjectOutcome) => (cumulative ? `${amount(p.points ?? 0).padStart(8)}  ` : '')
  console.log('')
  console.log(
    `${'project'.padEnd(width)}  ${'votes'.padStart(7)}  ${cumulative ? `${'points'.padStart(8)}  ` : ''}${'cost'.padStart(11)}  explanation`,
  )
  for (const p of result.projects) {
    console.log(
      `${p.id.padEnd(width)}  ${amount(p.votes).padStart(7)}  ${pointsOf(p)}${amount(p.cost).padStart(11)}  ${explain(p)}`,
    )
  }
  if (result.ties.length > 0) {
    console.log('')
    console.log(`ties broken (lower cost first, then more ${cumulative ? 'points' : 'votes'}, then submission order):`)
    for (const tie of result.ties) console.log(`  ${tie.stage}: ${tie.tied.join(', ')} -> ${tie.winner} first`)
  }
  console.log('')
  console.log(`time: ${ms.toFixed(1)} ms`)
}

function fail(message: string): number {
  console.error(message)
  return 1
}

function main(argv: string[]): number {
  let args
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { rule: { type: 'string', default: 'equal-shares' }, json: { type: 'boolean', default: false } },
    })
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`)
  }
  const [file, ...extra] = args.positionals
  const rule = args.values.rule as TallyRule
  if (!file || extra.length > 0) return fail(USAGE)
  if (!TALLY_RULES.includes(rule)) return fail(`unknown rule "${rule}"\n${USAGE}`)

  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    return fail(`cannot read ${file}: ${(error as Error).message}`)
  }
  let election
  try {
    election = parsePb(text)
  } catch (error) {
    if (error instanceof PbFormatError) return fail(`${file}: ${error.message}`)
    throw error
  }

  const input = pbTallyInput(election)
  const started = performance.now()
  const result = tally(input, rule)
  const ms = performance.now() - started
  if (args.values.json) {
    const { rule: name, selected, totalCost, projects, ties, add1Steps } = result
    const json = {
      rule: name,
      selected,
      total_cost: totalCost,
      budget: input.budget,
      add1_steps: add1Steps,
      projects,
      ties,
    }
    console.log(JSON.stringify({ ...json, time_ms: Math.round(ms) }, null, 2))
  } else {
    printText(result, input.budget, ms)
  }
  return 0
}

process.exitCode = main(process.argv.slice(2))
