import type { FastifyInstance, FastifyReply } from 'fastify'
import { findResult, listProgressUpdates, type Result } from '../../data/results.js'
import { findRoundBySlug, type Round } from '../../data/rounds.js'
import { listBallotProjects } from '../../data/voting.js'
import { barChart } from '../../domain/chart.js'
import { THEMES, TRACKS } from '../../domain/proposal-rules.js'
import { energyTotals, spendingPerTheme, spendingPerTrack } from '../../domain/statistics.js'
import type { TallyResult } from '../../domain/tally.js'
import { LANGUAGES, type Lang } from '../../i18n.js'
import { resultRows } from '../shared/result-view.js'
import transparencyRoutes from './transparency.js'

interface SlugParams {
  slug: string
}
interface LangQuery {
  lang?: Lang
}

const slugParams = { type: 'object', properties: { slug: { type: 'string', maxLength: 100 } }, required: ['slug'] } as const
// Open data is read by programs too: they choose the language of the reasons without a cookie.
const langQuery = { type: 'object', properties: { lang: { type: 'string', enum: [...LANGUAGES] } } } as const

const euros = (cents: number) => (cents / 100).toFixed(2)

/** One CSV field (RFC 4180); text that a spreadsheet would run as a formula is defused with a leading apostrophe. */
function csvField(value: string | number | boolean): string {
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export default async function publicResultsRoutes(app: FastifyInstance) {
  /** The round with its frozen result; nobody, officials included, sees a result before it is published. */
  async function published(slug: string): Promise<{ round: Round; result: Result; outcome: TallyResult } | undefined> {
    const round = await findRoundBySlug(app.db, slug)
    if (!round || round.phase !== 'published') return undefined
    const result = await findResult(app.db, round.id)
    return result && { round, result, outcome: result.outcome as unknown as TallyResult }
  }

  async function openDataRows(round: Round, outcome: TallyResult, lang: Lang) {
    const rows = resultRows(outcome, await listBallotProjects(app.db, round.id), lang)
    const reasonKind = new Map(outcome.projects.map((p) => [p.id, p.reason.kind]))
    return rows.map((r) => ({
      project_id: r.id,
      reference: r.reference,
      title: r.title,
      cost_cents: r.costCents,
      cost_euros: euros(r.costCents),
      votes: r.votes,
      funded: r.funded,
      reason_kind: reasonKind.get(String(r.id)) ?? '',
      reason: app.translate(lang, r.explanation.key, r.explanation.vars),
    }))
  }

  const download = (reply: FastifyReply, type: string, filename: string) =>
    reply.type(type).header('Content-Disposition', `attachment; filename="${filename}"`)

  app.get<{ Params: SlugParams }>('/rounds/:slug/results', { schema: { params: slugParams } }, async (request, reply) => {
    const found = await published(request.params.slug)
    if (!found) return reply.callNotFound()
    const { round, result, outcome } = found
    const rows = resultRows(outcome, await listBallotProjects(app.db, round.id), request.lang)
    const funded = rows.filter((r) => r.funded)
    const updates = await listProgressUpdates(app.db, funded.map((r) => r.id))
    const byVotes = [...rows].sort((a, b) => b.votes - a.votes || Number(b.funded) - Number(a.funded))
    const titleOf = new Map(rows.map((r) => [String(r.id), r.title]))
    return reply.render('pages/public/results.hbs', {
      title: app.translate(request.lang, 'outcome.title', { title: round.title }),
      round,
      result,
      funded: funded.map((r) => ({ ...r, updates: updates.filter((u) => u.proposalId === r.id) })),
      notFunded: rows.filter((r) => !r.funded),
      rows: byVotes,
      spent: outcome.totalCost,
      left: round.budgetCents - outcome.totalCost,
      chart: barChart(byVotes.map((r) => ({ label: r.title, value: r.votes, highlight: r.funded }))),
      energy: energyTotals(funded),
      tracks: spendingPerTrack(funded, TRACKS),
      themes: spendingPerTheme(funded, THEMES),
      ties: outcome.ties.map((tie) => ({
        stage: tie.stage,
        tied: tie.tied.map((id) => titleOf.get(id) ?? id).join(', '),
        winner: titleOf.get(tie.winner) ?? tie.winner,
      })),
      hasUpdates: updates.length > 0,
    })
  })

  app.get<{ Params: SlugParams; Querystring: LangQuery }>('/rounds/:slug/results.csv', {
    schema: { params: slugParams, querystring: langQuery },
  }, async (request, reply) => {
    const found = await published(request.params.slug)
    if (!found) return reply.callNotFound()
    const rows = await openDataRows(found.round, found.outcome, request.query.lang ?? request.lang)
    const columns = ['project_id', 'reference', 'title', 'cost_cents', 'cost_euros', 'votes', 'funded', 'reason_kind', 'reason'] as const
    const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))]
    return download(reply, 'text/csv; charset=utf-8', `${found.round.slug}-results.csv`).send(`${lines.join('\r\n')}\r\n`)
  })

  app.get<{ Params: SlugParams; Querystring: LangQuery }>('/rounds/:slug/results.json', {
    schema: { params: slugParams, querystring: langQuery },
  }, async (request, reply) => {
    const found = await published(request.params.slug)
    if (!found) return reply.callNotFound()
    const { round, result, outcome } = found
    const lang = request.query.lang ?? request.lang
    return download(reply, 'application/json; charset=utf-8', `${round.slug}-results.json`).send({
      round: {
        slug: round.slug, title: round.title, neighbourhood: round.neighbourhood,
        budget_cents: round.budgetCents, budget_euros: euros(round.budgetCents),
        ballot_format: round.ballotFormat, max_choices: round.maxChoices,
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
    })
  })

  app.get<{ Params: SlugParams }>('/rounds/:slug/ballots.pb', { schema: { params: slugParams } }, async (request, reply) => {
    const found = await published(request.params.slug)
    if (!found) return reply.callNotFound()
    return download(reply, 'text/plain; charset=utf-8', `${found.round.slug}-ballots.pb`).send(found.result.ballotsPb)
  })

  await app.register(transparencyRoutes)
}
