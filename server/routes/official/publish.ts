import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { SOFTWARE_VERSION } from '../../assets.js'
import { previewResults } from '../../data/results.js'
import { ruleDifference } from '../../domain/results/compare.js'
import { TALLY_RULES } from '../../domain/tally/tally.js'
import { theOfficial, theRound } from '../../plugins/auth.js'
import { publishResult } from '../../usecases/results.js'
import { IdPath } from './schemas.js'
import { wrongPhase } from '../shared/wrong-phase.js'

/**
 * Publishing cannot be taken back, so the preview's button leads to a page that says what will
 * become final (the rule, the winners, the money, and what the other rule would have funded
 * instead) and holds the one form that publishes. The page is a safety catch, not a step the
 * server insists on: the POST alone publishes as before, guarded by CSRF and a fresh second factor.
 */
export default async function publishRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const confirmPage = (request: FastifyRequest) => `/official/rounds/${theRound(request).id}/publish`

  const notClosed = wrongPhase(app, 'results.notClosed')
  const publishing = {
    config: { action: 'results.publish' as const, refuse: notClosed },
    // A frozen result cannot be taken back: the second factor is asked again before the page, so the final step goes through.
    preHandler: app.requireFreshSecondFactor(confirmPage),
  }

  app.get('/rounds/:id/publish', { schema: { params: IdPath }, ...publishing }, async (request, reply) => {
    const round = theRound(request)
    const other = TALLY_RULES.find((rule) => rule !== round.tallyRule)!
    // Counted as the preview counts, and kept: the final step then publishes this very count.
    const { data, previews } = await previewResults(app.db, round, [round.tallyRule, other], SOFTWARE_VERSION)
    const counting = previews[0]!.outcome
    const alternative = previews[1]!.outcome
    const projects = new Map(data.projects.map((p) => [String(p.id), p]))
    const outcomes = new Map(counting.projects.map((p) => [p.id, p]))
    const named = (ids: readonly string[]) =>
      ids.map((id) => {
        const project = projects.get(id)!
        return {
          title: project.title,
          reference: project.reference,
          costCents: project.costCents,
          votes: outcomes.get(id)?.votes,
          points: outcomes.get(id)?.points,
          hasPoints: outcomes.get(id)?.points !== undefined,
        }
      })
    const difference = ruleDifference(counting, alternative)
    return reply.render('pages/official/results-publish.hbs', {
      title: app.translate(request.lang, 'results.confirm.title'),
      round,
      ruleKey: `results.rule.${round.tallyRule}`,
      otherRuleKey: `results.rule.${other}`,
      ballots: data.ballots.length,
      winners: named(counting.selected),
      spent: counting.totalCost,
      left: round.budgetCents - counting.totalCost,
      otherSpent: alternative.totalCost,
      onlyCounting: named(difference.onlyCounting),
      onlyOther: named(difference.onlyOther),
      sameProjects: difference.onlyCounting.length === 0 && difference.onlyOther.length === 0,
    })
  })

  app.post('/rounds/:id/publish', { schema: { params: IdPath }, ...publishing }, async (request, reply) => {
    const round = theRound(request)
    const outcome = await publishResult(app.db, {
      roundId: round.id,
      actor: request.actor,
      official: theOfficial(request),
      softwareVersion: SOFTWARE_VERSION,
      mailer: app,
    })
    if ('refused' in outcome) return notClosed(request, reply)
    return reply.redirect(`/official/rounds/${round.id}/results`, 303)
  })
}
