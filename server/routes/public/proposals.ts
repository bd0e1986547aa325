import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listProposalEvents } from '../../data/proposal-events.js'
import { findProposalLink } from '../../data/proposals.js'
import { submitProposal } from '../../usecases/proposals.js'
import { fundedIds, listProgressUpdates } from '../../data/results.js'
import { hitRateLimit } from '../../data/rate-limits.js'
import type { Round } from '../../data/rounds.js'
import { PROPOSAL_THROTTLE, type ProposalErrors, type ProposalForm } from '../../domain/proposals/rules.js'
import { newsToFollow } from '../../domain/conversation/follows.js'
import { allowed, thePublicProposal, theRound } from '../../plugins/auth.js'
import { localised } from '../shared/localise.js'
import { contentVersion, roundView } from '../shared/round-view.js'
import { pointView } from '../shared/map-view.js'
import { EMPTY_FORM, formView, readProposalForm, writtenLanguage } from './proposal-form.js'
import proposalStatusRoutes from './proposal-status.js'
import { figuresView, historyView, justificationShown } from './proposal-views.js'
import { officialTexts } from '../shared/official-texts.js'
import { followLink } from './follow-view.js'
import { FormInput, readForm } from '../forms.js'
import { progressView, proposalKeys } from '../shared/proposal-view.js'
import { ProposalBody, ProposalQuery, ReferencePath, SlugPath } from './schemas.js'
import { ballotBack } from '../shared/ballot-view.js'
import { listConversation } from '../../data/comments.js'
import { conversationView, readConversationQuery } from './conversation-views.js'
import conversationRoutes from './conversation.js'
import { MAX_PHOTOS, photosArePublic } from '../../domain/photos/rules.js'
import { listProposalPhotos } from '../../data/photos.js'
import { proposalPhotosView } from '../shared/photo-view.js'
import { FORM_TYPE } from '../../plugins/input.js'
import { encodePhotos, photoErrors, photoSlotsView, photoSummary, readPhotos, type PhotosRead } from '../photo-form.js'

/** The form posts as multipart, as it carries photos; a plain form without them is still read. */
const WITH_PHOTOS = [FORM_TYPE, 'multipart/form-data'] as const

export default async function proposalsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  function closed(reply: FastifyReply, round: Round) {
    return reply.code(409).render('pages/public/proposal-closed.hbs', {
      title: app.translate(reply.request.lang, 'proposals.closed.title'),
      round: roundView(round),
    })
  }

  /** A round that no longer (or not yet) takes proposals: its page says so. */
  const submit = {
    action: 'proposal.submit' as const,
    refuse: (request: FastifyRequest, reply: FastifyReply) => closed(reply, theRound(request)),
  }

  function form(
    reply: FastifyReply,
    round: Round,
    values: ProposalForm,
    errors: ProposalErrors,
    status: number,
    photos?: PhotosRead,
  ) {
    const lang = reply.request.lang
    const title = app.translate(lang, 'proposals.new.title')
    const formModel = formView(
      values,
      errors,
      round.budgetCents,
      `/rounds/${round.slug}/proposals`,
      'proposals.form.submit',
      lang,
    )
    const slots = photoSlotsView(photos, MAX_PHOTOS, status >= 400)
    const photoLinks = photoSummary(slots)
    return reply.code(status).render('pages/public/proposal-new.hbs', {
      title: status >= 400 ? app.translate(lang, 'form.errorTitle', { title }) : title,
      tooMany: status === 429,
      round,
      form: {
        ...formModel,
        photos: slots,
        photoErrors: photoLinks,
        hasErrors: formModel.hasErrors || photoLinks.length > 0,
        // The photos sit in the folded part: it opens when they were chosen or hold a mistake.
        moreOpen: formModel.moreOpen || slots.some((s) => s.error || s.chooseAgain || s.alt !== ''),
      },
    })
  }

  app.get(
    '/rounds/:slug/proposals/new',
    {
      schema: { params: SlugPath },
      config: submit,
    },
    async (request, reply) => {
      const round = theRound(request)
      return form(reply, round, EMPTY_FORM, {}, 200)
    },
  )

  app.post(
    '/rounds/:slug/proposals',
    {
      schema: { params: SlugPath, body: FormInput },
      config: { ...submit, bodyTypes: WITH_PHOTOS },
    },
    async (request, reply) => {
      const round = theRound(request)
      const { form: values, errors, fields } = readProposalForm(readForm(ProposalBody, request.body), round.budgetCents)
      const photos = await readPhotos(request, MAX_PHOTOS)
      if (!fields || photoErrors(photos)) return form(reply, round, values, errors, 422, photos)
      // Only a complete proposal counts, so a community centre's typos use up nothing.
      const { count } = await hitRateLimit(app.db, `proposal:${request.ip}`, PROPOSAL_THROTTLE.windowMs)
      if (count > PROPOSAL_THROTTLE.perAddress) return form(reply, round, values, {}, 429, photos)
      const encoded = await encodePhotos(photos)
      if (!encoded) return form(reply, round, values, errors, 422, photos)
      const created = await submitProposal(app.db, {
        round,
        actor: request.actor,
        lang: writtenLanguage(values, request.lang),
        fields,
        now: new Date(),
        photos: encoded,
      })
      if (!created) return closed(reply, round)
      return reply.redirect(`/status/${created.statusToken}`, 303)
    },
  )

  app.get(
    '/proposals/:reference',
    {
      schema: { params: ReferencePath, querystring: ProposalQuery },
      config: { action: 'round.view' },
    },
    async (request, reply) => {
      const [proposal, round] = [thePublicProposal(request), theRound(request)]
      const page = readConversationQuery(request.query)
      return reply.renderKept(
        `proposal:${proposal.id}`,
        [contentVersion(round)],
        'pages/public/proposal-detail.hbs',
        // Read only when the kept page is out of date: a proposal with 300 comments costs no query per visit.
        async () => {
          const [events, mergedInto, progress, conversation, funded, photos] = await Promise.all([
            listProposalEvents(app.db, proposal.id),
            proposal.duplicateOfId === null ? undefined : findProposalLink(app.db, proposal.duplicateOfId),
            allowed(request, 'results.view') ? listProgressUpdates(app.db, [proposal.id]) : [],
            listConversation(app.db, proposal.id, page),
            allowed(request, 'results.view') ? fundedIds(app.db, round.id) : new Set<number>(),
            listProposalPhotos(app.db, proposal.id),
          ])
          const [[shown], show] = await Promise.all([
            localised(app.db, [proposal], request.lang),
            officialTexts(app.db, round.id, request.lang, {
              comments: conversation.total + conversation.pinnedCount > 0,
            }),
          ])
          return {
            title: shown!.title,
            proposal: {
              ...shown!,
              ...proposalKeys(shown!),
              explainKey: `proposals.detail.explain.${shown!.status}`,
              justification: justificationShown(proposal, events, show),
            },
            round,
            ballotBack: ballotBack(request, round, proposal, request.query.from),
            mergedInto,
            figures: figuresView(proposal),
            point: pointView(proposal),
            photos: proposalPhotosView(photos, photosArePublic(proposal)),
            history: historyView(events, 'public', show),
            conversation: conversationView(conversation, page, {
              base: `/proposals/${proposal.reference}`,
              canWrite: allowed(request, 'comment.write'),
              canReport: allowed(request, 'comment.report'),
              phase: round.phase,
              show,
            }),
            progress: progressView(progress).map((u) => ({
              ...u,
              shown: show({ kind: 'progress', subjectId: u.id }, u.text),
            })),
            follow:
              allowed(request, 'follow.start') && newsToFollow(round.phase, funded.has(proposal.id))
                ? followLink(round, proposal)
                : null,
          }
        },
      )
    },
  )

  await app.register(proposalStatusRoutes)
  await app.register(conversationRoutes)
}
