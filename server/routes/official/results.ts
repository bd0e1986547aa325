import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SOFTWARE_VERSION } from '../../assets.js'
import { addProgressUpdate, findProposalOfRound, findResult, listProgressUpdates, loadTallyData, publishResult, tallyRound } from '../../data/results.js'
import { findRound, type Round } from '../../data/rounds.js'
import { can } from '../../domain/permissions.js'
import type { TallyResult, TallyRule } from '../../domain/tally.js'
import { ForbiddenError } from '../../plugins/auth.js'
import { resultRows } from '../shared/result-view.js'
import { isCalendarDay } from '../../domain/round-rules.js'
import { fieldErrors, summaryItems } from '../forms.js'

const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } }, required: ['id'] } as const
const RULES: TallyRule[] = ['equal-shares', 'greedy']
const PROGRESS = ['planned', 'in_progress', 'done'] as const

interface ProgressBody {
  proposal?: string
  status?: string
  text?: string
  on?: string
}

export default async function resultsRoutes(app: FastifyInstance) {
  async function loadRound(request: FastifyRequest<{ Params: { id: number } }>): Promise<Round | undefined> {
    return findRound(app.db, request.params.id)
  }

  /** Both rules side by side before publishing; after, the frozen result with its progress updates. */
  async function renderResults(request: FastifyRequest, reply: FastifyReply, round: Round, form: { errors?: Record<string, string>; values?: ProgressBody; done?: boolean } = {}) {
    const role = request.official!.role
    const published = round.phase === 'published' ? await findResult(app.db, round.id) : undefined
    if (published) {
      const data = await loadTallyData(app.db, round.id)
      const outcome = published.outcome as unknown as TallyResult
      const rows = resultRows(outcome, data.projects, request.lang)
      const updates = await listProgressUpdates(app.db, rows.filter((r) => r.funded).map((r) => r.id))
      const titles = new Map(rows.map((r) => [r.id, r.title]))
      const summary = summaryItems(form.errors ?? {}, [
        { name: 'proposal', label: 'results.project' }, { name: 'status', label: 'results.progress.statusLabel' },
        { name: 'text', label: 'results.progress.text' }, { name: 'on', label: 'results.progress.date' },
      ])
      const title = app.translate(request.lang, 'results.title')
      return reply.render('pages/official/results.hbs', {
        title: summary.length > 0 ? app.translate(request.lang, 'form.errorTitle', { title }) : title,
        summary,
        round, published, rows,
        funded: rows.filter((r) => r.funded),
        updates: updates.map((u) => ({ ...u, projectTitle: titles.get(u.proposalId) })),
        canPost: can(role, 'progress.post', round.phase),
        form: { errors: form.errors ?? {}, values: form.values ?? {}, done: form.done },
      })
    }
    if (!can(role, 'results.preview', round.phase)) throw new ForbiddenError()
    const data = await loadTallyData(app.db, round.id)
    const previews = RULES.map((rule) => {
      const outcome = tallyRound(round, data, rule)
      return { rule, official: rule === round.tallyRule, totalCost: outcome.totalCost, left: round.budgetCents - outcome.totalCost, ties: outcome.ties.length, rows: resultRows(outcome, data.projects, request.lang) }
    })
    return reply.render('pages/official/results-preview.hbs', {
      title: app.translate(request.lang, 'results.previewTitle'),
      round, previews, ballots: data.ballots.length, canPublish: can(role, 'results.publish', round.phase),
    })
  }

  app.get<{ Params: { id: number }; Querystring: { done?: string } }>('/rounds/:id/results', {
    schema: { params: idParams, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 1 } } } },
  }, async (request, reply) => {
    const round = await loadRound(request)
    if (!round) return reply.callNotFound()
    return renderResults(request, reply, round, { done: request.query.done === '1' })
  })

  app.post<{ Params: { id: number } }>('/rounds/:id/publish', {
    schema: { params: idParams },
    // A frozen result cannot be taken back: the second factor is asked again first.
    preHandler: app.requireFreshSecondFactor((request) => `/official/rounds/${(request.params as { id: number }).id}/results`),
  }, async (request, reply) => {
    const round = await loadRound(request)
    if (!round) return reply.callNotFound()
    const official = request.official!
    if (!can(official.role, 'results.publish', 'closed')) throw new ForbiddenError()
    const outcome = await publishResult(app.db, round.id, official, SOFTWARE_VERSION)
    if ('refused' in outcome) {
      reply.code(409)
      return reply.render('errors/error.hbs', { title: app.translate(request.lang, 'results.notClosed'), status: 409, messageKey: 'results.notClosed' })
    }
    return reply.redirect(`/official/rounds/${round.id}/results`, 303)
  })

  app.post<{ Params: { id: number }; Body: ProgressBody }>('/rounds/:id/progress', {
    schema: {
      params: idParams,
      body: {
        type: 'object',
        properties: {
          proposal: { type: 'string', maxLength: 12 }, status: { type: 'string', maxLength: 20 },
          text: { type: 'string', maxLength: 2000 }, on: { type: 'string', maxLength: 10 }, _csrf: { type: 'string' },
        },
      },
    },
    attachValidation: true,
  }, async (request, reply) => {
    if (request.validationError?.validationContext === 'params') throw request.validationError
    const round = await loadRound(request)
    if (!round) return reply.callNotFound()
    const official = request.official!
    if (official.role === 'council') throw new ForbiddenError()
    if (!can(official.role, 'progress.post', round.phase)) {
      reply.code(409)
      return reply.render('errors/error.hbs', { title: app.translate(request.lang, 'results.notPublished'), status: 409, messageKey: 'results.notPublished' })
    }
    const body = (request.body ?? {})
    const values = { proposal: String(body.proposal ?? ''), status: String(body.status ?? ''), text: String(body.text ?? '').trim(), on: String(body.on ?? '') }
    const errors: Record<string, string> = {}
    const result = await findResult(app.db, round.id)
    const fundedIds = new Set(((result?.outcome as unknown as TallyResult | undefined)?.selected ?? []))
    const proposal = /^\d+$/.test(values.proposal) && fundedIds.has(values.proposal) ? await findProposalOfRound(app.db, round.id, Number(values.proposal)) : undefined
    if (!proposal) errors.proposal = 'results.progress.chooseProject'
    if (!(PROGRESS as readonly string[]).includes(values.status)) errors.status = 'results.progress.chooseStatus'
    if (!values.text) errors.text = 'form.required'
    Object.assign(errors, fieldErrors(request.validationError?.validation))
    if (!isCalendarDay(values.on)) errors.on = 'results.progress.chooseDate'
    if (Object.keys(errors).length > 0) return renderResults(request, reply.code(422), round, { errors, values })
    await addProgressUpdate(app.db, { proposalId: proposal!.id, status: values.status as (typeof PROGRESS)[number], text: values.text, on: values.on, official })
    return reply.redirect(`/official/rounds/${round.id}/results?done=1`, 303)
  })
}
