import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findRound, transitionFacts, type Round } from '../../data/rounds.js'
import { advanceRound, type AdvanceOutcome } from '../../usecases/phases.js'
import { votingIsOver } from '../../domain/rounds/voting-period.js'
import {
  closesEarly,
  movesByPublishing,
  NO_FACTS,
  opensVoting,
  transitionFrom,
  transitionRefusal,
  unconfirmedWaiting,
} from '../../domain/rounds/transitions.js'
import type { Phase } from '../../domain/rounds/phases.js'
import { theRound, theOfficial } from '../../plugins/auth.js'
import { chosenIds } from '../shared/ballot-view.js'
import { phaseKey } from '../shared/round-view.js'
import { AdvanceForm, IdPath } from './schemas.js'

const REFUSAL_STATUS: Record<Exclude<AdvanceOutcome, 'moved' | 'notFound'>, number> = {
  final: 409,
  noApproved: 422,
  unreviewed: 422,
  publishFirst: 409,
  stale: 409,
  forbidden: 403,
  notDue: 409,
  reasonNeeded: 422,
}

export default async function advanceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  /** The confirmation: from which phase to which, what that means for residents, and what still stands in the way. */
  async function renderConfirm(
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    messageKey?: string,
    confirmed: readonly number[] = [],
    reason = '',
  ) {
    const next = transitionFrom(round.phase)?.to
    const facts = {
      ...(await transitionFacts(app.db, round.id, confirmed)),
      votingUntil: round.votingUntil,
      votingOver: votingIsOver(round.votingUntil, new Date()),
    }
    // What would stop the move were every box ticked and a reason given: the form asks for those.
    const refusal = transitionRefusal(request.actor, 'round.advance', round.phase, {
      ...facts,
      confirmedUnreviewed: facts.waiting.map((p) => p.id),
      closingReason: 'given',
    })
    const phaseName = (phase: Phase) => app.translate(request.lang, phaseKey(phase))
    const open = new Set(unconfirmedWaiting(facts).map((p) => p.id))
    const refusalKey = refusal ? `rounds.advance.refused.${refusal}` : undefined
    return reply.render('pages/official/round-advance.hbs', {
      title: next
        ? app.translate(request.lang, 'rounds.advance.question', { from: phaseName(round.phase), to: phaseName(next) })
        : app.translate(request.lang, 'rounds.advance.finalTitle'),
      round,
      next,
      phaseKey: phaseKey(round.phase),
      nextPhaseKey: next && phaseKey(next),
      meaningKey: next && `rounds.advance.meaning.${next}`,
      toPublished: movesByPublishing(round.phase),
      // Proposals still waiting can be answered "not reviewed before voting" only by ticking each one.
      unreviewed:
        refusal === null && opensVoting(round.phase) && facts.waiting.length > 0
          ? facts.waiting.map((p) => ({ ...p, checked: !open.has(p.id) }))
          : undefined,
      // Proposals sent back to their submitter miss the ballot unless a moderator approves them first.
      awaitingSubmitter:
        opensVoting(round.phase) && facts.awaitingSubmitter.length > 0 ? facts.awaitingSubmitter : undefined,
      // Closing before the promised last day: the page names that day and asks why.
      closesEarly: refusal === null && transitionFrom(round.phase)?.to === 'closed' && closesEarly(facts),
      votingUntil: round.votingUntil,
      reason,
      refusalKey,
      // The refusal is said once: as the message of the answer, or else on its own.
      showRefusal: refusalKey !== undefined && refusalKey !== messageKey,
      messageKey,
    })
  }

  /** Why this round cannot be moved on from where it is, on the confirmation page. */
  function refuseMove(request: FastifyRequest, reply: FastifyReply) {
    const round = theRound(request)
    const refusal = transitionRefusal(request.actor, 'round.advance', round.phase, NO_FACTS) ?? 'forbidden'
    return renderConfirm(request, reply.code(REFUSAL_STATUS[refusal]), round, `rounds.advance.refused.${refusal}`)
  }

  app.get(
    '/rounds/:id/advance',
    {
      schema: { params: IdPath },
      // A published round goes nowhere: the page says it is the last phase.
      config: { action: 'round.advance', refuse: (request, reply) => renderConfirm(request, reply, theRound(request)) },
    },
    async (request, reply) => renderConfirm(request, reply, theRound(request)),
  )

  app.post(
    '/rounds/:id/advance',
    {
      schema: { params: IdPath, body: AdvanceForm },
      config: { action: 'round.advance', refuse: refuseMove },
    },
    async (request, reply) => {
      const { id } = theRound(request)
      const { from } = request.body
      const confirmedUnreviewed = chosenIds(request.body.unreviewed).filter((n) => n > 0)
      const closingReason = request.body.reason ?? ''
      const outcome = await advanceRound(app.db, {
        id,
        from,
        actor: request.actor,
        official: theOfficial(request),
        confirmedUnreviewed,
        closingReason,
        now: new Date(),
        mailer: app,
      })
      if (outcome === 'moved') return reply.redirect(`/official/rounds/${id}?notice=advanced`, 303)
      const current = await findRound(app.db, id)
      if (outcome === 'notFound' || !current) return reply.callNotFound()
      const messageKey = outcome === 'stale' ? 'rounds.advance.stale' : `rounds.advance.refused.${outcome}`
      return renderConfirm(
        request,
        reply.code(REFUSAL_STATUS[outcome]),
        current,
        messageKey,
        confirmedUnreviewed,
        closingReason,
      )
    },
  )
}
