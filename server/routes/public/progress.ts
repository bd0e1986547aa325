import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { listBallotProjects } from '../../data/ballots.js'
import { publishedSummary } from '../../data/results.js'
import type { Round } from '../../data/rounds.js'
import { toCsv } from '../../csv.js'
import type { Lang } from '../../i18n.js'
import { theRound } from '../../plugins/auth.js'
import { localised } from '../shared/localise.js'
import { officialTexts } from '../shared/official-texts.js'
import { amsterdamToday, progressProjects } from '../shared/progress-view.js'
import { contentVersion } from '../shared/round-view.js'
import { LangQuery, SlugPath } from './schemas.js'

const CSV_COLUMNS = [
  'project_id',
  'reference',
  'title',
  'cost_cents',
  'status',
  'status_since',
  'spent_cents',
  'kwh_per_year_planned',
  'kwh_per_year_reached',
  'co2_kg_per_year_planned',
  'co2_kg_per_year_reached',
  'households_planned',
  'households_reached',
  'milestones',
  'milestones_done',
  'milestones_late',
] as const

/**
 * "What happened to our money": every funded project of a published round with its status,
 * milestones, spending against its cost and the energy it reached, on a page and as open data.
 */
export default async function publicProgressRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const view = { config: { action: 'results.view' as const } }

  async function progressOf(round: Round, lang: Lang, today: string) {
    const { outcome } = await publishedSummary(app.db, round.id)
    const selected = new Set(outcome.selected)
    const projects = await localised(app.db, await listBallotProjects(app.db, round.id), lang)
    // In the order the count chose them, as on the results page.
    const order = new Map(outcome.selected.map((id, i) => [id, i]))
    const funded = projects
      .filter((p) => selected.has(String(p.id)))
      .sort((a, b) => order.get(String(a.id))! - order.get(String(b.id))!)
    return progressProjects(app.db, funded, today, await officialTexts(app.db, round.id, lang))
  }

  const download = (reply: FastifyReply, type: string, filename: string) =>
    reply.type(type).header('Content-Disposition', `attachment; filename="${filename}"`)

  app.get('/rounds/:slug/progress', { schema: { params: SlugPath }, ...view }, async (request, reply) => {
    const round = theRound(request)
    const today = amsterdamToday()
    // Kept per day too: a milestone becomes late at midnight without anything being written.
    return reply.renderKept(
      `progress:${round.id}`,
      [contentVersion(round), today],
      'pages/public/progress.hbs',
      async () => {
        const { projects, totals } = await progressOf(round, request.lang, today)
        return {
          title: app.translate(request.lang, 'progress.title', { title: round.title }),
          round,
          projects,
          totals,
          leftCents: round.budgetCents - totals.spentCents,
        }
      },
    )
  })

  app.get(
    '/rounds/:slug/progress.json',
    { schema: { params: SlugPath, querystring: LangQuery }, ...view },
    async (request, reply) => {
      const round = theRound(request)
      const today = amsterdamToday()
      const { projects, totals } = await progressOf(round, request.query.lang ?? request.lang, today)
      return download(reply, 'application/json; charset=utf-8', `${round.slug}-progress.json`).send({
        round: { slug: round.slug, title: round.title, budget_cents: round.budgetCents },
        as_of: today,
        spent_cents: totals.spentCents,
        planned_cents: totals.plannedCents,
        projects: projects.map((p) => ({
          project_id: p.id,
          reference: p.reference,
          title: p.title,
          cost_cents: p.costCents,
          status: p.status,
          status_since: p.since,
          cancel_reason: p.reason,
          spent_cents: p.spentCents,
          planned: { kwh_per_year: p.kwhPerYear, co2_kg_per_year: p.co2KgPerYear, households: p.households },
          reached: {
            kwh_per_year: p.reached.kwhPerYear,
            co2_kg_per_year: p.reached.co2KgPerYear,
            households: p.reached.households,
          },
          milestones: p.milestones.map((m) => ({
            title: m.title,
            planned_on: m.plannedOn,
            done_on: m.doneOn,
            late: m.late,
          })),
          updates: p.updates.map((u) => ({ on: u.on, status: u.status, text: u.text, spent_cents: u.spentCents })),
        })),
      })
    },
  )

  app.get(
    '/rounds/:slug/progress.csv',
    { schema: { params: SlugPath, querystring: LangQuery }, ...view },
    async (request, reply) => {
      const round = theRound(request)
      const { projects } = await progressOf(round, request.query.lang ?? request.lang, amsterdamToday())
      const csv = toCsv(
        CSV_COLUMNS,
        projects.map((p) => [
          p.id,
          p.reference,
          p.title,
          p.costCents,
          p.status,
          p.since ?? '',
          p.spentCents,
          p.kwhPerYear ?? '',
          p.reached.kwhPerYear ?? '',
          p.co2KgPerYear ?? '',
          p.reached.co2KgPerYear ?? '',
          p.households ?? '',
          p.reached.households ?? '',
          p.milestones.length,
          p.milestonesDone,
          p.milestonesLate,
        ]),
      )
      return download(reply, 'text/csv; charset=utf-8', `${round.slug}-progress.csv`).send(csv)
    },
  )
}
