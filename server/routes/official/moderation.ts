import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listProposalEvents } from '../../data/proposal-events.js'
import { listUnansweredQuestions, listWaitingComments } from '../../data/comments.js'
import {
  findProposal,
  listAwaitingSubmitter,
  listMergeTargets,
  listRecentDecisions,
  listWaiting,
  type ModerationInput,
} from '../../data/moderation.js'
import type { Proposal } from '../../data/proposals.js'
import type { Round } from '../../data/rounds.js'
import { checkDecision, moderate, MODERATION_ACTIONS, type DecisionErrors } from '../../domain/proposals/moderation.js'
import { isOverdue, splitWorkingTime, workingMinutesBetween } from '../../domain/common/working-hours.js'
import { allowed, theOfficial, theProposal, theRound } from '../../plugins/auth.js'
import { moderateProposal } from '../../usecases/moderation.js'
import { FormInput, readForm, summaryItems, type SummaryField } from '../forms.js'
import { proposalKeys } from '../shared/proposal-view.js'
import { listTranslations } from '../../data/proposal-translations.js'
import { writtenIn } from '../../domain/proposals/translation.js'
import { isCurrent } from '../../domain/translations/texts.js'
import { language } from '../../languages.js'
import { roundView } from '../shared/round-view.js'
import { decisionMail } from './notify.js'
import { IdPath, ModerationForm, ModerationPath, ModerationQuery } from './schemas.js'
import { commentTranslationsInto } from '../../data/text-translations.js'
import { translationView } from './comments.js'
import { listProposalPhotos } from '../../data/photos.js'
import { proposalPhotosView } from '../shared/photo-view.js'

type Typed = { message: string; cost: string; target: string }

/** The fields of each decision's form as the error summary names them; the ids are those the page gives them. */
function summaryFields(action: string | undefined): SummaryField[] {
  if (action === 'reject' || action === 'request-changes')
    return [{ name: 'message', label: `moderation.${action}Message`, href: `${action}-message` }]
  if (action === 'correct-cost')
    return [
      { name: 'cost', label: 'moderation.newCost' },
      { name: 'message', label: 'moderation.justification' },
    ]
  if (action === 'merge') return [{ name: 'target', label: 'moderation.mergeInto' }]
  return []
}

/**
 * Each decision's form with its texts; the one just sent also with what was typed and what was wrong,
 * the others empty.
 */
function decisionForms(form: { action?: string; errors?: Record<string, string>; values?: Partial<Typed> }) {
  return Object.fromEntries(
    MODERATION_ACTIONS.map((action) => {
      const sent = action === form.action
      return [
        action,
        {
          action,
          titleKey: `moderation.${action}`,
          messageLabel: `moderation.${action}Message`,
          messageId: `${action}-message`,
          sent,
          errors: sent ? (form.errors ?? {}) : {},
          values: sent ? (form.values ?? {}) : {},
        },
      ]
    }),
  )
}

/**
 * A coach's translations beside the original, the one into the moderator's own language first:
 * a proposal written in Turkish is reviewed through its Dutch translation, and checked against it.
 */
function besideView(
  proposal: Proposal,
  translations: Awaited<ReturnType<typeof listTranslations>>,
  readerLang: string,
) {
  const original = [proposal.title, proposal.summary, proposal.description] as const
  return translations
    .map((t) => ({
      ...t,
      name: language(writtenIn(t.lang)).name,
      outdated: !isCurrent(t.sourceHash, original),
    }))
    .sort((a, b) => Number(b.lang === readerLang) - Number(a.lang === readerLang))
}

function waitedView(since: Date, now: Date) {
  return { ...splitWorkingTime(workingMinutesBetween(since, now)), overdue: isOverdue(since, now) }
}

/** The translation key of each reason the domain gives for refusing what was typed. */
function decisionErrorKeys(errors: DecisionErrors): Record<string, string> {
  return {
    ...(errors.message ? { message: 'moderation.messageRequired' } : {}),
    ...(errors.cost
      ? { cost: errors.cost === 'overBudget' ? 'moderation.costOverBudget' : `money.${errors.cost}` }
      : {}),
  }
}

export default async function moderationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/moderation', { config: { action: 'moderation.view' } }, async (request, reply) => {
    const now = new Date()
    const [waiting, awaitingSubmitter, decisions, comments, unanswered] = await Promise.all([
      listWaiting(app.db),
      listAwaitingSubmitter(app.db),
      listRecentDecisions(app.db),
      listWaitingComments(app.db),
      listUnansweredQuestions(app.db),
    ])
    // A comment in a language the moderator may not read shows the coach's translation beside it.
    const translations = await commentTranslationsInto(
      app.db,
      comments.filter((c) => c.lang !== request.lang).map((c) => c.id),
      request.lang,
    )
    return reply.render('pages/official/moderation-queue.hbs', {
      title: app.translate(request.lang, 'moderation.title'),
      waiting: waiting.map((p) => ({
        ...p,
        statusKey: `status.${p.status}`,
        waited: waitedView(p.waitingSince!, now),
      })),
      overdueCount: waiting.filter((p) => isOverdue(p.waitingSince!, now)).length,
      comments: comments.map((c) => ({
        ...c,
        kindKey: `conversation.kind.${c.kind}`,
        authorKey: `conversation.author.${c.author}`,
        waited: waitedView(c.waitingSince!, now),
        translation: translationView(translations.get(c.id), c.text, request.lang),
      })),
      overdueComments: comments.filter((c) => isOverdue(c.waitingSince!, now)).length,
      // The one-day promise to residents' questions counts from when they asked.
      unanswered: unanswered.map((c) => ({ ...c, waited: waitedView(c.createdAt, now) })),
      awaitingSubmitter,
      decisions: decisions.map((d) => ({ ...d, eventKey: `moderation.event.${d.kind}` })),
    })
  })

  async function renderProposal(
    request: FastifyRequest,
    reply: FastifyReply,
    proposal: Proposal,
    round: Round,
    form: { action?: string; done?: string; errors?: Record<string, string>; values?: Partial<Typed> } = {},
  ) {
    const open = allowed(request, 'proposal.moderate')
    const actions = Object.fromEntries(
      MODERATION_ACTIONS.map((a) => [a, open && moderate(proposal.status, a) !== null]),
    )
    const [events, targets, waiting, translations, photos] = await Promise.all([
      listProposalEvents(app.db, proposal.id),
      listMergeTargets(app.db, proposal),
      form.done ? listWaiting(app.db) : [],
      listTranslations(app.db, proposal.id),
      listProposalPhotos(app.db, proposal.id),
    ])
    const summary = summaryItems(form.errors ?? {}, summaryFields(form.action))
    const failed = summary.length > 0 || form.errors?.form !== undefined
    return reply.render('pages/official/moderation-proposal.hbs', {
      title: failed ? app.translate(request.lang, 'form.errorTitle', { title: proposal.title }) : proposal.title,
      summary,
      // After a decision, the oldest proposal still waiting (the queue's order) is one click away.
      next: waiting.find((p) => p.id !== proposal.id),
      proposal: {
        ...proposal,
        ...proposalKeys(proposal),
        textLang: writtenIn(proposal.lang),
        languageName: language(writtenIn(proposal.lang)).name,
      },
      translations: besideView(proposal, translations, request.lang),
      // Moderators see the photos they are deciding on, before the public may.
      photos: proposalPhotosView(photos, true, `/official/proposals/${proposal.id}/photos`),
      round: roundView(round),
      showContact: allowed(request, 'contact.view'),
      events: events.map((e) => ({ ...e, eventKey: `moderation.event.${e.kind}` })),
      targets,
      actions,
      canAct: Object.values(actions).some(Boolean),
      waited: proposal.waitingSince ? waitedView(proposal.waitingSince, new Date()) : null,
      doneKey: form.done && `moderation.done.${form.done}`,
      form: { action: form.action, errors: form.errors ?? {}, values: form.values ?? {} },
      decisions: decisionForms(form),
    })
  }

  app.get(
    '/proposals/:id',
    {
      schema: { params: IdPath, querystring: ModerationQuery },
      config: { action: 'moderation.view' },
    },
    async (request, reply) =>
      renderProposal(request, reply, theProposal(request), theRound(request), { done: request.query.done }),
  )

  app.post(
    '/proposals/:id/:action',
    {
      schema: { params: ModerationPath, body: FormInput },
      config: {
        action: 'proposal.moderate',
        // The round moved past reviewing while the page was open: the page says so, as it is now.
        refuse: (request: FastifyRequest, reply: FastifyReply) =>
          renderProposal(request, reply.code(409), theProposal(request), theRound(request), {
            action: (request.params as { action?: string }).action,
            errors: { form: 'moderation.closedPhase' },
          }),
      },
    },
    async (request, reply) => {
      const { action } = request.params
      const [proposal, round] = [theProposal(request), theRound(request)]
      const read = readForm(ModerationForm, request.body)
      const { message, cost, target } = read.typed
      const values: Typed = { message, cost, target }
      const refuse = (status: number, errors: Record<string, string>) =>
        renderProposal(request, reply.code(status), proposal, round, { action, errors, values })

      if (moderate(proposal.status, action) === null) return refuse(409, { form: 'moderation.alreadyDecided' })
      if (!read.ok) return refuse(422, read.errors)

      const checked = checkDecision(action, values, round.budgetCents)
      if ('errors' in checked) return refuse(422, decisionErrorKeys(checked.errors))
      const input: ModerationInput = {
        proposal,
        action,
        official: theOfficial(request),
        ...checked.decision,
        now: new Date(),
      }
      if (action === 'merge') {
        const target = (await listMergeTargets(app.db, proposal)).find((p) => String(p.id) === values.target)
        if (!target) return refuse(422, { target: 'moderation.targetRequired' })
        input.duplicateOf = target
      }

      const updated = await moderateProposal(app.db, input, app, (decided) =>
        decisionMail(app, decided, action, input.message),
      )
      if (!updated) {
        // Another official answered first: show the proposal as it is now.
        const current = (await findProposal(app.db, proposal.id))!
        return renderProposal(request, reply.code(409), current, round, {
          action,
          errors: { form: 'moderation.alreadyDecided' },
          values,
        })
      }
      return reply.redirect(`/official/proposals/${proposal.id}?done=${action}`, 303)
    },
  )
}
