import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { appendAudit } from '../../data/audit.js'
import { findRound, insertRound, lockRound, updateRound, type Round } from '../../data/rounds.js'
import { can } from '../../domain/permissions.js'
import { isVotingLocked } from '../../domain/phases.js'
import {
  BALLOT_FORMATS, changedSettings, DATE_FIELDS, readLockedRoundForm, readRoundForm, slugBase, TALLY_RULES, type FormField, type RoundForm,
} from '../../domain/round-rules.js'
import { summaryItems, type SummaryField } from '../forms.js'
import advanceRoutes from './rounds-advance.js'
import {
  badId, errorKeys, idParams, managementModel, NEW_ROUND_VALUES, roundFormSchema, roundSettings, storedValues, typedValues,
} from './rounds-view.js'

const NOTICES = ['created', 'saved', 'advanced'] as const

interface FormPage {
  round?: Round
  values: Record<FormField, string>
  errors?: Record<string, string>
  messageKey?: string
}

const LOCKED_FIELDS: readonly string[] = ['budget', 'ballotFormat', 'maxChoices', 'minSpendPercent', 'tallyRule']

/** The fields in the order the form shows them, for the error summary; the lengths are the form's own limits. */
const SUMMARY_FIELDS: readonly SummaryField[] = [
  { name: 'title', label: 'rounds.setting.title', vars: { max: 120 } },
  { name: 'neighbourhood', label: 'rounds.setting.neighbourhood', vars: { max: 120 } },
  { name: 'description', label: 'rounds.setting.description', vars: { max: 2000 } },
  { name: 'budget', label: 'rounds.setting.budgetCents' },
  { name: 'ballotFormat', label: 'rounds.setting.ballotFormat', href: `ballotFormat-${BALLOT_FORMATS[0]}` },
  { name: 'maxChoices', label: 'rounds.setting.maxChoices' },
  { name: 'minSpendPercent', label: 'rounds.setting.minSpendPercent' },
  { name: 'tallyRule', label: 'rounds.setting.tallyRule', href: `tallyRule-${TALLY_RULES[0]}` },
  ...DATE_FIELDS.map((name) => ({ name, label: `rounds.setting.${name}` })),
]

export default async function roundsRoutes(app: FastifyInstance) {
  const official = (request: FastifyRequest) => request.official!

  function renderForm(request: FastifyRequest, reply: FastifyReply, page: FormPage) {
    const { round } = page
    const locked = round ? isVotingLocked(round.phase) : false
    const title = round ? app.translate(request.lang, 'rounds.edit.title', { title: round.title }) : app.translate(request.lang, 'rounds.new.title')
    const fields = locked ? SUMMARY_FIELDS.filter((f) => !LOCKED_FIELDS.includes(f.name)) : SUMMARY_FIELDS
    const summary = summaryItems(page.errors ?? {}, fields)
    return reply.render('pages/official/round-form.hbs', {
      ...page,
      heading: title,
      title: summary.length > 0 ? app.translate(request.lang, 'form.errorTitle', { title }) : title,
      summary,
      action: round ? `/official/rounds/${round.id}` : '/official/rounds',
      locked,
      ballotFormats: BALLOT_FORMATS,
      tallyRules: TALLY_RULES,
    })
  }

  async function renderManagement(request: FastifyRequest, reply: FastifyReply, round: Round, extra: Record<string, unknown> = {}) {
    return reply.render('pages/official/round-show.hbs', { ...(await managementModel(app.db, round, official(request).role)), ...extra })
  }

  app.get('/rounds/new', { preHandler: app.requireAction('round.create') }, async (request, reply) =>
    renderForm(request, reply, { values: NEW_ROUND_VALUES }))

  app.post<{ Body: RoundForm }>('/rounds', {
    schema: { body: roundFormSchema },
    attachValidation: true,
    preHandler: app.requireAction('round.create'),
  }, async (request, reply) => {
    const form = request.body ?? {}
    const result = readRoundForm(form)
    const errors = errorKeys(request, 'errors' in result ? result.errors : {})
    if (!('settings' in result) || Object.keys(errors).length > 0) {
      return renderForm(request, reply.code(422), { values: typedValues(form), errors, messageKey: 'rounds.error.summary' })
    }
    const { settings } = result
    const round = await app.db.transaction(async (tx) => {
      const created = await insertRound(tx, settings, slugBase(settings.title))
      await appendAudit(tx, {
        officialId: official(request).id, actor: official(request).email, action: 'round.create', object: `round:${created.id}`,
        details: { slug: created.slug, changes: changedSettings(null, settings) },
      })
      return created
    })
    return reply.redirect(`/official/rounds/${round.id}?notice=created`, 303)
  })

  app.get<{ Params: { id: string }; Querystring: { notice?: string } }>('/rounds/:id', {
    schema: { params: idParams, querystring: { type: 'object', properties: { notice: { type: 'string', maxLength: 20 } } } },
    attachValidation: true,
  }, async (request, reply) => {
    const round = badId(request) ? undefined : await findRound(app.db, Number(request.params.id))
    if (!round) return reply.callNotFound()
    const notice = NOTICES.find((n) => n === request.query.notice)
    return renderManagement(request, reply, round, { notice })
  })

  app.get<{ Params: { id: string } }>('/rounds/:id/edit', {
    schema: { params: idParams },
    attachValidation: true,
    preHandler: app.requireAction('round.edit'),
  }, async (request, reply) => {
    const round = badId(request) ? undefined : await findRound(app.db, Number(request.params.id))
    if (!round) return reply.callNotFound()
    if (!can(official(request).role, 'round.edit', round.phase)) {
      return renderManagement(request, reply.code(409), round, { messageKey: 'rounds.error.published' })
    }
    return renderForm(request, reply, { round, values: storedValues(round, request.lang) })
  })

  app.post<{ Params: { id: string }; Body: RoundForm }>('/rounds/:id', {
    schema: { params: idParams, body: roundFormSchema },
    attachValidation: true,
    preHandler: app.requireAction('round.edit'),
  }, async (request, reply) => {
    if (badId(request)) return reply.callNotFound()
    const form = request.body ?? {}
    const who = official(request)
    // Read, decide and write under the round's row lock, so a phase move cannot slip in between.
    const outcome = await app.db.transaction(async (tx) => {
      const round = await lockRound(tx, Number(request.params.id))
      if (!round) return { kind: 'notFound' } as const
      if (!can(who.role, 'round.edit', round.phase)) return { kind: 'published', round } as const
      const stored = roundSettings(round)
      const result = isVotingLocked(round.phase) ? readLockedRoundForm(form, stored) : readRoundForm(form)
      const errors = errorKeys(request, 'errors' in result ? result.errors : {})
      if (!('settings' in result) || Object.keys(errors).length > 0) {
        return { kind: 'invalid', round, errors, lockedRefused: 'lockedRefused' in result && result.lockedRefused } as const
      }
      const changes = changedSettings(stored, result.settings)
      // Saving an unchanged form changes nothing, so there is nothing to audit.
      if (Object.keys(changes).length > 0) {
        await updateRound(tx, round.id, result.settings)
        await appendAudit(tx, { officialId: who.id, actor: who.email, action: 'round.edit', object: `round:${round.id}`, details: { changes } })
      }
      return { kind: 'saved', round } as const
    })
    switch (outcome.kind) {
      case 'notFound': return reply.callNotFound()
      case 'published': return renderManagement(request, reply.code(409), outcome.round, { messageKey: 'rounds.error.published' })
      case 'invalid': return renderForm(request, reply.code(422), {
        round: outcome.round,
        values: typedValues(form),
        errors: outcome.errors,
        messageKey: outcome.lockedRefused ? 'rounds.error.lockedRefused' : 'rounds.error.summary',
      })
      case 'saved': return reply.redirect(`/official/rounds/${outcome.round.id}?notice=saved`, 303)
    }
  })

  await app.register(advanceRoutes)
}
