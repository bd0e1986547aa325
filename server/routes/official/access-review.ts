import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { lastAccessReview, listOfficialsForReview, recordAccessReview } from '../../data/accounts.js'
import { accessReviewDue } from '../../domain/access/accounts.js'
import { ReviewQuery } from './schemas.js'
import { theOfficial } from '../../plugins/auth.js'

/** The yearly access review: who can do what, and since when nobody looked. */
export default async function reviewRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/accounts/review',
    {
      config: { action: 'officials.review' },
      schema: { querystring: ReviewQuery },
    },
    async (request, reply) => {
      const last = await lastAccessReview(app.db)
      return reply.header('Cache-Control', 'no-store').render('pages/official/accounts/review.hbs', {
        title: app.translate(request.lang, 'review.title'),
        officials: (await listOfficialsForReview(app.db)).map((o) => ({ ...o, roleKey: `role.${o.role}` })),
        last,
        due: accessReviewDue(last, new Date()),
        done: request.query.done === '1',
      })
    },
  )

  app.post('/accounts/review', { config: { action: 'officials.review' } }, async (request, reply) => {
    const officials = await listOfficialsForReview(app.db)
    await recordAccessReview(app.db, theOfficial(request), officials.length)
    return reply.redirect('/official/accounts/review?done=1', 303)
  })
}
