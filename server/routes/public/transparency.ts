import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { countedBallotsDigest } from '../../data/ballots.js'
import { publishedBallotsPb, publishedSummary, type ResultSummary } from '../../data/results.js'
import type { Round } from '../../data/rounds.js'
import {
  countRevokedBallots,
  listResponseTimes,
  listRoundDecisions,
  loadRoundAudit,
  type RoundAudit,
} from '../../data/transparency.js'
import { ballotsLeftOut, listBallotProjects, turnout, turnoutByLanguage } from '../../data/ballots.js'
import { verifyChain, type ChainVerdict } from '../../domain/security/audit-chain.js'
import { sealedHashes } from '../../domain/voting/seal.js'
import { pbBallotsDigest } from '../../domain/pabulib/export.js'
import { sha256 } from '../../domain/common/digest.js'
import { isPastVoting, isVotingLocked } from '../../domain/rounds/phases.js'
import { median, shareAtMost } from '../../domain/results/statistics.js'
import { publicShares, turnoutFigures } from '../../domain/voting/turnout.js'
import { publishedGroups } from '../shared/published-groups.js'
import { splitWorkingTime, WORKING_DAY_MINUTES, workingMinutesBetween } from '../../domain/common/working-hours.js'
import type { Lang } from '../../i18n.js'
import { createMemo } from '../../memo.js'
import { allowed, theRound } from '../../plugins/auth.js'
import { languageTurnoutRows } from '../shared/language-turnout.js'
import { SlugPath } from './schemas.js'
import { conversationFigures } from '../../data/comments.js'
import { REJECT_REASONS } from '../../domain/conversation/comments.js'

/** Turnout as the share of issued codes that led to a counted ballot, overall, per group and per channel. */
async function turnoutView(app: Pick<FastifyInstance, 'db'>, round: Round) {
  const counts = await turnout(app.db, round.id)
  const { total, showGroups } = turnoutFigures(counts)
  const published = await publishedGroups(app.db, round.id, counts)
  // Live per-language figures would show a watcher the moment a rare language's ballot came in.
  const [revokedBallots, projects, languages] = await Promise.all([
    countRevokedBallots(app.db, round.id),
    listBallotProjects(app.db, round.id),
    isPastVoting(round.phase) ? turnoutByLanguage(app.db, round.id) : [],
  ])
  const leftOut = await ballotsLeftOut(
    app.db,
    round.id,
    projects.map((p) => p.id),
  )
  return {
    total: publicShares(total),
    ...published,
    byLanguage: languageTurnoutRows(languages),
    languagesAfterClosing: !isPastVoting(round.phase),
    showGroups,
    revokedBallots,
    leftOut,
  }
}

/** Working time to the first answer: the median, and how many were answered within Haarlem's one working day. */
async function responseView(app: Pick<FastifyInstance, 'db'>, round: Round) {
  const rows = await listResponseTimes(app.db, round.id)
  const minutes = rows.flatMap((r) =>
    r.firstAnsweredAt ? [workingMinutesBetween(r.submittedAt, r.firstAnsweredAt)] : [],
  )
  const middle = median(minutes)
  return {
    answered: minutes.length,
    waiting: rows.length - minutes.length,
    median: middle === null ? null : splitWorkingTime(Math.round(middle)),
    withinDay: shareAtMost(minutes, WORKING_DAY_MINUTES),
  }
}

/**
 * The conversation in figures: residents' comments published and not (by reason), and how fast
 * questions to the municipality got their first official answer, in working time from asking.
 */
async function conversationView(app: Pick<FastifyInstance, 'db'>, round: Round) {
  const { byStatus, questions } = await conversationFigures(app.db, round.id)
  const count = (status: string) => byStatus.filter((r) => r.status === status).reduce((sum, r) => sum + r.n, 0)
  const minutes = questions.flatMap((q) => (q.answeredAt ? [workingMinutesBetween(q.askedAt, q.answeredAt)] : []))
  const middle = median(minutes)
  return {
    published: count('published'),
    waiting: count('waiting'),
    rejected: count('rejected'),
    reasons: REJECT_REASONS.map((reason) => ({
      key: `conversation.reason.${reason}`,
      n: byStatus.find((r) => r.status === 'rejected' && r.reason === reason)?.n ?? 0,
    })).filter((r) => r.n > 0),
    questions: questions.length,
    answered: minutes.length,
    median: middle === null ? null : splitWorkingTime(Math.round(middle)),
    slowest: minutes.length === 0 ? null : splitWorkingTime(Math.max(...minutes)),
    withinDay: shareAtMost(minutes, WORKING_DAY_MINUTES),
  }
}

/**
 * What an entry was about, named as a person knows it: the round by its title, a proposal by its
 * reference and title, a voting code only as one (its number means nothing outside the database).
 */
function objectName(
  app: Pick<FastifyInstance, 'translate'>,
  round: Round,
  audit: RoundAudit,
  object: string,
  details: Record<string, unknown>,
  lang: Lang,
) {
  const [kind, id] = object.split(':')
  if (kind === 'round') return round.title
  const proposal = kind === 'proposal' ? audit.proposals.get(Number(id)) : undefined
  if (proposal) return `${proposal.reference} ${proposal.title}`
  // A comment is named by the proposal it is about: its words may be what a moderator took down.
  const about = kind === 'comment' ? audit.proposals.get(Number(details.proposalId)) : undefined
  if (about) return app.translate(lang, 'transparency.audit.object.comment', { reference: about.reference })
  // The round's entries name nothing else (loadRoundAudit): what remains is one of its codes.
  return app.translate(lang, 'transparency.audit.object.code')
}

function closingReasonOf(entry: RoundAudit['entries'][number]): string | undefined {
  const { to, reason } = entry.details
  return entry.action === 'round.advance' && to === 'closed' && typeof reason === 'string' ? reason : undefined
}

/**
 * The round's audit entries without details, which can hold personal data; actors by role and number, not e-mail.
 * The one detail shown is the reason an admin gave for closing voting early: it was written to be read here.
 */
export function auditView(
  app: Pick<FastifyInstance, 'translate'>,
  round: Round,
  audit: RoundAudit,
  verdict: ChainVerdict,
  lang: Lang,
) {
  const broken = verdict.ok ? undefined : audit.chain.find((e) => e.id === verdict.brokenAt)
  const actionKey = (action: string) => `transparency.audit.action.${action}`
  return {
    verdict,
    brokenAt: broken?.at,
    entries: audit.entries.map((e) => {
      const role = e.officialId === null ? undefined : audit.roles.get(e.officialId)
      const label = app.translate(lang, actionKey(e.action))
      return {
        id: e.id,
        at: e.at,
        actor: role ? { roleKey: `role.${role}`, id: e.officialId } : null,
        action: label === actionKey(e.action) ? e.action : label,
        object: objectName(app, round, audit, e.object, e.details, lang),
        closingReason: closingReasonOf(e),
      }
    }),
    closedEarly: audit.entries
      .filter((e) => closingReasonOf(e) !== undefined)
      .map((e) => ({ at: e.at, votingUntil: String(e.details.votingUntil), reason: closingReasonOf(e) }))
      .at(-1),
  }
}

/**
 * Do the ballots in the database today still match the fingerprints recorded in the verified
 * audit chain (at closing and at publishing)? A copy stored beside the result proves nothing:
 * whoever rewrites the ballots can rewrite it too, but not the chain without breaking it.
 * Both sides are compared as fingerprints (ballotsDigest): the database's computed in PostgreSQL,
 * the published file's read one vote at a time, so no city's worth of ballots is held here.
 */
async function ballotCheck(app: Pick<FastifyInstance, 'db'>, round: Round, audit: RoundAudit, chainOk: boolean) {
  const ballotsPb = await publishedBallotsPb(app.db, round.id)
  const recorded = chainOk ? sealedHashes(audit.entries, round.id) : {}
  let frozen
  try {
    frozen = pbBallotsDigest(ballotsPb)
  } catch {
    // The stored file is damaged: say so, never fail the page.
    return { unreadable: true, today: (await countedBallotsDigest(app.db, round.id)).ballots, pbSha256: recorded.pb }
  }
  // Today's ballots whole, against the chain; and with only the file's projects, against the file.
  const [stored, today] = await Promise.all([
    countedBallotsDigest(app.db, round.id),
    countedBallotsDigest(app.db, round.id, frozen.projectIds),
  ])
  return {
    textIntact: recorded.pb !== undefined && sha256(ballotsPb) === recorded.pb,
    ballotsMatch:
      recorded.ballots !== undefined &&
      stored.sha256 === recorded.ballots &&
      // The count too: one empty ballot has the same fingerprint as none.
      today.sha256 === frozen.sha256 &&
      today.ballots === frozen.ballots,
    today: today.ballots,
    pbSha256: recorded.pb,
  }
}

/**
 * A published round's figures are frozen, so they are computed once a minute at most rather than
 * per visit; the audit chain and the ballots check are renewed as often, so the page shows a check
 * at most a minute old.
 */
export const PUBLISHED_FRESH_MS = 60_000

export async function frozenFigures(app: Pick<FastifyInstance, 'db'>, round: Round) {
  const [decisions, response, turnoutModel, conversation] = await Promise.all([
    listRoundDecisions(app.db, round.id),
    responseView(app, round),
    isVotingLocked(round.phase) ? turnoutView(app, round) : undefined,
    conversationView(app, round),
  ])
  return { decisions: decisions.map(decisionView), response, turnout: turnoutModel, conversation }
}

/** A decision on a proposal as the public reads it: its texts, and which details go with its kind. */
function decisionView(decision: Awaited<ReturnType<typeof listRoundDecisions>>[number]) {
  return {
    ...decision,
    eventKey: `proposals.event.${decision.kind}`,
    messageKey: `proposals.eventMessage.${decision.kind}`,
    isCostCorrected: decision.kind === 'cost_corrected',
    isMerged: decision.kind === 'merged',
    isChangesRequested: decision.kind === 'changes_requested',
  }
}

/** The audit chain verified, and the ballots checked against the fingerprints inside it. */
export async function checks(app: Pick<FastifyInstance, 'db'>, round: Round, published: boolean) {
  const audit = await loadRoundAudit(app.db, round.id)
  const verdict = verifyChain(audit.chain)
  const check = published ? await ballotCheck(app, round, audit, verdict.ok) : undefined
  return { audit, verdict, check }
}

export default async function transparencyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const memo = createMemo(PUBLISHED_FRESH_MS)

  app.get(
    '/rounds/:slug/transparency',
    { schema: { params: SlugPath }, config: { action: 'round.view' } },
    async (request, reply) => {
      const round = theRound(request)
      const page =
        (
          result: ResultSummary | undefined,
          figures: Awaited<ReturnType<typeof frozenFigures>>,
          { audit, verdict, check }: Awaited<ReturnType<typeof checks>>,
        ) =>
        () => ({
          title: app.translate(request.lang, 'transparency.title', { title: round.title }),
          round,
          result,
          ...figures,
          audit: auditView(app, round, audit, verdict, request.lang),
          check,
        })
      if (!allowed(request, 'results.view')) {
        const [figures, checked] = await Promise.all([frozenFigures(app, round), checks(app, round, false)])
        return reply.render('pages/public/transparency.hbs', page(undefined, figures, checked)())
      }
      // Published: the same page for everyone until the minute's fresh check replaces what it shows.
      const result = await memo.get(`result:${round.id}`, () => publishedSummary(app.db, round.id))
      const [figures, checked] = await Promise.all([
        memo.get(`figures:${round.id}`, () => frozenFigures(app, round)),
        memo.get(`checks:${round.id}`, () => checks(app, round, true)),
      ])
      return reply.renderKept(
        `transparency:${round.id}`,
        [result, figures, checked],
        'pages/public/transparency.hbs',
        page(result, figures, checked),
      )
    },
  )
}
