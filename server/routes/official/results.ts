import { budgetRows } from '../public/results.js'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SOFTWARE_VERSION } from '../../assets.js'
import {
  addProgressUpdate,
  findProposalOfRound,
  findResult,
  listProgressUpdates,
  loadTallyData,
  previewResults,
} from '../../data/results.js'
import type { Round } from '../../data/rounds.js'
import { checkProgress, type ProgressErrors } from '../../domain/results/progress.js'
import type { TallyRule } from '../../domain/tally/tally.js'
import { allowed, theOfficial, theRound } from '../../plugins/auth.js'
import { FormInput, readForm, summaryItems } from '../forms.js'
import { resultRows } from '../shared/result-view.js'
import { IdPath, ProgressForm, ResultsQuery } from './schemas.js'
import publishRoutes from './publish.js'

/** The round's own rule first in the preview, then the other. */
const PREVIEW_ORDER: readonly TallyRule[] = ['equal-shares', 'greedy']
const PROGRESS_ERROR_KEYS: Record<NonNullable<ProgressErrors[keyof ProgressErrors]>, string> = {
  chooseProject: 'results.progress.chooseProject',
  chooseStatus: 'results.progress.chooseStatus',
  required: 'form.required',
  chooseDate: 'results.progress.chooseDate',
}

type Typed = { proposal: string; status: string; text: string; on: string }

export default async function resultsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  /** What a refused action gets: a page that says which phase it needs. */
  const wrongPhase = (messageKey: string) => (request: FastifyRequest, reply: FastifyReply) =>
    reply.code(409).render('errors/error.hbs', {
      title: app.translate(request.lang, messageKey),
      status: 409,
      messageKey,
      helpKey: `${messageKey}Help`,
    })

  /** Both rules side by side before publishing; after, the frozen result with its progress updates. */
  async function renderResults(
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    form: { errors?: Record<string, string>; values?: Typed; done?: boolean } = {},
  ) {
    const published = allowed(request, 'results.view') ? await findResult(app.db, round.id) : undefined
    if (published) {
      const data = await loadTallyData(app.db, round)
      const rows = resultRows(published.outcome, data.projects, request.lang)
      const updates = await listProgressUpdates(
        app.db,
        rows.filter((r) => r.funded).map((r) => r.id),
      )
      const titles = new Map(rows.map((r) => [r.id, r.title]))
      const summary = summaryItems(form.errors ?? {}, [
        { name: 'proposal', label: 'results.project' },
        { name: 'status', label: 'results.progress.statusLabel' },
        { name: 'text', label: 'results.progress.text' },
        { name: 'on', label: 'results.progress.date' },
      ])
      const title = app.translate(request.lang, 'results.title')
      return reply.render('pages/official/results.hbs', {
        title: summary.length > 0 ? app.translate(request.lang, 'form.errorTitle', { title }) : title,
        summary,
        round,
        published,
        rows,
        ruleKey: `results.rule.${published.rule}`,
        funded: rows.filter((r) => r.funded).map((r) => ({ ...r, selected: String(r.id) === form.values?.proposal })),
        updates: updates.map((u) => ({
          ...u,
          projectTitle: titles.get(u.proposalId),
          statusKey: `results.progress.status.${u.status}`,
        })),
        canPost: allowed(request, 'progress.post'),
        form: {
          errors: form.errors ?? {},
          values: form.values ?? {},
          done: form.done,
          statusInProgress: form.values?.status === 'in_progress',
          statusDone: form.values?.status === 'done',
        },
      })
    }
    // Kept with what it counted: publishing takes the round's rule's outcome if nothing changed since.
    const { data, previews } = await previewResults(app.db, round, PREVIEW_ORDER, SOFTWARE_VERSION)
    return reply.render('pages/official/results-preview.hbs', {
      title: app.translate(request.lang, 'results.previewTitle'),
      round,
      ruleKey: `results.rule.${round.tallyRule}`,
      previews: await Promise.all(
        previews.map(async ({ rule, outcome }) => ({
          rule,
          // A round of several budgets: what each would spend, and where its rest would go.
          budgets: await budgetRows(app.db, round.id, outcome),
          ruleKey: `results.rule.${rule}`,
          official: rule === round.tallyRule,
          totalCost: outcome.totalCost,
          left: round.budgetCents - outcome.totalCost,
          ties: outcome.ties.length,
          rows: resultRows(outcome, data.projects, request.lang),
        })),
      ),
      ballots: data.ballots.length,
      canPublish: allowed(request, 'results.publish'),
    })
  }

  app.get(
    '/rounds/:id/results',
    {
      schema: { params: IdPath, querystring: ResultsQuery },
      // The published result, or before it the admins' preview of the count.
      config: { action: ['results.view', 'results.preview'] },
    },
    async (request, reply) => renderResults(request, reply, theRound(request), { done: request.query.done === '1' }),
  )

  app.post(
    '/rounds/:id/progress',
    {
      schema: { params: IdPath, body: FormInput },
      config: { action: 'progress.post', refuse: wrongPhase('results.notPublished') },
    },
    async (request, reply) => {
      const round = theRound(request)
      const read = readForm(ProgressForm, request.body)
      const { proposal: chosen, status, text, on } = read.typed
      const values: Typed = { proposal: chosen, status, text, on }
      const result = await findResult(app.db, round.id)
      const checked = checkProgress(values, new Set(result?.outcome.selected ?? []))
      const errors: Record<string, string> = {}
      if ('errors' in checked)
        for (const [field, error] of Object.entries(checked.errors)) errors[field] = PROGRESS_ERROR_KEYS[error]
      // The schema's complaint wins for the fields it covers, except the date, whose own message says what to do.
      if (!read.ok) Object.assign(errors, read.errors)
      if ('errors' in checked && checked.errors.on) errors.on = PROGRESS_ERROR_KEYS.chooseDate
      const proposal =
        'update' in checked ? await findProposalOfRound(app.db, round.id, checked.update.proposalId) : undefined
      if ('update' in checked && !proposal) errors.proposal = PROGRESS_ERROR_KEYS.chooseProject
      if (!('update' in checked) || !proposal || Object.keys(errors).length > 0) {
        return renderResults(request, reply.code(422), round, {
          errors,
          values: { ...values, text: values.text.trim() },
        })
      }
      await addProgressUpdate(app.db, { ...checked.update, proposalId: proposal.id, official: theOfficial(request) })
      return reply.redirect(`/official/rounds/${round.id}/results?done=1`, 303)
    },
  )

  await app.register(publishRoutes)
}
