import { randomInt } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { enterPaperBallot } from '../../data/ballots.js'
import { findRound, type Round } from '../../data/rounds.js'
import { findCode } from '../../data/voting-codes.js'
import { listBallotProjects } from '../../data/ballots.js'
import { checkBallot, type BallotError } from '../../domain/voting/ballot.js'
import { can } from '../../domain/access/permissions.js'
import type { Channel } from '../../domain/voting/turnout.js'
import { generateReceipt, hashCode, normaliseCode, normaliseReceipt } from '../../domain/voting/codes.js'
import { theRound } from '../../plugins/auth.js'
import { ballotView, chosenIds, rulesOf } from '../shared/ballot-view.js'
import { IdPath, PaperForm, PaperQuery } from './schemas.js'

interface PaperPage {
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

export default async function paperRoutes(fastify: FastifyInstance, opts: { codeKey: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const open = (request: FastifyRequest, round: Round) => can(request.official!.role, 'ballot.enter-paper', round.phase)

  async function renderPaper(request: FastifyRequest, reply: FastifyReply, round: Round, page: PaperPage = {}) {
    const projects = await listBallotProjects(app.db, round.id)
    return reply.header('Cache-Control', 'no-store').render('pages/official/paper.hbs', {
      title: app.translate(request.lang, page.codeError || page.ballotError ? 'paper.errorTitle' : 'paper.title', {
        title: round.title,
      }),
      round,
      open: open(request, round),
      ballot: ballotView(round, projects, page.chosen ?? [], page.ballotError),
      ...page,
    })
  }

  app.get(
    '/rounds/:id/paper',
    {
      schema: { params: IdPath, querystring: PaperQuery },
      attachValidation: true,
      config: { action: 'ballot.enter-paper' },
    },
    async (request, reply) => {
      const receipt = request.validationError ? null : normaliseReceipt(request.query.receipt ?? '')
      const { done } = request.query
      return renderPaper(request, reply, theRound(request), {
        done: done && receipt ? { replaced: done === 'replaced', receipt } : undefined,
      })
    },
  )

  app.post(
    '/rounds/:id/paper',
    {
      schema: { params: IdPath, body: PaperForm },
      attachValidation: true,
      config: { action: 'ballot.enter-paper' },
    },
    async (request, reply) => {
      const round = theRound(request)
      const body = request.body ?? {}
      const code = typeof body.code === 'string' ? body.code : ''
      // The schema's complaints need no message of their own: a malformed code or choice fails the checks below.
      // Whatever arrived is put back in the form, so a refused ballot is corrected rather than typed again.
      const chosen = chosenIds(body.projects).filter((id) => id > 0)
      const refuse = (status: number, page: PaperPage) =>
        renderPaper(request, reply.code(status), round, { code, chosen, ...page })
      if (!open(request, round)) return refuse(409, { messageKey: 'paper.closed' })

      const normalised = normaliseCode(code)
      if (!normalised) return refuse(422, { codeError: code.trim() === '' ? 'paper.codeRequired' : 'paper.notACode' })
      const found = await findCode(app.db, round.id, hashCode(opts.codeKey, normalised))
      if (!found) return refuse(422, { codeError: 'paper.codeUnknown' })
      if (found.revokedAt) return refuse(422, { codeError: 'paper.codeRevoked' })
      const verdict = checkBallot(rulesOf(round), await listBallotProjects(app.db, round.id), chosenIds(body.projects))
      if (!verdict.ok) return refuse(422, { messageKey: 'paper.summary', ballotError: verdict.error })

      const outcome = await enterPaperBallot(app.db, {
        roundId: round.id,
        codeId: found.id,
        projectIds: verdict.projectIds,
        receipt: generateReceipt(randomInt),
        // A confirmation holds only for the code it was given for.
        confirmed: body.replace_online === normalised,
        official: request.official!,
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
    },
  )
}
