import { randomInt } from 'node:crypto'
/**
 * The bare server for bench/vote.ts (the app runs as app-server.js), in a process of its own so the
 * load generator never shares its event loop: Fastify and postgres.js doing the same database
 * work as the app with no plugins. Tells its port over IPC; SIGTERM closes it cleanly, so a
 * --cpu-prof profile gets written.
 */
import { parse as parseQuery } from 'node:querystring'
import { Signer } from '@fastify/cookie'
import Fastify, { type FastifyInstance } from 'fastify'
import postgres from 'postgres'
import { LanguageSteps } from '../server/domain/voting/language-steps.js'
import { checkBallot, type BallotRules } from '../server/domain/voting/ballot.js'
import { generateReceipt } from '../server/domain/voting/codes.js'
import { chosenIds } from '../server/routes/shared/ballot-view.js'
import { SECRETS } from './fixture.js'
import { serveChild } from './http.js'

/** The columns of `rounds` the bare endpoint reads, as postgres.js returns them. */
interface RoundRow {
  id: number
  slug: string
  phase: string
  ballot_format: BallotRules['format']
  budget_cents: string
  max_choices: number | null
  points_per_voter: number | null
  max_points_per_project: number | null
  min_spend_percent: number
}

const [url] = process.argv.slice(2)
if (!url) throw new Error('usage: vote-server.ts DATABASE_URL')

const POOL = 10 // the app's own pool size (openServer's default)

function cookie(header: string | undefined, name: string): string | undefined {
  const pair = header?.split(/;\s*/).find((c) => c.startsWith(`${name}=`))
  return pair === undefined ? undefined : decodeURIComponent(pair.slice(name.length + 1))
}

/** The route's work with nothing around it: form parsing, the signed cookie, four queries, the domain check. */
async function bare(): Promise<{ server: FastifyInstance; close(): Promise<unknown> }> {
  const sql = postgres(url!, { max: POOL, onnotice: () => {} })
  const signer = new Signer(SECRETS.sessionSecret)
  const server = Fastify({ logger: false, bodyLimit: 100 * 1024 })
  const languageSteps = new LanguageSteps()
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, parseQuery(body as string)),
  )
  server.post<{ Params: { slug: string }; Body: { projects?: string | string[]; intent?: string } }>(
    '/rounds/:slug/vote/ballot',
    {
      schema: {
        params: { type: 'object', properties: { slug: { type: 'string', maxLength: 100 } }, required: ['slug'] },
        body: {
          type: 'object',
          properties: {
            projects: {
              anyOf: [
                { type: 'string', maxLength: 12 },
                { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 12 } },
              ],
            },
            intent: { type: 'string', enum: ['check', 'submit'] },
            _csrf: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      const [round] = await sql<RoundRow[]>`select * from rounds where slug = ${request.params.slug}`
      if (!round || round.phase !== 'voting') return reply.code(409).send('closed')
      const signed = cookie(request.headers.cookie, 'ballot')
      const unsigned = signed ? signer.unsign(signed) : undefined
      const [roundId, codeId] = unsigned?.valid && unsigned.value ? unsigned.value.split('.').map(Number) : []
      if (roundId !== round.id || !Number.isInteger(codeId)) return reply.redirect(`/rounds/${round.slug}/vote`, 303)
      const projects = await sql<{ id: number; costCents: number }[]>`
      select id, reference, title, summary, coalesce(corrected_cost_cents, cost_cents)::int as "costCents", themes, track,
        kwh_per_year, co2_kg_per_year, households
      from proposals where round_id = ${round.id} and status = 'approved' order by submitted_at, id`
      const rules: BallotRules = {
        format: round.ballot_format,
        budgetCents: Number(round.budget_cents),
        maxChoices: round.max_choices,
        minSpendPercent: round.min_spend_percent,
        pointsPerVoter: round.points_per_voter,
        maxPointsPerProject: round.max_points_per_project,
      }
      const verdict = checkBallot(rules, projects, chosenIds(request.body?.projects))
      if (request.body?.intent !== 'submit' || !verdict.ok) return reply.code(422).send('not stored')
      const [cast] = await sql<{ receipt: string; replaced: boolean }[]>`
      insert into ballots (round_id, code_id, channel, project_ids, receipt, updated_at)
      select c.round_id, c.id, ${'online'}::ballot_channel, ${`{${verdict.projectIds.join(',')}}`}::integer[], ${generateReceipt(randomInt)}, now()
      from voting_codes c join rounds r on r.id = c.round_id
      where c.id = ${codeId!} and c.round_id = ${round.id} and c.revoked_at is null and r.phase = 'voting'
      on conflict (code_id) do update
        set project_ids = excluded.project_ids, channel = excluded.channel, updated_at = now()
      returning receipt, (xmax <> 0) as replaced`
      if (!cast) return reply.code(409).send('revoked')
      // Turnout per language of the voting page, written once per LANGUAGE_STEP first ballots, as the route does since issue 23.
      if (!cast.replaced && languageSteps.add(round.id, 'nl')) {
        const step = languageSteps.take(round.id)!
        await sql`insert into language_turnout (round_id, lang, ballots) values (${round.id}, ${'nl'}, ${step.get('nl')!})
        on conflict (round_id, lang) do update set ballots = language_turnout.ballots + excluded.ballots`
      }
      reply.header('set-cookie', `ballot=; Max-Age=0; Path=/rounds/${round.slug}/vote; HttpOnly; SameSite=Lax`)
      return reply.redirect(`/receipts/${cast.receipt}?new=1`, 303)
    },
  )
  return { server, close: () => sql.end({ timeout: 5 }) }
}

await serveChild(await bare())
