import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { enterPaperBallot } from '../../data/codes.js'
import { findRound, type Round } from '../../data/rounds.js'
import { findCode, listBallotProjects, type Channel } from '../../data/voting.js'
import { checkBallot, type BallotError } from '../../domain/ballot.js'
import { can } from '../../domain/permissions.js'
import { generateReceipt, hashCode, normaliseCode, normaliseReceipt } from '../../domain/voting-code.js'
import { ballotView, chosenIds, rulesOf } from '../resident/ballot-view.js'
import { badId, idParams } from './rounds-view.js'

interface PaperBody { code?: string; projects?: string | string[]; replace_online?: string }

interface PaperForm {
  code?: string
  chosen?: number[]
  codeError?: string
  ballotError?: BallotError
  /** A ballot the code already has, which this one would replace once confirmed. */
  existing?: Channel
  confirmFor?: string
  messageKey?: string
  done?: { replaced: boolean; receipt: string }
}

const DONE = ['entered', 'replaced'] as const

const paperBody = {
  type: 'object',
  properties: {
    code: { type: 'string', maxLength: 64 },
    projects: { anyOf: [{ type: 'string', maxLength: 12 }, { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 12 } }] },
    replace_online: { type: 'string', maxLength: 64 },
    _csrf: { type: 'string' },
  },
} as const

const doneQuery = {
  type: 'object',
  properties: { done: { type: 'string', enum: [...DONE] }, receipt: { type: 'string', maxLength: 20 } },
} as const

export default async function paperRoutes(app: FastifyInstance, opts: { codeKey: string }) {
  const guard = app.requireAction('ballot.enter-paper')
  const open = (request: FastifyRequest, round: Round) => can(request.official!.role, 'ballot.enter-paper', round.phase)

  async function renderPaper(request: FastifyRequest, reply: FastifyReply, round: Round, form: PaperForm = {}) {
    const projects = await listBallotProjects(app.db, round.id)
    return reply.header('Cache-Control', 'no-store').render('pages/official/paper.hbs', {
      title: app.translate(request.lang, form.codeError || form.ballotError ? 'paper.errorTitle' : 'paper.title', { title: round.title }),
      round,
      open: open(request, round),
      ballot: ballotView(round, projects, form.chosen ?? [], form.ballotError),
      ...form,
    })
  }

  app.get<{ Params: { id: string }; Querystring: { done?: (typeof DONE)[number]; receipt?: string } }>('/rounds/:id/paper', {
    schema: { params: idParams, querystring: doneQuery },
    attachValidation: true,
    preHandler: guard,
  }, async (request, reply) => {
    const round = badId(request) ? undefined : await findRound(app.db, Number(request.params.id))
    if (!round) return reply.callNotFound()
    const receipt = request.validationError ? null : normaliseReceipt(request.query.receipt ?? '')
    const { done } = request.query
    return renderPaper(request, reply, round, { done: done && receipt ? { replaced: done === 'replaced', receipt } : undefined })
  })

  app.post<{ Params: { id: string }; Body: PaperBody }>('/rounds/:id/paper', {
    schema: { params: idParams, body: paperBody },
    attachValidation: true,
    preHandler: guard,
  }, async (request, reply) => {
    const round = badId(request) ? undefined : await findRound(app.db, Number(request.params.id))
    if (!round) return reply.callNotFound()
    const body = request.body ?? {}
    const code = typeof body.code === 'string' ? body.code : ''
    // The schema's complaints need no message of their own: a malformed code or choice fails the checks below.
    // Whatever arrived is put back in the form, so a refused ballot is corrected rather than typed again.
    const chosen = chosenIds(body.projects).filter((id) => id > 0)
    const refuse = (status: number, form: PaperForm) => renderPaper(request, reply.code(status), round, { code, chosen, ...form })
    if (!open(request, round)) return refuse(409, { messageKey: 'paper.closed' })

    const normalised = normaliseCode(code)
    if (!normalised) return refuse(422, { codeError: code.trim() === '' ? 'paper.codeRequired' : 'paper.notACode' })
    const found = await findCode(app.db, round.id, hashCode(opts.codeKey, normalised))
    if (!found) return refuse(422, { codeError: 'paper.codeUnknown' })
    if (found.revokedAt) return refuse(422, { codeError: 'paper.codeRevoked' })
    const verdict = checkBallot(rulesOf(round), await listBallotProjects(app.db, round.id), chosenIds(body.projects))
    if (!verdict.ok) return refuse(422, { messageKey: 'paper.summary', ballotError: verdict.error })

    const official = request.official!
    const outcome = await enterPaperBallot(app.db, {
      roundId: round.id, codeId: found.id, projectIds: verdict.projectIds, receipt: generateReceipt(),
      // A confirmation holds only for the code it was given for.
      confirmed: body.replace_online === normalised,
      official: { id: official.id, email: official.email },
    })
    if (outcome.kind === 'confirm') return refuse(409, { existing: outcome.existing, confirmFor: normalised })
    if (outcome.kind === 'refused') {
      const now = await findRound(app.db, round.id)
      return now && open(request, now)
        ? refuse(422, { codeError: 'paper.codeRevoked' })
        : renderPaper(request, reply.code(409), now ?? round, { code, chosen, messageKey: 'paper.closed' })
    }
    const done = outcome.replaced ? 'replaced' : 'entered'
    return reply.redirect(`/official/rounds/${round.id}/paper?done=${done}&receipt=${outcome.receipt}`, 303)
  })
}
