import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listProgressUpdates, publishedResult, publishedSummary, type Result } from '../../data/results.js'
import type { Round } from '../../data/rounds.js'
import { listBallotProjects, turnout } from '../../data/ballots.js'
import { barChart } from '../../domain/results/chart.js'
import { THEMES, TRACKS } from '../../domain/proposals/rules.js'
import { energyTotals, spendingPerTheme, spendingPerTrack } from '../../domain/results/statistics.js'
import type { TallyResult } from '../../domain/tally/tally.js'
import { toCsv } from '../../csv.js'
import type { Lang } from '../../i18n.js'
import { language } from '../../languages.js'
import { theRound } from '../../plugins/auth.js'
import { createMemo } from '../../memo.js'
import { localised } from '../shared/localise.js'
import { resultRows, startPerVoter } from '../shared/result-view.js'
import { progressView } from '../shared/proposal-view.js'
import { officialTexts } from '../shared/official-texts.js'
import { BudgetFilePath, LangQuery, SlugPath } from './schemas.js'
import transparencyRoutes, { PUBLISHED_FRESH_MS } from './transparency.js'
import progressRoutes from './progress.js'
import { contentVersion } from '../shared/round-view.js'
import { publishedGroups } from '../shared/published-groups.js'
import { listBudgets } from '../../data/budgets.js'
import { budgetOf, budgetsOf } from '../../domain/rounds/budgets.js'
import { splitPbByBudget } from '../../domain/pabulib/export.js'
import { sha256 } from '../../domain/common/digest.js'
import type { Db } from '../../../db/client.js'

const euros = (cents: number) => (cents / 100).toFixed(2)
const CSV_COLUMNS = [
  'project_id',
  'reference',
  'title',
  'cost_cents',
  'cost_euros',
  'votes',
  // Only points rounds fill it: a project's points decide it there, as votes do elsewhere.
  'points',
  'funded',
  'reason_kind',
  'reason',
  // The project's point on the map (WGS84), empty when it has none.
  'latitude',
  'longitude',
] as const

/** Everything on the results page that the frozen result decides; progress updates stay live. */
export async function resultsView(app: Pick<FastifyInstance, 'db' | 'translate'>, round: Round, lang: Lang) {
  const result = await publishedSummary(app.db, round.id)
  const outcome = result.outcome
  const rows = resultRows(outcome, await localised(app.db, await listBallotProjects(app.db, round.id), lang), lang)
  const funded = rows.filter((r) => r.funded)
  // Points ballots are counted by points: the chart shows them, where other rounds show votes.
  const byVotes = [...rows].sort((a, b) => b.score - a.score || Number(b.funded) - Number(a.funded))
  const hasPoints = rows.some((r) => r.hasPoints)
  const titleOf = new Map(rows.map((r) => [String(r.id), r.title]))
  return {
    budgets: await budgetRows(app.db, round.id, outcome),
    title: app.translate(lang, 'outcome.title', { title: round.title }),
    round,
    result,
    funded,
    notFunded: rows.filter((r) => !r.funded),
    rows: byVotes,
    spent: outcome.totalCost,
    left: round.budgetCents - outcome.totalCost,
    chart: barChart(
      byVotes.map((r) => ({ label: r.title, value: r.score, highlight: r.funded })),
      language(lang).dir,
    ),
    energy: energyTotals(funded),
    tracks: spendingPerTrack(funded, TRACKS).map((row) => ({ ...row, labelKey: `track.${row.key}` })),
    themes: spendingPerTheme(funded, THEMES).map((row) => ({ ...row, labelKey: `theme.${row.key}` })),
    hasPoints,
    chartHeadingKey: hasPoints ? 'outcome.pointsHeading' : 'outcome.votesHeading',
    ruleKey: `outcome.rule.${result.rule}`,
    startPerVoter: startPerVoter(outcome, lang),
    ties: outcome.ties.map((tie) => ({
      stageKey: `outcome.ties.stage.${tie.stage}`,
      tied: tie.tied.map((id) => titleOf.get(id) ?? id).join(', '),
      winner: titleOf.get(tie.winner) ?? tie.winner,
    })),
  }
}

/** A round of several budgets: each budget's count, named, with where its leftover went. */
export async function budgetRows(db: Db, roundId: number, outcome: TallyResult) {
  if (!outcome.budgets) return []
  const names = new Map((await listBudgets(db, roundId)).map((b) => [String(b.id), b.name]))
  return outcome.budgets.map((b) => ({
    ...b,
    name: names.get(b.id) ?? b.id,
    left: b.kept + b.moved,
    movedToName: b.movedTo === null ? null : (names.get(b.movedTo) ?? b.movedTo),
  }))
}

export default async function publicResultsRoutes(fastify: FastifyInstance) {
  const memo = createMemo(PUBLISHED_FRESH_MS)
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const view = { config: { action: 'results.view' as const } }

  /** The round the guard let through (a published one) with its frozen result. */
  async function published(request: FastifyRequest): Promise<{ round: Round; result: Result; outcome: TallyResult }> {
    const round = theRound(request)
    const result = await publishedResult(app.db, round.id)
    return { round, result, outcome: result.outcome }
  }

  async function openDataRows(round: Round, outcome: TallyResult, lang: Lang) {
    const rows = resultRows(outcome, await localised(app.db, await listBallotProjects(app.db, round.id), lang), lang)
    const reasonKind = new Map(outcome.projects.map((p) => [p.id, p.reason.kind]))
    return rows.map((r) => ({
      project_id: r.id,
      reference: r.reference,
      title: r.title,
      cost_cents: r.costCents,
      cost_euros: euros(r.costCents),
      votes: r.votes,
      points: r.hasPoints ? r.points : null,
      funded: r.funded,
      reason_kind: reasonKind.get(String(r.id)) ?? '',
      reason: r.explanation.map((sentence) => app.translate(lang, sentence.key, sentence.vars)).join(' '),
      latitude: r.latitude,
      longitude: r.longitude,
    }))
  }

  /** Turnout per group against population, with the groups too small to publish merged into "other" (label null). */
  async function openTurnoutRows(round: Round) {
    const published = await publishedGroups(app.db, round.id, await turnout(app.db, round.id))
    const row = (g: (typeof published.groups)[number], other: boolean) => ({
      group: other ? null : g.label,
      other,
      codes_issued: g.issued,
      ballots_online: g.online,
      ballots_paper: g.paper,
      ballots_counted: g.cast,
      residents: g.residents,
      percent_of_codes: g.percent,
      percent_of_residents: g.populationPercent,
    })
    return {
      min_group_voters: published.minGroupVoters,
      groups: [...published.groups.map((g) => row(g, false)), ...(published.other ? [row(published.other, true)] : [])],
    }
  }

  const download = (reply: FastifyReply, type: string, filename: string) =>
    reply.type(type).header('Content-Disposition', `attachment; filename="${filename}"`)

  app.get('/rounds/:slug/results', { schema: { params: SlugPath }, ...view }, async (request, reply) => {
    const round = theRound(request)
    const page = await memo.get(`results:${round.id}:${request.lang}`, () => resultsView(app, round, request.lang))
    // Progress updates stay live: the round row, read on every visit anyway, counts them, and the kept page is
    // made again (reading them) when that count moves.
    return reply.renderKept(
      `results:${round.id}`,
      [page, contentVersion(round)],
      'pages/public/results.hbs',
      async () => {
        const [updates, show] = await Promise.all([
          listProgressUpdates(
            app.db,
            page.funded.map((r) => r.id),
          ),
          officialTexts(app.db, round.id, request.lang),
        ])
        return {
          ...page,
          funded: page.funded.map((r) => ({
            ...r,
            updates: progressView(updates.filter((u) => u.proposalId === r.id)).map((u) => ({
              ...u,
              shown: show({ kind: 'progress', subjectId: u.id }, u.text),
            })),
          })),
          hasUpdates: updates.length > 0,
        }
      },
    )
  })

  app.get(
    '/rounds/:slug/results.csv',
    {
      schema: { params: SlugPath, querystring: LangQuery },
      ...view,
    },
    async (request, reply) => {
      const found = await published(request)
      const rows = await openDataRows(found.round, found.outcome, request.query.lang ?? request.lang)
      const csv = toCsv(
        CSV_COLUMNS,
        rows.map((row) => CSV_COLUMNS.map((column) => row[column])),
      )
      return download(reply, 'text/csv; charset=utf-8', `${found.round.slug}-results.csv`).send(csv)
    },
  )

  app.get(
    '/rounds/:slug/results.json',
    {
      schema: { params: SlugPath, querystring: LangQuery },
      ...view,
    },
    async (request, reply) => {
      const found = await published(request)
      const { round, result, outcome } = found
      const lang = request.query.lang ?? request.lang
      return download(reply, 'application/json; charset=utf-8', `${round.slug}-results.json`).send({
        round: {
          slug: round.slug,
          title: round.title,
          neighbourhood: round.neighbourhood,
          budget_cents: round.budgetCents,
          budget_euros: euros(round.budgetCents),
          ballot_format: round.ballotFormat,
          max_choices: round.maxChoices,
        },
        rule: result.rule,
        published_at: result.publishedAt.toISOString(),
        ballot_count: result.ballotCount,
        ballots_sha256: result.ballotsSha256,
        ballots_url: `/rounds/${round.slug}/ballots.pb`,
        software_version: result.softwareVersion,
        language: lang,
        total_cost_cents: outcome.totalCost,
        total_cost_euros: euros(outcome.totalCost),
        projects: await openDataRows(round, outcome, lang),
        ties: outcome.ties,
        // A round split into budgets: each budget's own count (empty for a round of one budget).
        budgets: (await budgetRows(app.db, round.id, outcome)).map((b) => ({
          id: b.id,
          name: b.name,
          amount_cents: b.amount,
          received_cents: b.received,
          spent_cents: b.spent,
          kept_cents: b.kept,
          moved_cents: b.moved,
          moved_to: b.movedTo,
          voters: b.voters,
          selected: b.selected,
        })),
        turnout_by_group: await openTurnoutRows(round),
      })
    },
  )

  /** A round of several budgets: each budget's own `.pb`, cut from the round's published file. */
  async function budgetFiles(round: Round, result: Result) {
    const [projects, names] = await Promise.all([listBallotProjects(app.db, round.id), listBudgets(app.db, round.id)])
    const all = budgetsOf(round, names)
    const { outcome } = result
    // A round of one budget is a set of one: the whole round, as it was counted.
    const counted = outcome.budgets ?? [
      {
        id: '0',
        amount: round.budgetCents,
        received: 0,
        spent: outcome.totalCost,
        kept: round.budgetCents - outcome.totalCost,
        moved: 0,
        movedTo: null,
        voters: result.ballotCount,
        selected: outcome.selected,
      },
    ]
    const parts = counted.map((b) => ({
      ...b,
      name: all.find((x) => String(x.id) === b.id)?.name ?? b.id,
      countedCents: b.amount + b.received,
      projectIds: projects.filter((p) => String(budgetOf(all, p.budgetId).id) === b.id).map((p) => String(p.id)),
    }))
    const files = new Map(splitPbByBudget(result.ballotsPb, parts).map((f) => [f.id, f.pb]))
    return parts.map((p) => ({ ...p, pb: files.get(p.id)! }))
  }

  // The file that ties a round's budget files together: what each budget had, where its rest went, and its file.
  app.get('/rounds/:slug/budgets.json', { schema: { params: SlugPath }, ...view }, async (request, reply) => {
    const { round, result } = await published(request)
    const files = await budgetFiles(round, result)
    return download(reply, 'application/json; charset=utf-8', `${round.slug}-budgets.json`).send({
      round: round.slug,
      rule: result.rule,
      ballots_url: `/rounds/${round.slug}/ballots.pb`,
      ballots_sha256: result.ballotsSha256,
      budgets: files.map((f) => ({
        id: f.id,
        subunit: f.name,
        amount_cents: f.amount,
        received_cents: f.received,
        counted_cents: f.countedCents,
        moved_cents: f.moved,
        moved_to: f.movedTo,
        // Counted in this order: a budget that receives a leftover after the one that sends it.
        selected: f.selected,
        file: `/rounds/${round.slug}/budgets/${f.id}/ballots.pb`,
        sha256: sha256(f.pb),
      })),
    })
  })

  app.get(
    '/rounds/:slug/budgets/:budget/ballots.pb',
    { schema: { params: BudgetFilePath }, ...view },
    async (request, reply) => {
      const { round, result } = await published(request)
      const file = (await budgetFiles(round, result)).find((f) => f.id === request.params.budget)
      if (!file) return reply.callNotFound()
      return download(reply, 'text/plain; charset=utf-8', `${round.slug}-budget-${file.id}.pb`).send(file.pb)
    },
  )

  app.get('/rounds/:slug/ballots.pb', { schema: { params: SlugPath }, ...view }, async (request, reply) => {
    const found = await published(request)
    return download(reply, 'text/plain; charset=utf-8', `${found.round.slug}-ballots.pb`).send(found.result.ballotsPb)
  })

  await app.register(transparencyRoutes)
  await app.register(progressRoutes)
}
