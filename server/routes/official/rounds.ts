import { listBudgets } from '../../data/budgets.js'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { createRound, type Round } from '../../data/rounds.js'
import { editRoundSettings } from '../../usecases/rounds.js'
import { isVotingLocked } from '../../domain/rounds/phases.js'
import { BALLOT_FORMATS } from '../../domain/voting/ballot.js'
import {
  CHOICES,
  LOCKED_FIELDS,
  readRoundForm,
  ROUND_FIELDS,
  TEXT_LIMITS,
  type FormField,
} from '../../domain/rounds/settings.js'
import { TALLY_RULES } from '../../domain/tally/tally.js'
import { theOfficial, theRound } from '../../plugins/auth.js'
import { FormInput, readForm, readQuery, summaryItems, type SummaryField } from '../forms.js'
import advanceRoutes from './rounds-advance.js'
import { roundChoices, roundRulesView } from '../shared/round-view.js'
import { errorKeys, managementModel, NEW_ROUND_VALUES, storedValues } from './rounds-view.js'
import { IdPath, NoticeQuery, RoundForm } from './schemas.js'

const NOTICES = ['created', 'saved', 'advanced'] as const

/** The fields in the order the form shows them, for the error summary; the lengths are the form's own limits. */
const SUMMARY_FIELDS: readonly SummaryField[] = ROUND_FIELDS.map(({ field, setting, kind }) => ({
  name: field,
  label: `rounds.setting.${setting}`,
  ...(kind === 'text' ? { vars: { max: TEXT_LIMITS[field] } } : {}),
  ...(kind === 'choice' ? { href: `${field}-${CHOICES[field][0]}` } : {}),
}))
const UNLOCKED_SUMMARY_FIELDS = SUMMARY_FIELDS.filter((f) => !(LOCKED_FIELDS as readonly string[]).includes(f.name))

interface FormPage {
  round?: Round
  values: Record<FormField, string>
  errors?: Record<string, string>
  messageKey?: string
}

export default async function roundsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  async function renderForm(request: FastifyRequest, reply: FastifyReply, page: FormPage) {
    const { round } = page
    const split = round ? (await listBudgets(app.db, round.id)).length > 0 : false
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
      split,
      rules: round && roundRulesView(round),
      ballotFormats: roundChoices(BALLOT_FORMATS, page.values.ballotFormat),
      tallyRules: roundChoices(TALLY_RULES, page.values.tallyRule),
    })
  }

  async function renderManagement(
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    extra: { notice?: string; messageKey?: string } = {},
  ) {
    return reply.render('pages/official/round-show.hbs', {
      ...(await managementModel(app.db, request, round)),
      noticeKey: extra.notice && `rounds.notice.${extra.notice}`,
      messageKey: extra.messageKey,
    })
  }

  /** A published round's settings are final: its page says so. */
  const refusePublished = (request: FastifyRequest, reply: FastifyReply) =>
    renderManagement(request, reply.code(409), theRound(request), { messageKey: 'rounds.error.published' })

  app.get('/rounds/new', { config: { action: 'round.create' } }, async (request, reply) =>
    renderForm(request, reply, { values: NEW_ROUND_VALUES }),
  )

  app.post(
    '/rounds',
    {
      schema: { body: FormInput },
      config: { action: 'round.create' },
    },
    async (request, reply) => {
      // The domain's reader tells a field left out from one sent empty, so it reads the form as sent.
      const read = readForm(RoundForm, request.body)
      const result = readRoundForm(request.body)
      const errors = errorKeys(read.ok ? {} : read.errors, 'errors' in result ? result.errors : {})
      if (!('settings' in result) || Object.keys(errors).length > 0) {
        return renderForm(request, reply.code(422), {
          values: read.typed,
          errors,
          messageKey: 'rounds.error.summary',
        })
      }
      const round = await createRound(app.db, result.settings, theOfficial(request))
      return reply.redirect(`/official/rounds/${round.id}?notice=created`, 303)
    },
  )

  app.get(
    '/rounds/:id',
    {
      schema: { params: IdPath, querystring: FormInput },
      config: { action: 'round.view' },
    },
    async (request, reply) => {
      const notice = NOTICES.find((n) => n === readQuery(NoticeQuery, request.query).notice)
      return renderManagement(request, reply, theRound(request), { notice })
    },
  )

  app.get(
    '/rounds/:id/edit',
    {
      schema: { params: IdPath },
      config: { action: 'round.edit', refuse: refusePublished },
    },
    async (request, reply) => {
      const round = theRound(request)
      return renderForm(request, reply, { round, values: storedValues(round, request.lang) })
    },
  )

  app.post(
    '/rounds/:id',
    {
      schema: { params: IdPath, body: FormInput },
      config: { action: 'round.edit', refuse: refusePublished },
    },
    async (request, reply) => {
      // As when creating: the domain's reader tells a locked field left out from one sent.
      const read = readForm(RoundForm, request.body)
      const outcome = await editRoundSettings(app.db, {
        roundId: theRound(request).id,
        actor: request.actor,
        official: theOfficial(request),
        form: request.body,
        now: new Date(),
      })
      if (outcome.kind === 'notFound') return reply.callNotFound()
      if (outcome.kind === 'saved') return reply.redirect(`/official/rounds/${outcome.round.id}?notice=saved`, 303)
      if (outcome.kind === 'published')
        return renderManagement(request, reply.code(409), outcome.round, { messageKey: 'rounds.error.published' })
      return renderForm(request, reply.code(422), {
        round: outcome.round,
        values: read.typed,
        errors: errorKeys(read.ok ? {} : read.errors, outcome.errors),
        messageKey: outcome.lockedRefused ? 'rounds.error.lockedRefused' : 'rounds.error.summary',
      })
    },
  )

  await app.register(advanceRoutes)
}
