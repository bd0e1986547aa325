import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listBallotProjects } from '../../data/ballots.js'
import { minimumSpendCents, takesPaperBallots } from '../../domain/voting/ballot.js'
import { theRound } from '../../plugins/auth.js'
import { rulesOf } from '../shared/ballot-view.js'
import { localised } from '../shared/localise.js'
import { localisedRoundTexts, officialTexts } from '../shared/official-texts.js'
import { PaperBallotPath } from './schemas.js'

/**
 * The printable A4 ballot, in the page's language or the one in the path, for residents without a
 * phone and for the community centre; officials enter the returned ones as paper ballots.
 */
export default async function paperBallotRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/rounds/:slug/paper-ballot/:lang?',
    {
      schema: { params: PaperBallotPath },
      // Before the ballot can be printed (or after voting), the round's page says what there is.
      config: {
        action: 'ballot.print',
        refuse: (request: FastifyRequest, reply: FastifyReply) =>
          reply.redirect(`/rounds/${theRound(request).slug}`, 303),
      },
    },
    async (request, reply) => {
      if (request.params.lang) request.lang = request.params.lang
      const round = theRound(request)
      if (!takesPaperBallots(round.ballotFormat)) return reply.redirect(`/rounds/${round.slug}`, 303)
      const rules = rulesOf(round)
      return reply.render('pages/public/paper-ballot.hbs', {
        title: app.translate(request.lang, 'paperBallot.title', { title: round.title }),
        round,
        knapsack: rules.format === 'knapsack',
        minimumCents: minimumSpendCents(rules),
        projects: await localised(app.db, await listBallotProjects(app.db, round.id), request.lang),
        helpDesk: localisedRoundTexts(round, await officialTexts(app.db, round.id, request.lang)).helpDesk,
        printPage: true,
      })
    },
  )
}
