import type { FastifyInstance } from 'fastify'

// The statement's lists, in the order the page shows them; their texts are in views/locales/*/accessibility.json.
const TESTED = ['axe', 'width', 'keyboard', 'forms', 'nojs', 'pages'] as const
const NOT_TESTED = ['people', 'screenReaders', 'browsers', 'audit'] as const
const GAPS = ['officialPages', 'userText', 'charts', 'files'] as const

/** The accessibility statement (toegankelijkheidsverklaring), in the model the Dutch government publishes. */
export default async function accessibilityRoutes(app: FastifyInstance) {
  app.get('/toegankelijkheid', async (request, reply) =>
    reply.render('pages/public/accessibility.hbs', {
      title: app.translate(request.lang, 'accessibility.title'),
      tested: TESTED.map((item) => `accessibility.tested.${item}`),
      notTested: NOT_TESTED.map((item) => `accessibility.notTested.${item}`),
      gaps: GAPS.map((item) => `accessibility.gaps.${item}`),
    }),
  )
}
