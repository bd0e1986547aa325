import t, { type Test } from 'tap'
import { parsePb, pbTallyInput } from '../../../server/domain/pabulib/read.js'
import { explanationSteps, type Stage } from '../../../server/domain/results/explanation.js'
import { equalShares, greedy, type TallyInput, type TallyResult } from '../../../server/domain/tally/tally.js'
import { formatEuro } from '../../../server/formatters.js'
import { createTranslator } from '../../../server/i18n.js'
import { explain } from '../../../server/routes/shared/result-view.js'
import { readPabulib, type PabulibFile } from '../../helpers/pabulib.js'
import { recountEqualShares, recountGreedy, type Recount } from '../../helpers/recount.js'

const FILES: PabulibFile[] = [
  'poland_warszawa_2022_rembertow.pb',
  'poland_wieliczka_2023_green-budget.pb',
  'france_toulouse_2019_.pb',
]
const translate = createTranslator()

/** mulberry32: seeded, so a failing sub-election can be named and run again. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = state
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** A part of the voters with a part of the budget: other elections with the same projects. */
function subElection(input: TallyInput, seed: number): TallyInput {
  const next = random(seed)
  const keep = 0.05 + next() * 0.6
  const ballots = input.ballots.filter(() => next() < keep)
  return { ...input, budget: Math.floor(input.budget * (0.1 + next() * 0.9)), ballots }
}

function elections() {
  return FILES.flatMap((file) => {
    // Toulouse is a points election; the recount here counts approval ballots, so it is counted as
    // approval (every listed project one point). Its points count is checked in tests/domain/tally/points.test.ts.
    const { points: _points, ...input } = pbTallyInput(parsePb(readPabulib(file)))
    return [
      { name: file, input },
      ...[1, 2, 3, 4].map((seed) => ({ name: `${file}, sub-election ${seed}`, input: subElection(input, seed) })),
    ]
  })
}

const near = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, scale)

/** The stages each project went through by the recount, in order; a project nobody chose has none. */
function recountStages(recount: Recount, walkStages: Stage[]): Record<string, Stage[]> {
  const stages: Record<string, Stage[]> = {}
  for (const p of recount.purchases) stages[p.id] = ['equal-shares']
  for (const step of recount.walk) stages[step.id] = walkStages
  return stages
}

/** The stages each project's explanation names, for the projects that have any. */
function explainedStages(result: TallyResult): Record<string, Stage[]> {
  const stages: Record<string, Stage[]> = {}
  for (const outcome of result.projects) {
    const steps = explanationSteps(outcome).map((s) => s.stage)
    if (steps.length > 0) stages[outcome.id] = steps
  }
  return stages
}

/** The explanation as a reader sees it, in Dutch. */
const read = (sentences: ReturnType<typeof explain>) => sentences.map((s) => translate('nl', s.key, s.vars)).join(' ')

function checkEqualShares(t: Test, input: TallyInput, result: TallyResult) {
  const voters = input.ballots.length
  const start = input.budget / voters + result.add1Steps! * input.unit
  t.ok(near(result.startPerVoter!, start, start), "each voter's start is the equal part raised by the Add1 steps")
  const recount = recountEqualShares(input, result.startPerVoter!)
  const byId = new Map(result.projects.map((p) => [p.id, p]))

  const traced = result.projects
    .flatMap((p) => (p.reason.kind === 'mes-funded' ? [{ id: p.id, round: p.reason.round }] : []))
    .sort((a, b) => a.round - b.round)
    .map((p) => p.id)
  t.same(
    traced,
    recount.purchases.map((p) => p.id),
    'equal shares bought the same projects in the same order',
  )

  let mistakes = 0
  const wrong = (what: string, id: string) => {
    mistakes++
    if (mistakes <= 5) t.fail(`${id}: ${what}`)
  }
  for (const purchase of recount.purchases) {
    const outcome = byId.get(purchase.id)!
    const reason = outcome.reason
    if (reason.kind !== 'mes-funded') continue
    if (!near(purchase.paid, outcome.cost, outcome.cost))
      wrong(`its payers paid ${purchase.paid}, not its cost`, purchase.id)
    if (reason.payers !== purchase.payers) wrong(`${reason.payers} payers, the recount ${purchase.payers}`, purchase.id)
    if (Math.abs(reason.maxShare - purchase.maxPayment) > 0.5 + 1e-6 * outcome.cost)
      wrong(`each paid at most ${reason.maxShare}, the recount ${purchase.maxPayment}`, purchase.id)
    if (reason.paidAllTheyHad !== purchase.paidAllTheyHad)
      wrong(`${reason.paidAllTheyHad} paid all they had, the recount ${purchase.paidAllTheyHad}`, purchase.id)
    const text = read(explain(outcome, 'nl'))
    if (outcome.cost > 0 && !text.includes(formatEuro(outcome.cost, 'nl')))
      wrong(`the explanation does not say what its supporters paid: ${text}`, purchase.id)
  }

  let left = Infinity
  for (const step of recount.walk) {
    const outcome = byId.get(step.id)!
    const shortfall = outcome.mesReason
    const had = recount.supportersMoney.get(step.id)!
    if (!(had < outcome.cost)) wrong(`its supporters still had ${had}, enough for ${outcome.cost}`, step.id)
    if (shortfall?.needed !== outcome.cost || Math.abs(shortfall.supportersMoney - had) > 1 + 1e-6 * outcome.cost)
      wrong(`its supporters had ${shortfall?.supportersMoney} left by the trace, ${had} by the recount`, step.id)
    const reason = outcome.reason
    if (step.funded) {
      if (reason.kind !== 'completion-funded' || reason.remainingBefore !== step.left || outcome.cost > step.left)
        wrong(`the completion funded it from ${step.left}, the trace says ${JSON.stringify(reason)}`, step.id)
    } else if (reason.kind !== 'completion-did-not-fit' || reason.remaining !== step.left || reason.needed <= step.left)
      wrong(`it did not fit in ${step.left}, the trace says ${JSON.stringify(reason)}`, step.id)
    if (step.left > left) wrong('the money left grew during the completion', step.id)
    left = step.left
    const text = read(explain(outcome, 'nl'))
    if (
      !text.includes(formatEuro(shortfall?.supportersMoney ?? -1, 'nl')) ||
      !text.includes(formatEuro(step.left, 'nl'))
    )
      wrong(`the explanation does not give both stages' figures: ${text}`, step.id)
  }
  t.equal(mistakes, 0, 'every explanation agrees with the recount')

  t.same(explainedStages(result), recountStages(recount, ['equal-shares', 'completion']), 'the stages explained')
}

function checkGreedy(t: Test, input: TallyInput, result: TallyResult) {
  const recount = recountGreedy(input)
  let mistakes = 0
  const byId = new Map(result.projects.map((p) => [p.id, p]))
  for (const step of recount.walk) {
    const reason = byId.get(step.id)!.reason
    const agrees = step.funded
      ? reason.kind === 'greedy-funded' && reason.remainingBefore === step.left
      : reason.kind === 'greedy-did-not-fit' && reason.remaining === step.left
    if (!agrees) mistakes++
  }
  t.equal(mistakes, 0, 'every greedy explanation agrees with the recount')
  t.same(explainedStages(result), recountStages(recount, ['greedy']), 'the stages explained')
}

for (const { name, input } of elections()) {
  t.test(`${name}: every equal-shares explanation holds against a recount`, async (t) => {
    checkEqualShares(t, input, equalShares(input))
  })
  t.test(`${name}: every greedy explanation holds against a recount`, async (t) => {
    checkGreedy(t, input, greedy(input))
  })
}

t.test(
  "a project with 2 votes that loses to projects with 1 vote says its supporters' shares ran out, then that it did not fit",
  async (t) => {
    const costs: [string, number][] = [
      ['a', 18_000],
      ['b', 12_500],
      ['c', 42_000],
      ['f', 7_800],
      ['g', 22_000],
      ['h', 6_000],
      ['i', 4_500],
      ['j', 9_500],
    ]
    const input: TallyInput = {
      budget: 100_000_00,
      projects: costs.map(([id, euros], order) => ({ id, cost: euros * 100, order })),
      ballots: [['a'], ['b', 'f'], ['c', 'g'], ['c', 'g'], ['h', 'i', 'j']],
      unit: 100,
    }
    const result = equalShares(input)
    const c = result.projects.find((p) => p.id === 'c')!
    t.notOk(c.funded)
    t.ok(result.projects.filter((p) => p.funded && p.votes === 1).length > 0, 'projects with fewer votes were funded')
    t.same(explain(c, 'nl'), [
      {
        key: 'results.reason.mes-too-little-money',
        vars: { count: 2, had: formatEuro(18_600_00, 'nl'), needed: formatEuro(42_000_00, 'nl') },
      },
      {
        key: 'results.reason.completion-did-not-fit',
        vars: { left: formatEuro(19_700_00, 'nl'), needed: formatEuro(42_000_00, 'nl') },
      },
    ])
    t.equal(result.startPerVoter, 20_300_00, "every voter's €20,000 raised €300 by Add1")
    const g = result.projects.find((p) => p.id === 'g')!
    t.same(explain(g, 'nl'), [
      {
        key: 'results.reason.mes-funded',
        vars: { count: 2, cost: formatEuro(22_000_00, 'nl'), share: formatEuro(11_000_00, 'nl') },
      },
    ])
  },
)

t.test(
  'the explanation of a free project, of one whose payers paid all they had, and of one nobody chose',
  async (t) => {
    const input: TallyInput = {
      budget: 400,
      projects: [
        { id: 'free', cost: 0, order: 0 },
        { id: 'a', cost: 240, order: 1 },
        { id: 'c', cost: 100, order: 2 },
        { id: 'none', cost: 10, order: 3 },
      ],
      // The third voter has 20 left for c and gives all of it.
      ballots: [['a', 'free'], ['a'], ['a', 'c'], ['c']],
      unit: 1,
    }
    const result = equalShares(input)
    const keys = (id: string) =>
      explain(
        result.projects.find((p) => p.id === id)!,
        'nl',
      ).map((s) => s.key)
    t.same(keys('free'), ['results.reason.mes-funded-free'])
    t.same(keys('none'), ['results.reason.no-votes'])
    t.same(keys('c'), ['results.reason.mes-funded', 'results.reason.mes-paid-all'])
  },
)

t.test('a count of one reads in the singular, in the results and in every explanation', async (t) => {
  const input: TallyInput = {
    budget: 100,
    projects: [
      { id: 'a', cost: 60, order: 0 },
      { id: 'b', cost: 70, order: 1 },
    ],
    ballots: [['a'], ['b']],
    unit: 1,
  }
  const said = (result: TallyResult, id: string, lang: 'nl' | 'en') =>
    explain(
      result.projects.find((p) => p.id === id)!,
      lang,
    )
      .map((s) => translate(lang, s.key, s.vars))
      .join(' ')
  t.match(said(greedy(input), 'a', 'nl'), /^Gekozen met 1 stem:/)
  t.match(said(greedy(input), 'a', 'en'), /^Funded with 1 vote:/)
  t.match(said(equalShares(input), 'a', 'nl'), /1 voorstander betaalde/)
  t.match(said(equalShares(input), 'b', 'nl'), /had de enige voorstander nog/)
})
