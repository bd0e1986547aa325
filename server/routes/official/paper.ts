import { randomInt } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Round } from '../../data/rounds.js'
import { findCode } from '../../data/voting-codes.js'
import { listBallotProjects } from '../../data/ballots.js'
import { takesPaperBallots, type BallotError } from '../../domain/voting/ballot.js'
import { checkChoice, codeBallot } from '../../usecases/ballots.js'
import type { Channel } from '../../domain/voting/turnout.js'
import { generateReceipt, hashCode, normaliseCode, normaliseReceipt } from '../../domain/voting/codes.js'
import { allowed, theOfficial, theRound } from '../../plugins/auth.js'
import { enterPaper } from '../../usecases/ballots.js'
import { ballotView, chosenIds, rulesOf } from '../shared/ballot-view.js'
import { FormInput, readForm, readQuery } from '../forms.js'
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

  async function renderPaper(request: FastifyRequest, reply: FastifyReply, round: Round, page: PaperPage = {}) {
    const projects = await listBallotProjects(app.db, round.id)
    const hasErrors = Boolean(page.codeError || page.ballotError)
    return reply.header('Cache-Control', 'no-store').render('pages/official/paper.hbs', {
      title: app.translate(request.lang, hasErrors ? 'paper.errorTitle' : 'paper.title', {
        title: round.title,
      }),
      hasErrors,
      round,
      open: allowed(request, 'ballot.enter-paper') && takesPaperBallots(round.ballotFormat),
      ballot: ballotView(round, projects, page.chosen ?? [], page.ballotError, 'paper'),
      existingKey: page.existing && `paper.existing.${page.existing}`,
      ...page,
    })
  }

  app.get(
    '/rounds/:id/paper',
    {
      schema: { params: IdPath, querystring: FormInput },
      config: { action: 'paper.view' },
    },
    async (request, reply) => {
      const query = readQuery(PaperQuery, request.query)
      const receipt = normaliseReceipt(query.receipt ?? '')
      const { done } = query
      const round = theRound(request)
      return renderPaper(request, reply, round, {
        done: done && receipt ? { replaced: done === 'replaced', receipt } : undefined,
        messageKey: takesPaperBallots(round.ballotFormat) ? undefined : 'paper.noPoints',
      })
    },
  )

  app.post(
    '/rounds/:id/paper',
    {
      schema: { params: IdPath, body: FormInput },
      config: {
        action: 'ballot.enter-paper',
        refuse: (request: FastifyRequest, reply: FastifyReply) =>
          renderPaper(request, reply.code(409), theRound(request), { messageKey: 'paper.closed' }),
      },
    },
    async (request, reply) => {
      const round = theRound(request)
      if (!takesPaperBallots(round.ballotFormat))
        return renderPaper(request, reply.code(409), round, { messageKey: 'paper.noPoints' })
      // The schema's complaints need no message of their own: a malformed code or choice fails the checks below.
      // Whatever arrived is put back in the form, so a refused ballot is corrected rather than typed again.
      const { code, projects, replace_online } = readForm(PaperForm, request.body).typed
      const chosen = chosenIds(projects).filter((id) => id > 0)
      const refuse = (status: number, page: PaperPage) =>
        renderPaper(request, reply.code(status), round, { code, chosen, ...page })

      const normalised = normaliseCode(code)
      if (!normalised) return refuse(422, { codeError: code.trim() === '' ? 'paper.codeRequired' : 'paper.notACode' })
      const found = await findCode(app.db, round.id, hashCode(opts.codeKey, normalised))
      if (!found) return refuse(422, { codeError: 'paper.codeUnknown' })
      if (found.revokedAt) return refuse(422, { codeError: 'paper.codeRevoked' })
      // A round of several budgets checks each, and a district code only in the budgets it votes in.
      const verdict = checkChoice(rulesOf(round), await codeBallot(app.db, round, found.id), chosenIds(projects))
      if (!verdict.ok) return refuse(422, { messageKey: 'paper.summary', ballotError: verdict.error })

      const outcome = await enterPaper(app.db, {
        round,
        actor: request.actor,
        now: new Date(),
        codeId: found.id,
        projectIds: verdict.projectIds,
        receipt: generateReceipt(randomInt),
        // A confirmation holds only for the code it was given for.
        confirmed: replace_online === normalised,
        official: theOfficial(request),
      })
      if ('refused' in outcome) {
        return outcome.refused === 'revoked'
          ? refuse(422, { codeError: 'paper.codeRevoked' })
          : renderPaper(request, reply.code(409), outcome.round, { code, chosen, messageKey: 'paper.closed' })
      }
      if (outcome.kind === 'confirm') return refuse(409, { existing: outcome.existing, confirmFor: normalised })
      const done = outcome.replaced ? 'replaced' : 'entered'
      return reply.redirect(`/official/rounds/${round.id}/paper?done=${done}&receipt=${outcome.receipt}`, 303)
    },
  )
}
