import type { FastifyInstance } from 'fastify'
import { findRound } from '../../data/rounds.js'
import { turnout, type Channel } from '../../data/voting.js'
import { badId, idParams } from './rounds-view.js'

interface Figures {
  issued: number
  revoked: number
  valid: number
  online: number
  paper: number
  cast: number
  /** Ballots per valid code, in percent with one decimal; null while there are no valid codes. */
  percent: number | null
}

function figures(issued: number, revoked: number, online: number, paper: number): Figures {
  const valid = issued - revoked
  const cast = online + paper
  return { issued, revoked, valid, online, paper, cast, percent: valid > 0 ? Math.round((cast / valid) * 1000) / 10 : null }
}

/** Totals and one row per group; ballots of revoked codes are already left out of `cast`. */
export function turnoutFigures(data: Awaited<ReturnType<typeof turnout>>) {
  const castOf = (group: string | null, channel: Channel) =>
    data.cast.filter((c) => c.group === group && c.channel === channel).reduce((sum, c) => sum + c.ballots, 0)
  const groups = data.codes.map((g) => ({ label: g.group, ...figures(g.issued, g.revoked, castOf(g.group, 'online'), castOf(g.group, 'paper')) }))
  const sum = (key: 'issued' | 'revoked' | 'online' | 'paper') => groups.reduce((total, g) => total + g[key], 0)
  return { total: figures(sum('issued'), sum('revoked'), sum('online'), sum('paper')), groups }
}

export default async function turnoutRoutes(app: FastifyInstance) {
  app.get<{ Params: { id: string } }>('/rounds/:id/turnout', {
    schema: { params: idParams },
    attachValidation: true,
  }, async (request, reply) => {
    const round = badId(request) ? undefined : await findRound(app.db, Number(request.params.id))
    if (!round) return reply.callNotFound()
    const { total, groups } = turnoutFigures(await turnout(app.db, round.id))
    return reply.render('pages/official/turnout.hbs', {
      title: app.translate(request.lang, 'turnout.title', { title: round.title }),
      round,
      total,
      groups,
      // One group with no name is the same as no groups at all: the totals say it all.
      showGroups: groups.some((g) => g.label !== null),
      failedCodeAttempts: round.failedCodeAttempts,
    })
  })
}
