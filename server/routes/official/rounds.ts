import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { createRound, editRound, type Round } from '../../data/rounds.js'
import { BALLOT_FORMATS } from '../../domain/voting/ballot.js'
import { can } from '../../domain/access/permissions.js'
import { isVotingLocked } from '../../domain/rounds/phases.js'
import {
  DATE_FIELDS,
  LOCKED_FIELDS,
  readLockedRoundForm,
  readRoundForm,
  TEXT_LIMITS,
  type FormField,
} from '../../domain/rounds/settings.js'
import { TALLY_RULES } from '../../domain/tally/tally.js'
import { theRound } from '../../plugins/auth.js'
import { summaryItems, type SummaryField } from '../forms.js'
import advanceRoutes from './rounds-advance.js'
import {
  errorKeys,
  managementModel,
  NEW_ROUND_VALUES,
  roundSettings,
  storedValues,
  typedValues,
} from './rounds-view.js'
import { IdPath, NoticeQuery, RoundForm } from './schemas.js'

const NOTICES = ['created', 'saved', 'advanced'] as const

/** The fields in the order the form shows them, for the error summary; the lengths are the form's own limits. */
const SUMMARY_FIELDS: readonly SummaryField[] = [
  { name: 'title', label: 'rounds.setting.title', vars: { max: TEXT_LIMITS.title } },
  { name: 'neighbourhood', label: 'rounds.setting.neighbourhood', vars: { max: TEXT_LIMITS.neighbourhood } },
  { name: 'description', label: 'rounds.setting.description', vars: { max: TEXT_LIMITS.description } },
  { name: 'budget', label: 'rounds.setting.budgetCents' },
  { name: 'ballotFormat', label: 'rounds.setting.ballotFormat', href: `ballotFormat-${BALLOT_FORMATS[0]}` },
  { name: 'maxChoices', label: 'rounds.setting.maxChoices' },
  { name: 'minSpendPercent', label: 'rounds.setting.minSpendPercent' },
  { name: 'tallyRule', label: 'rounds.setting.tallyRule', href: `tallyRule-${TALLY_RULES[0]}` },
  ...DATE_FIELDS.map((name) => ({ name, label: `rounds.setting.${name}` })),
]
const UNLOCKED_SUMMARY_FIELDS = SUMMARY_FIELDS.filter((f) => !(LOCKED_FIELDS as readonly string[]).includes(f.name))

type EditRefusal = { kind: 'published' } | { kind: 'invalid'; errors: Record<string, string>; lockedRefused: boolean }

interface FormPage {
  round?: Round
  values: Record<FormField, string>
  errors?: Record<string, string>
  messageKey?: string
}

export default async function roundsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  function renderForm(request: FastifyRequest, reply: FastifyReply, page: FormPage) {
    const { round } = page
    const locked = round ? isVotingLocked(round.phase) : false
    const title = round
      ? app.translate(request.lang, 'rounds.edit.title', { title: round.title })
      : app.translate(request.lang, 'rounds.new.title')
    const summary = summaryItems(page.errors ?? {}, locked ? UNLOCKED_SUMMARY_FIELDS : SUMMARY_FIELDS)
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

  async function renderManagement(
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    extra: Record<string, unknown> = {},
  ) {
    return reply.render('pages/official/round-show.hbs', {
      ...(await managementModel(app.db, round, request.official!.role)),
      ...extra,
    })
  }

  app.get('/rounds/new', { config: { action: 'round.create' } }, async (request, reply) =>
    renderForm(request, reply, { values: NEW_ROUND_VALUES }),
  )

  app.post(
    '/rounds',
    {
      schema: { body: RoundForm },
      attachValidation: true,
      config: { action: 'round.create' },
    },
    async (request, reply) => {
      const form = request.body ?? {}
      const result = readRoundForm(form)
      const errors = errorKeys(request, 'errors' in result ? result.errors : {})
      if (!('settings' in result) || Object.keys(errors).length > 0) {
        return renderForm(request, reply.code(422), {
          values: typedValues(form),
          errors,
          messageKey: 'rounds.error.summary',
        })
      }
      const round = await createRound(app.db, result.settings, request.official!)
      return reply.redirect(`/official/rounds/${round.id}?notice=created`, 303)
    },
  )

  app.get(
    '/rounds/:id',
    {
      schema: { params: IdPath, querystring: NoticeQuery },
      attachValidation: true,
      config: { action: 'round.view' },
    },
    async (request, reply) => {
      const notice = NOTICES.find((n) => n === request.query.notice)
      return renderManagement(request, reply, theRound(request), { notice })
    },
  )

  app.get(
    '/rounds/:id/edit',
    {
      schema: { params: IdPath },
      config: { action: 'round.edit' },
    },
    async (request, reply) => {
      const round = theRound(request)
      if (!can(request.official!.role, 'round.edit', round.phase)) {
        return renderManagement(request, reply.code(409), round, { messageKey: 'rounds.error.published' })
      }
      return renderForm(request, reply, { round, values: storedValues(round, request.lang) })
    },
  )

  app.post(
    '/rounds/:id',
    {
      schema: { params: IdPath, body: RoundForm },
      attachValidation: true,
      config: { action: 'round.edit' },
    },
    async (request, reply) => {
      const form = request.body ?? {}
      const who = request.official!
      // The round is read again under its lock: a phase move may have come in since the guard loaded it.
      const outcome = await editRound<EditRefusal>(app.db, theRound(request).id, who, (round) => {
        if (!can(who.role, 'round.edit', round.phase)) return { refusal: { kind: 'published' } }
        const result = isVotingLocked(round.phase)
          ? readLockedRoundForm(form, roundSettings(round))
          : readRoundForm(form)
        const errors = errorKeys(request, 'errors' in result ? result.errors : {})
        if (!('settings' in result) || Object.keys(errors).length > 0) {
          return {
            refusal: { kind: 'invalid', errors, lockedRefused: 'lockedRefused' in result && result.lockedRefused },
          }
        }
        return { settings: result.settings }
      })
      if (outcome.kind === 'notFound') return reply.callNotFound()
      if (outcome.kind === 'saved') return reply.redirect(`/official/rounds/${outcome.round.id}?notice=saved`, 303)
      const { refusal, round } = outcome
      if (refusal.kind === 'published')
        return renderManagement(request, reply.code(409), round, { messageKey: 'rounds.error.published' })
      return renderForm(request, reply.code(422), {
        round,
        values: typedValues(form),
        errors: refusal.errors,
        messageKey: refusal.lockedRefused ? 'rounds.error.lockedRefused' : 'rounds.error.summary',
      })
    },
  )

  await app.register(advanceRoutes)
}
