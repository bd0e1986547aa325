import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listProposalEvents } from '../../data/proposal-events.js'
import { findProposalByToken, findProposalLink, resubmitProposal, type Proposal } from '../../data/proposals.js'
import { allowed, theProposal, theRound } from '../../plugins/auth.js'
import type { Round } from '../../data/rounds.js'
import type { ProposalErrors, ProposalForm } from '../../domain/proposals/rules.js'
import { canResubmit } from '../../domain/proposals/moderation.js'
import { formFromProposal, formView, readProposalForm, writtenLanguage } from './proposal-form.js'
import { historyView, justificationShown } from './proposal-views.js'
import { officialTexts } from '../shared/official-texts.js'
import { FormInput, readForm } from '../forms.js'
import { MAILED_NOTICES, ProposalBody, StatusQuery, TokenPath } from './schemas.js'
import { listConversation } from '../../data/comments.js'
import { conversationView, readConversationQuery } from './conversation-views.js'
import { mailStatusLink } from '../../usecases/proposals.js'
import { maskEmail, statusLinkMail } from './status-link.js'

/**
 * The submitter's private pages, reached only through the secret link they were given.
 * They must not be cached (a shared computer) nor indexed; Referrer-Policy: no-referrer is global.
 */
export default async function proposalStatusRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.addHook('onRequest', async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    reply.header('X-Robots-Tag', 'noindex')
  })

  function locked(reply: FastifyReply, proposal: Proposal) {
    return reply.code(409).render('pages/public/status-locked.hbs', {
      title: app.translate(reply.request.lang, 'proposals.locked.title'),
      proposal: { statusToken: proposal.statusToken, lockedKey: `proposals.locked.${proposal.status}` },
    })
  }

  /** The submitter may fix their idea only while officials can still review it, or it would wait for ever. */
  const resubmit = {
    action: 'proposal.resubmit' as const,
    refuse: (request: FastifyRequest, reply: FastifyReply) => locked(reply, theProposal(request)),
  }

  function editForm(
    reply: FastifyReply,
    found: { proposal: Proposal; round: Round },
    values: ProposalForm,
    errors: ProposalErrors,
    status: number,
  ) {
    const { proposal, round } = found
    const lang = reply.request.lang
    const title = app.translate(lang, 'proposals.edit.title')
    return reply.code(status).render('pages/public/status-edit.hbs', {
      title: status === 422 ? app.translate(lang, 'form.errorTitle', { title }) : title,
      proposal: { reference: proposal.reference, statusToken: proposal.statusToken },
      form: formView(
        values,
        errors,
        round.budgetCents,
        `/status/${proposal.statusToken}`,
        'proposals.form.resubmit',
        lang,
      ),
    })
  }

  app.get(
    '/status/:token',
    { schema: { params: TokenPath, querystring: StatusQuery }, config: { action: 'proposal.follow' } },
    async (request, reply) => {
      const [proposal, round] = [theProposal(request), theRound(request)]
      const mailed = MAILED_NOTICES.find((notice) => notice === request.query.mailed)
      const page = readConversationQuery(request.query)
      const [events, mergedInto, show, conversation] = await Promise.all([
        listProposalEvents(app.db, proposal.id),
        proposal.duplicateOfId === null ? undefined : findProposalLink(app.db, proposal.duplicateOfId),
        officialTexts(app.db, round.id, request.lang),
        listConversation(app.db, proposal.id, page),
      ])
      return reply.render('pages/public/status.hbs', {
        // What residents asked and said about the idea, each one answerable as its submitter.
        conversation: conversationView(conversation, page, {
          base: `/status/${proposal.statusToken}`,
          canWrite: allowed(request, 'comment.write'),
          canReport: allowed(request, 'comment.report'),
          phase: round.phase,
        }),
        title: app.translate(request.lang, 'proposals.status.title'),
        proposal: {
          reference: proposal.reference,
          title: proposal.title,
          status: proposal.status,
          isRejected: proposal.status === 'rejected',
          statusKey: `status.${proposal.status}`,
          explainKey: `proposals.status.explain.${proposal.status}`,
          costCents: proposal.costCents,
          correctedCostCents: proposal.correctedCostCents,
          costJustification: proposal.costJustification,
          justification: justificationShown(proposal, events, show),
        },
        round: { slug: round.slug, title: round.title },
        statusUrl: `${app.publicUrl}/status/${proposal.statusToken}`,
        editPath:
          allowed(request, 'proposal.resubmit') && canResubmit(proposal.status)
            ? `/status/${proposal.statusToken}/edit`
            : null,
        mergedInto,
        history: historyView(events, 'submitter', show),
        copyScript: app.assetUrl('copy-link.js'),
        mail: {
          masked: proposal.contactEmail ? maskEmail(proposal.contactEmail) : null,
          action: `/status/${proposal.statusToken}/mail`,
          noticeKey: mailed && `statusLink.notice.${mailed}`,
          ok: mailed === 'queued',
        },
      })
    },
  )

  app.post(
    '/status/:token/mail',
    { schema: { params: TokenPath, body: FormInput }, config: { action: 'proposal.follow' } },
    async (request, reply) => {
      const proposal = theProposal(request)
      const outcome = await mailStatusLink(app.db, {
        proposal,
        mail: (to) => statusLinkMail(app, proposal, to),
      })
      const back = `/status/${proposal.statusToken}`
      return reply.redirect(outcome === 'no-address' ? back : `${back}?mailed=${outcome}`, 303)
    },
  )

  app.get('/status/:token/edit', { schema: { params: TokenPath }, config: resubmit }, async (request, reply) => {
    const found = { proposal: theProposal(request), round: theRound(request) }
    if (!canResubmit(found.proposal.status)) return locked(reply, found.proposal)
    return editForm(reply, found, formFromProposal(found.proposal, request.lang), {}, 200)
  })

  app.post(
    '/status/:token',
    {
      schema: { params: TokenPath, body: FormInput },
      config: resubmit,
    },
    async (request, reply) => {
      const found = { proposal: theProposal(request), round: theRound(request) }
      if (!canResubmit(found.proposal.status)) return locked(reply, found.proposal)
      const { form, errors, fields } = readProposalForm(readForm(ProposalBody, request.body), found.round.budgetCents)
      if (!fields) return editForm(reply, found, form, errors, 422)
      const saved = await resubmitProposal(app.db, {
        statusToken: found.proposal.statusToken,
        lang: writtenLanguage(form, request.lang),
        fields,
        now: new Date(),
      })
      if (!saved) {
        const now = await findProposalByToken(app.db, found.proposal.statusToken)
        return locked(reply, now?.proposal ?? found.proposal)
      }
      return reply.redirect(`/status/${found.proposal.statusToken}`, 303)
    },
  )
}
