import type { FastifyInstance } from 'fastify'
import type { Things } from './fuzz-world.js'

export interface Route {
  method: string
  url: string
}

/**
 * Every route the app has registered, as Fastify prints them (so a new route is fuzzed without
 * anyone adding it here): each line of the tree is its parent's path plus a segment, then its methods.
 * HEAD is left out: Fastify adds it to every GET, and every GET route is sent a HEAD anyway.
 */
export function routesOf(app: FastifyInstance): Route[] {
  const routes: Route[] = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    const depth = match[1]!.length / 4
    stack.length = depth
    const url = (stack[depth - 1] ?? '') + match[2]!
    stack.push(url)
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD'))
      routes.push({ method, url })
  }
  return routes
}

type Fill = (things: Things) => string
const slug: Fill = (x) => x.slug
const roundId: Fill = (x) => String(x.roundId)
const proposalId: Fill = (x) => String(x.proposalId)
const commentId: Fill = (x) => String(x.commentId)
const statusToken: Fill = (x) => x.statusToken
const reference: Fill = (x) => x.reference
const lang: Fill = () => 'en'
const published: Fill = (x) => x.publishedSlug
const photoParams = {
  photo: (x: Things) => String(x.photoId),
  hash: (x: Things) => x.photoHash,
  variant: () => '64.webp',
}
const changing = { official: (x: Things) => String(x.victimId) }

/**
 * How to fill each route's path parameters with things that exist. A route with parameters that
 * is missing here fails the fuzz test: add how to reach it.
 */
export const ROUTE_PARAMS: Record<string, Record<string, Fill>> = {
  '/static/:name': { name: () => 'app.css' },
  '/status/:token': { token: statusToken },
  '/status/:token/mail': { token: statusToken },
  '/status/:token/edit': { token: statusToken },
  '/status/:token/conversation': { token: statusToken },
  '/status/:token/conversation/new': { token: statusToken },
  '/follow/:secret/confirm': { secret: (x) => x.followSecret },
  '/follow/:secret/unsubscribe': { secret: (x) => x.followSecret },
  '/rounds/:slug': { slug },
  '/rounds/:slug/proposals': { slug },
  '/rounds/:slug/proposals/new': { slug },
  '/rounds/:slug/paper-ballot': { slug },
  '/rounds/:slug/paper-ballot/:lang': { slug, lang },
  '/rounds/:slug/results': { slug: published },
  '/rounds/:slug/results.csv': { slug: published },
  '/rounds/:slug/results.json': { slug: published },
  '/rounds/:slug/progress': { slug: published },
  '/rounds/:slug/progress.csv': { slug: published },
  '/rounds/:slug/progress.json': { slug: published },
  '/rounds/:slug/ballots.pb': { slug: published },
  '/rounds/:slug/budgets.json': { slug: published },
  '/rounds/:slug/budgets/:budget/ballots.pb': { slug: published, budget: () => '0' },
  '/rounds/:slug/transparency': { slug },
  '/rounds/:slug/follow': { slug },
  '/rounds/:slug/follow/sent': { slug },
  '/rounds/:slug/vote': { slug },
  '/rounds/:slug/vote/ballot': { slug },
  '/rounds/:slug/vote/look/:id': { slug, id: proposalId },
  '/receipts/:receipt': { receipt: (x) => x.receipt },
  '/language/:lang': { lang },
  '/proposals/:reference': { reference },
  '/proposals/:reference/conversation': { reference },
  '/proposals/:reference/conversation/new': { reference },
  '/proposals/:reference/follow': { reference },
  '/proposals/:reference/follow/sent': { reference },
  '/conversation/report/:id': { id: commentId },
  '/conversation/:key': { key: (x) => x.commentKey },
  '/invite/:token': { token: (x) => x.inviteToken },
  '/official/accounts/:official/role': changing,
  '/official/accounts/:official/:change': { ...changing, change: () => 'reset-second-factor' },
  '/official/comments/:id': { id: commentId },
  '/official/comments/:id/publish': { id: commentId },
  '/official/comments/:id/reject': { id: commentId },
  '/official/comments/:id/answer': { id: commentId },
  '/official/rounds/:id': { id: roundId },
  '/official/rounds/:id/edit': { id: roundId },
  '/official/rounds/:id/advance': { id: roundId },
  '/official/rounds/:id/codes': { id: roundId },
  '/official/rounds/:id/codes/totals': { id: roundId },
  '/official/rounds/:id/codes/revoke': { id: roundId },
  '/official/rounds/:id/paper': { id: roundId },
  '/official/rounds/:id/progress': { id: roundId },
  '/official/rounds/:id/milestones': { id: roundId },
  '/official/rounds/:id/milestones/:milestone': { id: roundId, milestone: () => '1' },
  '/official/rounds/:id/publish': { id: roundId },
  '/official/rounds/:id/help-desk': { id: roundId },
  '/official/rounds/:id/budgets': { id: roundId },
  '/official/rounds/:id/budgets/projects': { id: roundId },
  '/official/rounds/:id/translations': { id: roundId },
  '/official/rounds/:id/texts/:text/translate': { id: roundId, text: (x) => x.textRef },
  '/official/rounds/:id/turnout': { id: roundId },
  '/official/rounds/:id/turnout/populations': { id: roundId },
  '/official/rounds/:id/results': { id: roundId },
  '/official/proposals/:id': { id: proposalId },
  '/official/proposals/:id/translate': { id: proposalId },
  '/official/proposals/:id/:action': { id: proposalId, action: () => 'request-changes' },
  '/photos/:photo/:hash/:variant': photoParams,
  '/official/proposals/:id/photos': { id: proposalId },
  '/official/proposals/:id/photos/:photo/remove': { id: proposalId, photo: photoParams.photo },
  '/official/proposals/:id/photos/:photo/:hash/:variant': { id: proposalId, ...photoParams },
}

/** The route's path with every parameter replaced by `segment` as it is sent (already encoded, or not). */
export const withSegment = (url: string, segment: string) => url.replace(/:\w+/g, segment)

/** The path of a route with real things, or undefined when the route has parameters nobody said how to fill. */
export function pathOf(url: string, things: Things): string | undefined {
  if (!url.includes(':')) return url
  const params = ROUTE_PARAMS[url]
  if (!params) return undefined
  return url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]!(things)))
}
