import { budgetRows } from '../public/results.js'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SOFTWARE_VERSION } from '../../assets.js'
import { findResult, loadTallyData, previewResults } from '../../data/results.js'
import type { Round } from '../../data/rounds.js'
import type { TallyRule } from '../../domain/tally/tally.js'
import { allowed, theRound } from '../../plugins/auth.js'
import { resultRows } from '../shared/result-view.js'
import { IdPath } from './schemas.js'
import progressRoutes from './progress.js'
import publishRoutes from './publish.js'

/** The round's own rule first in the preview, then the other. */
const PREVIEW_ORDER: readonly TallyRule[] = ['equal-shares', 'greedy']
export default async function resultsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  /** Both rules side by side before publishing; after, the frozen result with its progress updates. */
  async function renderResults(request: FastifyRequest, reply: FastifyReply, round: Round) {
    const published = allowed(request, 'results.view') ? await findResult(app.db, round.id) : undefined
    if (published) {
      const data = await loadTallyData(app.db, round)
      const rows = resultRows(published.outcome, data.projects, request.lang)
      const title = app.translate(request.lang, 'results.title')
      return reply.render('pages/official/results.hbs', {
        title,
        round,
        published,
        rows,
        ruleKey: `results.rule.${published.rule}`,
        canFollowUp: allowed(request, 'progress.post'),
      })
    }
    // Kept with what it counted: publishing takes the round's rule's outcome if nothing changed since.
    const { data, previews } = await previewResults(app.db, round, PREVIEW_ORDER, SOFTWARE_VERSION)
    return reply.render('pages/official/results-preview.hbs', {
      title: app.translate(request.lang, 'results.previewTitle'),
      round,
      ruleKey: `results.rule.${round.tallyRule}`,
      previews: await Promise.all(
        previews.map(async ({ rule, outcome }) => ({
          rule,
          // A round of several budgets: what each would spend, and where its rest would go.
          budgets: await budgetRows(app.db, round.id, outcome),
          ruleKey: `results.rule.${rule}`,
          official: rule === round.tallyRule,
          totalCost: outcome.totalCost,
          left: round.budgetCents - outcome.totalCost,
          ties: outcome.ties.length,
          rows: resultRows(outcome, data.projects, request.lang),
        })),
      ),
      ballots: data.ballots.length,
      canPublish: allowed(request, 'results.publish'),
    })
  }

  app.get(
    '/rounds/:id/results',
    {
      schema: { params: IdPath },
      // The published result, or before it the admins' preview of the count.
      config: { action: ['results.view', 'results.preview'] },
    },
    async (request, reply) => renderResults(request, reply, theRound(request)),
  )

  await app.register(progressRoutes)
  await app.register(publishRoutes)
}
