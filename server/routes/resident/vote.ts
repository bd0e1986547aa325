import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findRoundBySlug, type Round } from '../../data/rounds.js'
import { hitRateLimit, peekRateLimit } from '../../data/rate-limits.js'
import {
  castBallot, countFailedCodeAttempt, findCode, findReceipt, hasBallot, listBallotProjects,
} from '../../data/voting.js'
import { checkBallot } from '../../domain/ballot.js'
import { can } from '../../domain/permissions.js'
import { generateReceipt, hashCode, normaliseCode, normaliseReceipt } from '../../domain/voting-code.js'
import { wantsFragment } from '../../plugins/views.js'
import { ballotView, chosenIds, rulesOf } from './ballot-view.js'

/** Wrong codes one address may type for one round per window: a letter code has ~79 bits, so this makes guessing hopeless. */
export const MAX_FAILED_CODES = 10
const FAILED_WINDOW_MS = 15 * 60 * 1000
const BALLOT_COOKIE = 'ballot'

const slugParams = { type: 'object', properties: { slug: { type: 'string', maxLength: 100 } }, required: ['slug'] } as const

interface BallotBody {
  projects?: string | string[]
  intent?: string
}

export default async function voteRoutes(app: FastifyInstance, opts: { codeKey: string }) {
  const votePath = (round: Round) => `/rounds/${round.slug}/vote`

  async function openRound(request: FastifyRequest<{ Params: { slug: string } }>) {
    const round = await findRoundBySlug(app.db, request.params.slug)
    return round && round.phase !== 'draft' ? round : undefined
  }

  /** A page title names the page first and the round after it, so a tab or a screen reader says where one is. */
  const pageTitle = (request: FastifyRequest, key: string, round: Round, failed = false) => {
    const title = app.translate(request.lang, key, { round: round.title })
    return failed ? app.translate(request.lang, 'form.errorTitle', { title }) : title
  }

  function renderClosed(reply: FastifyReply, round: Round) {
    const key = round.phase === 'proposing' || round.phase === 'reviewing' ? 'vote.pageTitle.notYet' : 'vote.pageTitle.closed'
    return reply.code(409).render('pages/resident/vote-closed.hbs', { title: pageTitle(reply.request, key, round), round })
  }

  /** The code this browser entered for this round, from its signed cookie. */
  function signedCodeId(request: FastifyRequest, round: Round): number | null {
    const raw = request.cookies[BALLOT_COOKIE]
    if (!raw) return null
    const unsigned = request.unsignCookie(raw)
    if (!unsigned.valid || !unsigned.value) return null
    const [roundId, codeId] = unsigned.value.split('.').map(Number)
    return roundId === round.id && Number.isInteger(codeId) ? codeId! : null
  }

  app.get<{ Params: { slug: string }; Querystring: { code?: string } }>('/rounds/:slug/vote', {
    schema: { params: slugParams, querystring: { type: 'object', properties: { code: { type: 'string', maxLength: 64 } } } },
  }, async (request, reply) => {
    const round = await openRound(request)
    if (!round) return reply.callNotFound()
    if (!can('resident', 'ballot.cast', round.phase)) return renderClosed(reply, round)
    // A scanned letter arrives with its code in the address; it is only put back in the form.
    return reply.header('Cache-Control', 'no-store').render('pages/resident/vote-code.hbs', {
      title: pageTitle(request, 'vote.pageTitle.code', round), round, code: request.query.code ?? '',
    })
  })

  app.post<{ Params: { slug: string }; Body: { code?: string } }>('/rounds/:slug/vote', {
    schema: { params: slugParams, body: { type: 'object', properties: { code: { type: 'string', maxLength: 64 }, _csrf: { type: 'string' } } } },
    attachValidation: true,
    config: { rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (request) => `vote:${request.ip}` } },
  }, async (request, reply) => {
    const round = await openRound(request)
    if (!round) return reply.callNotFound()
    if (!can('resident', 'ballot.cast', round.phase)) return renderClosed(reply, round)
    const typed = typeof request.body?.code === 'string' ? request.body.code : ''
    const refuse = (status: number, errorKey: string) =>
      reply.code(status).render('pages/resident/vote-code.hbs', { title: pageTitle(request, 'vote.pageTitle.code', round, true), round, code: typed, errorKey })

    const failKey = `codefail:${round.id}:${request.ip}`
    if ((await peekRateLimit(app.db, failKey)) >= MAX_FAILED_CODES) return refuse(429, 'vote.tooManyCodes')
    if (typed.trim() === '') return refuse(422, 'vote.codeRequired')
    const normalised = normaliseCode(typed)
    const code = normalised ? await findCode(app.db, round.id, hashCode(opts.codeKey, normalised)) : undefined
    if (!code) {
      await hitRateLimit(app.db, failKey, FAILED_WINDOW_MS)
      await countFailedCodeAttempt(app.db, round.id)
      return refuse(422, 'vote.codeUnknown')
    }
    if (code.revokedAt) return refuse(422, 'vote.codeRevoked')
    reply.setCookie(BALLOT_COOKIE, `${round.id}.${code.id}`, {
      signed: true, httpOnly: true, sameSite: 'lax', secure: 'auto', path: votePath(round), maxAge: 60 * 60,
    })
    return reply.redirect(`${votePath(round)}/ballot`, 303)
  })

  app.get<{ Params: { slug: string } }>('/rounds/:slug/vote/ballot', { schema: { params: slugParams } }, async (request, reply) => {
    const round = await openRound(request)
    if (!round) return reply.callNotFound()
    if (!can('resident', 'ballot.cast', round.phase)) return renderClosed(reply, round)
    const codeId = signedCodeId(request, round)
    if (codeId === null) return reply.redirect(votePath(round), 303)
    const [projects, votedBefore] = await Promise.all([listBallotProjects(app.db, round.id), hasBallot(app.db, codeId)])
    return reply.header('Cache-Control', 'no-store').render('pages/resident/vote-ballot.hbs', {
      title: pageTitle(request, 'vote.pageTitle.ballot', round), round, votedBefore, ballot: ballotView(round, projects, []),
    }, { fragment: 'partials/ballot-form.hbs' })
  })

  app.post<{ Params: { slug: string }; Body: BallotBody }>('/rounds/:slug/vote/ballot', {
    schema: {
      params: slugParams,
      body: {
        type: 'object',
        properties: {
          projects: { anyOf: [{ type: 'string', maxLength: 12 }, { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 12 } }] },
          intent: { type: 'string', enum: ['check', 'submit'] },
          _csrf: { type: 'string' },
        },
      },
    },
  }, async (request, reply) => {
    const round = await openRound(request)
    if (!round) return reply.callNotFound()
    // A tick sent by htmx cannot show a whole page in the ballot's place: it asks the browser to load it.
    const htmx = wantsFragment(request)
    if (!can('resident', 'ballot.cast', round.phase)) return htmx ? reply.header('HX-Refresh', 'true').send() : renderClosed(reply, round)
    const codeId = signedCodeId(request, round)
    if (codeId === null) return htmx ? reply.header('HX-Redirect', votePath(round)).send() : reply.redirect(votePath(round), 303)

    const projects = await listBallotProjects(app.db, round.id)
    const chosen = chosenIds(request.body?.projects)
    const render = (status: number, error?: Parameters<typeof ballotView>[3]) =>
      reply.code(status).header('Cache-Control', 'no-store').render('pages/resident/vote-ballot.hbs', {
        title: pageTitle(request, 'vote.pageTitle.ballot', round, error !== undefined), round, ballot: ballotView(round, projects, chosen.filter((id) => id > 0), error), announce: htmx,
      }, { fragment: 'partials/ballot-form.hbs' })

    const intent = request.body?.intent
    // A tick (htmx) only updates the meter; "check my choice" also says what the server would refuse.
    if (intent === undefined) return render(200)
    const verdict = checkBallot(rulesOf(round), projects, chosen)
    if (intent === 'check') return render(200, verdict.ok ? undefined : verdict.error)
    if (!verdict.ok) return render(422, verdict.error)
    const cast = await castBallot(app.db, { roundId: round.id, codeId, channel: 'online', projectIds: verdict.projectIds, receipt: generateReceipt() })
    if (!cast) {
      // The round closed or the code was revoked between showing the ballot and storing it.
      const now = await openRound(request)
      if (now && now.phase !== 'voting') return renderClosed(reply, now)
      reply.clearCookie(BALLOT_COOKIE, { path: votePath(round) })
      return reply.code(409).render('pages/resident/vote-code.hbs', { title: pageTitle(request, 'vote.pageTitle.code', round, true), round, code: '', errorKey: 'vote.codeRevoked' })
    }
    reply.clearCookie(BALLOT_COOKIE, { path: votePath(round) })
    return reply.redirect(`/receipts/${cast.receipt}?new=1`, 303)
  })

  const receiptTitle = (request: FastifyRequest, notFound: boolean) =>
    app.translate(request.lang, notFound ? 'receipt.notFoundTitle' : 'receipt.title')

  app.get<{ Querystring: { receipt?: string } }>('/receipts', {
    schema: { querystring: { type: 'object', properties: { receipt: { type: 'string', maxLength: 64 } } } },
  }, async (request, reply) => {
    const typed = request.query.receipt
    if (typed === undefined) return reply.render('pages/resident/receipt.hbs', { title: receiptTitle(request, false) })
    const receipt = normaliseReceipt(typed)
    if (!receipt) return reply.code(422).render('pages/resident/receipt.hbs', { title: receiptTitle(request, true), typed, notFound: true })
    return reply.redirect(`/receipts/${receipt}`, 303)
  })

  app.get<{ Params: { receipt: string }; Querystring: { new?: string } }>('/receipts/:receipt', {
    schema: {
      params: { type: 'object', properties: { receipt: { type: 'string', maxLength: 64 } }, required: ['receipt'] },
      querystring: { type: 'object', properties: { new: { type: 'string', maxLength: 1 } } },
    },
  }, async (request, reply) => {
    const receipt = normaliseReceipt(request.params.receipt)
    const found = receipt ? await findReceipt(app.db, receipt) : undefined
    return reply.code(found ? 200 : 404).render('pages/resident/receipt.hbs', {
      title: receiptTitle(request, !found), typed: request.params.receipt, receipt, found, justCast: request.query.new === '1', notFound: !found,
    })
  })
}
