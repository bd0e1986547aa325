import type { FastifyInstance } from 'fastify'
import { findRoundBySlug } from '../../data/rounds.js'
import { listBallotProjects } from '../../data/voting.js'
import { minimumSpendCents } from '../../domain/ballot.js'
import { can } from '../../domain/permissions.js'
import { LANGUAGES, type Lang } from '../../languages.js'
import { rulesOf } from '../resident/ballot-view.js'
import { localised } from '../shared/localise.js'
import { helpDeskView } from './view-models.js'

const params = {
  type: 'object',
  properties: { slug: { type: 'string', maxLength: 100 }, lang: { type: 'string', enum: [...LANGUAGES] } },
  required: ['slug'],
} as const

/**
 * The printable A4 ballot, in the page's language or the one in the path (an official prints a stack per
 * language without changing their own), for
 * residents without a phone and for the community centre; officials enter the returned ones as paper ballots.
 */
export default async function paperBallotRoutes(app: FastifyInstance) {
  app.get<{ Params: { slug: string; lang?: Lang } }>('/rounds/:slug/paper-ballot/:lang?', { schema: { params } }, async (request, reply) => {
    if (request.params.lang) request.lang = request.params.lang
    const round = await findRoundBySlug(app.db, request.params.slug)
    if (!round || round.phase === 'draft') return reply.callNotFound()
    if (!can('resident', 'ballot.print', round.phase)) return reply.redirect(`/rounds/${round.slug}`, 303)
    const rules = rulesOf(round)
    return reply.render('pages/public/paper-ballot.hbs', {
      title: app.translate(request.lang, 'paperBallot.title', { title: round.title }),
      round,
      knapsack: rules.format === 'knapsack',
      minimumCents: minimumSpendCents(rules),
      projects: await localised(app.db, await listBallotProjects(app.db, round.id), request.lang),
      helpDesk: helpDeskView(round.helpDesk),
      printPage: true,
    })
  })
}
