import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { appendAudit } from '../../data/audit.js'
import { countProposalsByStatus, findRound, moveRound, type Round } from '../../data/rounds.js'
import type { Db } from '../../../db/client.js'
import { nextPhase, PHASES, type Phase } from '../../domain/phases.js'
import { advanceRefusal } from '../../domain/round-rules.js'
import { badId, idParams } from './rounds-view.js'

const advanceBody = {
  type: 'object',
  properties: { from: { type: 'string', enum: [...PHASES] }, _csrf: { type: 'string' } },
  required: ['from'],
} as const

const REFUSAL_STATUS = { final: 409, noApproved: 422, publishFirst: 409, stale: 409 } as const

async function approvedCount(db: Db, roundId: number): Promise<number> {
  return (await countProposalsByStatus(db, roundId)).approved ?? 0
}

export default async function advanceRoutes(app: FastifyInstance) {
  const guard = app.requireAction('round.advance')

  /** The confirmation: from which phase to which, and what that means for residents. */
  async function renderConfirm(request: FastifyRequest, reply: FastifyReply, round: Round, messageKey?: string) {
    const next = nextPhase(round.phase)
    const refusal = advanceRefusal(round.phase, await approvedCount(app.db, round.id))
    const phaseName = (phase: Phase) => app.translate(request.lang, `phase.${phase}`)
    return reply.render('pages/official/round-advance.hbs', {
      title: next
        ? app.translate(request.lang, 'rounds.advance.question', { from: phaseName(round.phase), to: phaseName(next) })
        : app.translate(request.lang, 'rounds.advance.finalTitle'),
      round,
      next,
      refusalKey: refusal ? `rounds.advance.refused.${refusal}` : undefined,
      messageKey,
    })
  }

  app.get<{ Params: { id: string } }>('/rounds/:id/advance', {
    schema: { params: idParams },
    attachValidation: true,
    preHandler: guard,
  }, async (request, reply) => {
    const round = badId(request) ? undefined : await findRound(app.db, Number(request.params.id))
    if (!round) return reply.callNotFound()
    return renderConfirm(request, reply, round)
  })

  app.post<{ Params: { id: string }; Body: { from: Phase } }>('/rounds/:id/advance', {
    schema: { params: idParams, body: advanceBody },
    attachValidation: true,
    preHandler: guard,
  }, async (request, reply) => {
    if (badId(request)) return reply.callNotFound()
    if (request.validationError) throw request.validationError
    const id = Number(request.params.id)
    const { from } = request.body
    const who = request.official!
    const outcome = await app.db.transaction(async (tx) => {
      const round = await findRound(tx, id)
      if (!round) return 'notFound'
      if (round.phase !== from) return 'stale'
      const refusal = advanceRefusal(from, await approvedCount(tx, id))
      if (refusal) return refusal
      const to = nextPhase(from)!
      // The form says which phase the admin saw: only a round still there moves, so a replay finds nothing to do.
      if (!(await moveRound(tx, id, from, to))) return 'stale'
      await appendAudit(tx, { officialId: who.id, actor: who.email, action: 'round.advance', object: `round:${id}`, details: { from, to } })
      return 'moved'
    })
    if (outcome === 'moved') return reply.redirect(`/official/rounds/${id}?notice=advanced`, 303)
    const current = await findRound(app.db, id)
    if (outcome === 'notFound' || !current) return reply.callNotFound()
    const messageKey = outcome === 'stale' ? 'rounds.advance.stale' : `rounds.advance.refused.${outcome}`
    return renderConfirm(request, reply.code(REFUSAL_STATUS[outcome]), current, messageKey)
  })
}
