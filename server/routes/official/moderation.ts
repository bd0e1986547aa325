import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listProposalEvents } from '../../data/proposal-events.js'
import {
  applyModeration, findProposal, findRoundOf, listAwaitingSubmitter, listMergeTargets, listRecentDecisions, listWaiting, type ModerationInput,
} from '../../data/moderation.js'
import type { Proposal } from '../../data/proposals.js'
import type { Round } from '../../data/rounds.js'
import { parseEuros } from '../../domain/money.js'
import { moderate, MODERATION_ACTIONS, type ModerationAction } from '../../domain/moderation.js'
import { can } from '../../domain/permissions.js'
import { isOverdue, splitWorkingTime, workingMinutesBetween } from '../../domain/working-hours.js'
import { ForbiddenError } from '../../plugins/auth.js'
import { fieldErrors, summaryItems, type SummaryField } from '../forms.js'
import { notifySubmitter } from './notify.js'

interface ActionBody {
  message?: string
  cost?: string
  target?: string
}

const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } }, required: ['id'] } as const

/** Messages that the public or the submitter reads must say something. */
const MESSAGE_REQUIRED: readonly ModerationAction[] = ['reject', 'request-changes', 'correct-cost']

/** The fields of each decision's form as the error summary names them; the ids are those the page gives them. */
function summaryFields(action: string | undefined): SummaryField[] {
  if (action === 'reject' || action === 'request-changes') return [{ name: 'message', label: `moderation.${action}Message`, href: `${action}-message` }]
  if (action === 'correct-cost') return [{ name: 'cost', label: 'moderation.newCost' }, { name: 'message', label: 'moderation.justification' }]
  if (action === 'merge') return [{ name: 'target', label: 'moderation.mergeInto' }]
  return []
}

function waitedView(since: Date, now: Date) {
  return { ...splitWorkingTime(workingMinutesBetween(since, now)), overdue: isOverdue(since, now) }
}

export default async function moderationRoutes(app: FastifyInstance) {
  app.get('/moderation', async (request, reply) => {
    const now = new Date()
    const [waiting, awaitingSubmitter, decisions] = await Promise.all([listWaiting(app.db), listAwaitingSubmitter(app.db), listRecentDecisions(app.db)])
    return reply.render('pages/official/moderation-queue.hbs', {
      title: app.translate(request.lang, 'moderation.title'),
      waiting: waiting.map((p) => ({ ...p, waited: waitedView(p.waitingSince!, now) })),
      overdueCount: waiting.filter((p) => isOverdue(p.waitingSince!, now)).length,
      awaitingSubmitter,
      decisions,
    })
  })

  async function renderProposal(request: FastifyRequest, reply: FastifyReply, proposal: Proposal, round: Round, form: { action?: string; done?: string; errors?: Record<string, string>; values?: ActionBody } = {}) {
    const official = request.official!
    const staff = official.role !== 'council'
    const allowed = can(official.role, 'proposal.moderate', round.phase)
    const actions = Object.fromEntries(MODERATION_ACTIONS.map((a) => [a, allowed && moderate(proposal.status, a) !== null]))
    const [events, targets, waiting] = await Promise.all([
      listProposalEvents(app.db, proposal.id), listMergeTargets(app.db, proposal), form.done ? listWaiting(app.db) : [],
    ])
    const summary = summaryItems(form.errors ?? {}, summaryFields(form.action))
    const failed = summary.length > 0 || form.errors?.form !== undefined
    return reply.render('pages/official/moderation-proposal.hbs', {
      title: failed ? app.translate(request.lang, 'form.errorTitle', { title: proposal.title }) : proposal.title,
      summary,
      // After a decision, the oldest proposal still waiting (the queue's order) is one click away.
      next: waiting.find((p) => p.id !== proposal.id),
      proposal,
      round,
      showContact: staff,
      events,
      targets,
      actions,
      canAct: Object.values(actions).some(Boolean),
      waited: proposal.waitingSince ? waitedView(proposal.waitingSince, new Date()) : null,
      done: form.done,
      form: { action: form.action, errors: form.errors ?? {}, values: form.values ?? {} },
    })
  }

  app.get<{ Params: { id: number }; Querystring: { done?: ModerationAction } }>('/proposals/:id', {
    schema: { params: idParams, querystring: { type: 'object', properties: { done: { type: 'string', enum: [...MODERATION_ACTIONS] } } } },
  }, async (request, reply) => {
    const proposal = await findProposal(app.db, request.params.id)
    if (!proposal) return reply.callNotFound()
    return renderProposal(request, reply, proposal, await findRoundOf(app.db, proposal), { done: request.query.done })
  })

  app.post<{ Params: { id: number; action: ModerationAction }; Body: ActionBody }>('/proposals/:id/:action', {
    schema: {
      params: {
        type: 'object',
        properties: { id: idParams.properties.id, action: { type: 'string', enum: [...MODERATION_ACTIONS] } },
        required: ['id', 'action'],
      },
      body: {
        type: 'object',
        properties: {
          message: { type: 'string', maxLength: 2000 },
          cost: { type: 'string', maxLength: 40 },
          target: { type: 'string', maxLength: 12 },
          _csrf: { type: 'string' },
        },
      },
    },
    attachValidation: true,
  }, async (request, reply) => {
    // The body's errors are shown in the form; a wrong address is just a bad request.
    if (request.validationError && request.validationError.validationContext !== 'body') throw request.validationError
    const { action } = request.params
    const proposal = await findProposal(app.db, request.params.id)
    if (!proposal) return reply.callNotFound()
    const round = await findRoundOf(app.db, proposal)
    const official = request.official!
    if (official.role === 'council') throw new ForbiddenError()

    const body = (request.body ?? {})
    const values = { message: typeof body.message === 'string' ? body.message : '', cost: typeof body.cost === 'string' ? body.cost : '', target: typeof body.target === 'string' ? body.target : '' }
    const refuse = (status: number, errors: Record<string, string>) =>
      renderProposal(request, reply.code(status), proposal, round, { action, errors, values })

    if (!can(official.role, 'proposal.moderate', round.phase)) return refuse(409, { form: 'moderation.closedPhase' })
    if (moderate(proposal.status, action) === null) return refuse(409, { form: 'moderation.alreadyDecided' })
    if (request.validationError) return refuse(422, fieldErrors(request.validationError.validation))

    const message = values.message.trim() || null
    const input: ModerationInput = { proposal, action, official, message, now: new Date() }
    if (MESSAGE_REQUIRED.includes(action) && !message) return refuse(422, { message: 'moderation.messageRequired' })
    if (action === 'correct-cost') {
      const parsed = parseEuros(values.cost)
      if ('error' in parsed) return refuse(422, { cost: `money.${parsed.error}` })
      if (parsed.cents <= 0) return refuse(422, { cost: 'money.notPositive' })
      if (parsed.cents > round.budgetCents) return refuse(422, { cost: 'moderation.costOverBudget' })
      input.correctedCostCents = parsed.cents
    }
    if (action === 'merge') {
      const target = (await listMergeTargets(app.db, proposal)).find((p) => String(p.id) === values.target)
      if (!target) return refuse(422, { target: 'moderation.targetRequired' })
      input.duplicateOf = target
    }

    const updated = await applyModeration(app.db, input)
    if (!updated) {
      // Another official answered first: show the proposal as it is now.
      const current = (await findProposal(app.db, proposal.id))!
      return renderProposal(request, reply.code(409), current, round, { action, errors: { form: 'moderation.alreadyDecided' }, values })
    }
    await notifySubmitter(app, updated, action, message)
    return reply.redirect(`/official/proposals/${proposal.id}?done=${action}`, 303)
  })
}
