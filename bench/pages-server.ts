/**
 * The bare server for bench/pages.ts (the app runs as app-server.js): Fastify with
 * postgres.js and @fastify/compress (the same brotli setting) rendering the same templates with the
 * same helpers, with no other plugin: no session, CSRF, security headers, language or logging.
 * Home, round, proposal and code entry run the route's queries per request. The code entry's form
 * needs what any server must do for it, so the bare endpoint does it too: a new CSRF secret and
 * token per visitor (as @fastify/csrf-protection makes them) in one signed cookie, and the help
 * desk and closing time the page shows. Results and
 * transparency of a published round are frozen, so the bare endpoint, as the app, renders and
 * compresses them once (results again when the round's count of progress updates moves) and per
 * request reads the round by slug before sending those bytes. Tells its port over IPC; SIGTERM closes it cleanly.
 */
import zlib from 'node:zlib'
import { Signer } from '@fastify/cookie'
import fastifyCompress from '@fastify/compress'
import csrfTokens from '@fastify/csrf'
import Fastify, { type FastifyInstance } from 'fastify'
import postgres from 'postgres'
import { openServer } from '../db/client.js'
import { HTMX_PATH } from '../server/assets.js'
import { encode, sendEncoded, type Encoded } from '../server/encoded.js'
import { publishedSummary } from '../server/data/results.js'
import { listColumns } from '../server/data/proposals.js'
import { findRoundBySlug, type Round } from '../server/data/rounds.js'
import { can, RESIDENT } from '../server/domain/access/permissions.js'
import { engine } from '../server/plugins/views.js'
import { filterView, figuresView, historyView, listView } from '../server/routes/public/proposal-views.js'
import { resultsView } from '../server/routes/public/results.js'
import { auditView, checks, frozenFigures } from '../server/routes/public/transparency.js'
import { progressView, proposalKeys } from '../server/routes/shared/proposal-view.js'
import { roundView } from '../server/routes/shared/round-view.js'
import { localisedRoundTexts, officialTexts } from '../server/routes/shared/official-texts.js'
import { timeLeft } from '../server/domain/rounds/voting-period.js'
import { SECRETS } from './fixture.js'
import { serveChild } from './http.js'
import type { ShownComment } from '../server/data/comments.js'
import { conversationView, readConversationQuery } from '../server/routes/public/conversation-views.js'

const [url, publishedSlug] = process.argv.slice(2)
if (!url || !publishedSlug) throw new Error('usage: pages-server.ts DATABASE_URL PUBLISHED_SLUG')
const POOL = 10

/** As the public sees a proposal: without the submitter's contact details and status token. */
function publicProposal<T extends Record<string, unknown>>(row: T) {
  const { contactName: _n, contactEmail: _e, contactPhone: _p, contactConsent: _c, statusToken: _s, ...rest } = row
  return rest
}

async function bare(): Promise<{ server: FastifyInstance; close(): Promise<unknown> }> {
  const sql = postgres(url!, {
    max: POOL,
    onnotice: () => {},
    transform: postgres.camel,
    types: { bigint: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) } },
  })
  const { hbs, translate } = engine()
  const views = new URL('../views/', import.meta.url)
  const compiled = new Map<string, Handlebars.TemplateDelegate>()
  const { readFileSync, readdirSync } = await import('node:fs')
  for (const file of readdirSync(new URL('partials/', views), { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.hbs'))
      hbs.registerPartial(file.replace(/\.hbs$/, ''), readFileSync(new URL(`partials/${file}`, views), 'utf8'))
  }
  const template = (name: string) => {
    let t = compiled.get(name)
    if (!t) compiled.set(name, (t = hbs.compile(readFileSync(new URL(name, views), 'utf8'))))
    return t
  }
  const css = (await import('node:crypto'))
    .createHash('sha256')
    .update(readFileSync(new URL('../static/app.css', import.meta.url)))
    .digest('base64url')
    .slice(0, 16)
  const render = (page: string, model: Record<string, unknown>) => {
    const data = {
      lang: 'nl',
      otherLang: 'en',
      path: '/',
      htmxPath: HTMX_PATH,
      cssPath: `/static/app.css?v=${css}`,
      nextPath: '%2F',
      csrfToken: '',
      official: null,
      ...model,
    }
    return template('layouts/main.hbs')({ ...data, body: template(page)(data) })
  }
  const t = (key: string, vars?: Record<string, unknown>) => translate('nl', key, vars)

  // The published round's frozen view models, built once with the app's own functions.
  const drizzle = await openServer(url!, 2)
  const publishedRound = (await findRoundBySlug(drizzle.db, publishedSlug!))!
  const deps = {
    db: drizzle.db,
    translate: (_lang: string, key: string, vars?: Record<string, unknown>) => t(key, vars),
  } as never
  const results = await resultsView(deps, publishedRound, 'nl')
  const result = await publishedSummary(drizzle.db, publishedRound.id)
  const figures = await frozenFigures(deps, publishedRound)
  const { audit, verdict, check } = await checks(deps, publishedRound, true)
  const transparency = {
    title: t('transparency.title', { title: publishedRound.title }),
    result,
    ...figures,
    audit: auditView(deps, publishedRound, audit, verdict, 'nl'),
    check,
  }
  await drizzle.close()

  const server = Fastify({ logger: false })
  await server.register(fastifyCompress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
  })
  const html = (body: string) => body
  // The columns the app lists a proposal with (no contact details, no description).
  const listed = Object.values(listColumns)
    .map((column) => `"${column.name}"`)
    .join(', ')
  const roundBySlug = async (slug: string) => (await sql<Round[]>`select * from rounds where slug = ${slug}`)[0]

  server.get('/', async (_request, reply) => {
    const rounds = await sql<Round[]>`select * from rounds where phase <> 'draft' order by id`
    return reply
      .type('text/html; charset=utf-8')
      .send(html(render('pages/public/home.hbs', { rounds: rounds.map(roundView) })))
  })
  server.get<{ Params: { slug: string } }>('/rounds/:slug', async (request, reply) => {
    const round = await roundBySlug(request.params.slug)
    if (!round) return reply.code(404).send()
    const proposals = await sql.unsafe(
      `select ${listed} from proposals where round_id = $1 order by submitted_at, id`,
      [round.id],
    )
    return reply.type('text/html; charset=utf-8').send(
      render('pages/public/round.hbs', {
        title: round.title,
        round: roundView(round),
        canPropose: can(RESIDENT, 'proposal.submit', round.phase),
        canVote: can(RESIDENT, 'ballot.cast', round.phase),
        filter: filterView({}),
        list: listView(proposals as never, {}),
        oob: false,
      }),
    )
  })
  const shown = sql`id, parent_id, kind, author, display_name, text, lang, created_at, first_official_answer_at`
  // listConversation's queries: the answered questions pinned, one page of the other threads and their
  // count, then the shown threads' answers.
  const conversation = async (proposalId: number, page: ReturnType<typeof readConversationQuery>) => {
    const pinned = await sql<ShownComment[]>`
      select ${shown} from comments
      where proposal_id = ${proposalId} and status = 'published' and parent_id is null and first_official_answer_at is not null
      order by first_official_answer_at desc, id desc limit ${page.pinned}`
    const pinnedIds = pinned.map((c) => c.id)
    const rest = sql`proposal_id = ${proposalId} and status = 'published' and parent_id is null and not (id = any(${pinnedIds}))`
    const order = page.order === 'newest' ? sql`created_at desc, id desc` : sql`created_at asc, id asc`
    const [threads, [count]] = await Promise.all([
      sql<ShownComment[]>`select ${shown} from comments where ${rest} order by ${order}
        limit ${page.size} offset ${(page.number - 1) * page.size}`,
      sql<{ n: number }[]>`select count(*)::int as n from comments where ${rest}`,
    ])
    const shownPinned = page.number === 1 ? pinned : []
    const ids = [...shownPinned, ...threads].map((c) => c.id)
    const answers =
      ids.length === 0
        ? []
        : await sql<ShownComment[]>`select ${shown} from comments
            where parent_id = any(${ids}) and status = 'published' order by created_at, id`
    return { pinned: shownPinned, threads, answers, total: count!.n, pinnedCount: pinned.length }
  }

  server.get<{ Params: { reference: string }; Querystring: { order?: string; page?: string } }>(
    '/proposals/:reference',
    async (request, reply) => {
      const proposal = (
        await sql<
          {
            id: number
            roundId: number
            title: string
            status: string
            track: string
            themes: string[]
            duplicateOfId: number | null
          }[]
        >`select * from proposals where reference = ${request.params.reference}`
      ).map(publicProposal)[0]
      if (!proposal) return reply.code(404).send()
      const [round] = await sql<Round[]>`select * from rounds where id = ${proposal.roundId}`
      const page = readConversationQuery(request.query)
      const [events, mergedInto, listed] = await Promise.all([
        sql`select * from proposal_events where proposal_id = ${proposal.id} order by at, id`,
        proposal.duplicateOfId === null
          ? undefined
          : sql`select reference, title from proposals where id = ${proposal.duplicateOfId}`.then((r) => r[0]),
        conversation(proposal.id, page),
      ])
      return reply.type('text/html; charset=utf-8').send(
        render('pages/public/proposal-detail.hbs', {
          title: proposal.title,
          proposal: {
            ...proposal,
            ...proposalKeys(proposal),
            explainKey: `proposals.detail.explain.${proposal.status}`,
          },
          round,
          mergedInto,
          figures: figuresView(proposal as never),
          history: historyView(events as never, 'public'),
          conversation: conversationView(listed, page, {
            base: `/proposals/${request.params.reference}`,
            canWrite: can(RESIDENT, 'comment.write', round!.phase),
            canReport: can(RESIDENT, 'comment.report', round!.phase),
            phase: round!.phase,
          }),
          progress: [],
        }),
      )
    },
  )
  const csrf = csrfTokens()
  const signer = new Signer(SECRETS.sessionSecret)
  server.get<{ Params: { slug: string } }>('/rounds/:slug/vote', async (request, reply) => {
    const round = await roundBySlug(request.params.slug)
    if (!round) return reply.code(404).send()
    const secret = csrf.secretSync()
    // Dutch is the texts' own language: officialTexts reads no translations for it (nor the app, for these requests).
    const show = await officialTexts(undefined as never, round.id, 'nl')
    return reply
      .header('Cache-Control', 'no-store')
      .header('Set-Cookie', `csrf=${encodeURIComponent(signer.sign(secret))}; Path=/; HttpOnly; SameSite=Lax`)
      .type('text/html; charset=utf-8')
      .send(
        render('pages/resident/vote-code.hbs', {
          title: round.title,
          round,
          helpDesk: localisedRoundTexts(round, show).helpDesk,
          code: '',
          csrfToken: csrf.create(secret),
          endsOn: round.votingUntil,
          left: timeLeft(round.votingUntil, new Date()),
        }),
      )
  })
  // As the app keeps them: rendered and compressed once, made again (reading the progress updates) when the
  // round's content version moves, and sent as bytes.
  let resultsPage: { version: number; body: Encoded } | undefined
  server.get<{ Params: { slug: string } }>('/rounds/:slug/results', async (request, reply) => {
    const round = await roundBySlug(request.params.slug)
    if (!round || round.phase !== 'published') return reply.code(404).send()
    if (resultsPage?.version !== round.contentVersion) {
      const updates = await sql<
        { proposalId: number; status: string }[]
      >`select * from progress_updates where proposal_id = any(${results.funded.map((r) => r.id)}) order by proposal_id, "on", id`
      resultsPage = {
        version: round.contentVersion,
        body: await encode(
          Buffer.from(
            render('pages/public/results.hbs', {
              ...results,
              funded: results.funded.map((r) => ({
                ...r,
                updates: progressView(updates.filter((u) => u.proposalId === r.id)),
              })),
              hasUpdates: updates.length > 0,
            }),
          ),
        ),
      }
    }
    return sendEncoded(request, reply.type('text/html; charset=utf-8'), resultsPage.body)
  })
  const transparencyPage = await encode(
    Buffer.from(render('pages/public/transparency.hbs', { ...transparency, round: publishedRound })),
  )
  server.get<{ Params: { slug: string } }>('/rounds/:slug/transparency', async (request, reply) => {
    const round = await roundBySlug(request.params.slug)
    if (!round || round.phase !== 'published') return reply.code(404).send()
    return sendEncoded(request, reply.type('text/html; charset=utf-8'), transparencyPage)
  })
  return { server, close: () => sql.end({ timeout: 5 }) }
}

await serveChild(await bare())
