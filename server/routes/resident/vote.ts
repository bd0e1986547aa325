import { randomInt } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Round } from '../../data/rounds.js'
import { currentChoice, findReceipt } from '../../data/ballots.js'
import { checkPointsBallot, type BallotError, type GivenPoints } from '../../domain/voting/ballot.js'
import { timeLeft } from '../../domain/rounds/voting-period.js'
import { isPastVoting, phaseAt } from '../../domain/rounds/phases.js'
import { castOnlineBallot, checkChoice, codeBallot, type CodeBallot } from '../../usecases/ballots.js'
import { generateReceipt, normaliseReceipt } from '../../domain/voting/codes.js'
import { residentsMay, theRound } from '../../plugins/auth.js'
import { wantsFragment } from '../../plugins/views.js'
import { hostCookie } from '../../plugins/security.js'
import { sha256 } from '../../passwords.js'
import {
  ballotView,
  budgetBallotView,
  chosenIds,
  givenPoints,
  pointsBallotView,
  rulesOf,
} from '../shared/ballot-view.js'
import { localised } from '../shared/localise.js'
import { contentVersion } from '../shared/round-view.js'
import { helpDeskView } from '../shared/round-view.js'
import { localisedRoundTexts, officialTexts } from '../shared/official-texts.js'
import { FormInput, readForm } from '../forms.js'
import { checkCode } from './code-entry.js'
import { forgetBallot, heldCode, heldDraft, holdCode, keepDraft, votePath } from './ballot-cookies.js'
import { BallotForm, CodeForm, CodeQuery, LookPath, NewQuery, ReceiptPath, ReceiptQuery, SlugPath } from './schemas.js'
import { keptChoices } from '../../domain/voting/draft.js'
import { parseId } from '../schemas.js'

export default async function voteRoutes(fastify: FastifyInstance, opts: { codeKey: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  /** Voting is open in the voting phase until its planned end; before and after, the page says which. */
  const refuseClosed = (request: FastifyRequest, reply: FastifyReply) => renderClosed(reply, theRound(request))
  const cast = { config: { action: 'ballot.cast' as const, refuse: refuseClosed } }
  const ends = (round: Round) => ({ endsOn: round.votingUntil, left: timeLeft(round.votingUntil, new Date()) })

  /** A page title names the page first and the round after it, so a tab or a screen reader says where one is. */
  const pageTitle = (request: FastifyRequest, key: string, round: Round, failed = false) => {
    const title = app.translate(request.lang, key, { round: round.title })
    return failed ? app.translate(request.lang, 'form.errorTitle', { title }) : title
  }

  /** What every voting page shows: its title, the round, and its help desk (in the reader's language) for a resident who gets stuck. */
  const page = async (request: FastifyRequest, key: string, round: Round, failed = false) => ({
    title: pageTitle(request, key, round, failed),
    round,
    helpDesk: localisedRoundTexts(round, await officialTexts(app.db, round.id, request.lang)).helpDesk,
  })

  async function renderClosed(reply: FastifyReply, round: Round) {
    const over = isPastVoting(phaseAt(round, new Date()))
    const key = over ? 'vote.pageTitle.closed' : 'vote.pageTitle.notYet'
    return reply.code(409).render('pages/resident/vote-closed.hbs', {
      ...(await page(reply.request, key, round)),
      over,
      resultsOut: residentsMay(round, 'results.view'),
    })
  }

  /**
   * One person's wrong codes stop only their browser (domain/code-guessing.ts). The browser is known by the
   * signed CSRF cookie the code page sets anyway (hashed: the secret itself stays out of the rate-limit table),
   * so the page costs one signed cookie, not two.
   */
  function browserId(request: FastifyRequest): string | null {
    const raw = request.cookies[hostCookie('csrf', app.secureCookies)]
    const unsigned = raw ? request.unsignCookie(raw) : undefined
    return unsigned?.valid && unsigned.value ? sha256(`browser ${unsigned.value}`) : null
  }

  /** A right code: this browser holds it for the round (ballot-cookies.ts), and goes to the ballot. */
  function admit(reply: FastifyReply, round: Round, codeId: number) {
    holdCode(reply, round, codeId)
    return reply.redirect(`${votePath(round)}/ballot`, 303)
  }

  app.get(
    '/rounds/:slug/vote',
    {
      schema: { params: SlugPath, querystring: CodeQuery },
      ...cast,
    },
    async (request, reply) => {
      const round = theRound(request)
      const typed = request.query.code ?? ''
      // A scanned letter carries its code: a right one goes straight to the ballot, under the same limits as typing.
      const checked =
        typed.trim() === '' ? null : await checkCode(app, opts.codeKey, request, round, typed, browserId(request))
      if (checked && 'codeId' in checked) return admit(reply, round, checked.codeId)
      // The empty form is the same for everyone but its token: kept rendered until the round or the time left changes.
      if (checked === null) {
        const left = ends(round)
        return reply.renderKeptForm(
          `vote-code:${round.id}`,
          [contentVersion(round), round.votingUntil, JSON.stringify(left.left)],
          'pages/resident/vote-code.hbs',
          async () => ({ ...(await page(request, 'vote.pageTitle.code', round)), code: '', ...left }),
        )
      }
      return reply.code(checked.status).render('pages/resident/vote-code.hbs', {
        ...(await page(request, 'vote.pageTitle.code', round, true)),
        code: typed,
        errorKey: checked.errorKey,
        ...ends(round),
      })
    },
  )

  app.post(
    '/rounds/:slug/vote',
    {
      schema: { params: SlugPath, body: FormInput },
      config: {
        ...cast.config,
        rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: (request) => `vote:${request.ip}` },
      },
    },
    async (request, reply) => {
      const round = theRound(request)
      // Whatever arrived is a code to look up: a wrong one is refused below, with the look-up's own message.
      const typed = readForm(CodeForm, request.body).typed.code
      const refuse = async (status: number, errorKey: string) =>
        reply.code(status).render('pages/resident/vote-code.hbs', {
          ...(await page(request, 'vote.pageTitle.code', round, true)),
          code: typed,
          errorKey,
          ...ends(round),
        })

      const checked = await checkCode(app, opts.codeKey, request, round, typed, browserId(request))
      if ('errorKey' in checked) return refuse(checked.status, checked.errorKey)
      return admit(reply, round, checked.codeId)
    },
  )

  app.get('/rounds/:slug/vote/ballot', { schema: { params: SlugPath }, ...cast }, async (request, reply) => {
    const round = theRound(request)
    const codeId = heldCode(request, round)
    if (codeId === null) return reply.redirect(votePath(round), 303)
    const [onBallot, earlier] = await Promise.all([ballotOf(round, codeId), currentChoice(app.db, codeId)])
    const draft = heldDraft(request, round, codeId)
    return reply.render(
      'pages/resident/vote-ballot.hbs',
      {
        ...(await page(request, 'vote.pageTitle.ballot', round)),
        votedBefore: earlier !== null,
        notCast: draft !== null,
        // Back from a project's page, the choices made before it; a returning voter changes what they chose,
        // not an empty ballot. Projects since taken off are left out.
        ballot: await shownBallot(
          request,
          round,
          onBallot,
          draft ?? (earlier?.projectIds ?? []).map((id, k) => ({ id, points: earlier?.points?.[k] ?? 0 })),
        ),
        ...ends(round),
      },
      { fragment: 'partials/ballot-form.hbs' },
    )
  })

  app.post(
    '/rounds/:slug/vote/ballot',
    {
      schema: { params: SlugPath, body: BallotForm },
      config: {
        action: 'ballot.cast',
        keepOnUnavailable: true,
        // A tick sent by htmx cannot show a whole page in the ballot's place: it asks the browser to load it.
        refuse: (request: FastifyRequest, reply: FastifyReply) =>
          wantsFragment(request) ? reply.header('HX-Refresh', 'true').send() : refuseClosed(request, reply),
      },
    },
    async (request, reply) => {
      const round = theRound(request)
      const htmx = wantsFragment(request)
      const codeId = heldCode(request, round)
      if (codeId === null)
        return htmx ? reply.header('HX-Redirect', votePath(round)).send() : reply.redirect(votePath(round), 303)

      const onBallot = await ballotOf(round, codeId)
      const projects = onBallot.sections.flatMap((b) => b.projects)
      const points = round.ballotFormat === 'points'
      const given = sentChoices(round, request.body)
      const render = async (status: number, error?: BallotError, errorBudgetId?: number) =>
        reply.code(status).render(
          'pages/resident/vote-ballot.hbs',
          {
            ...(await page(request, 'vote.pageTitle.ballot', round, error !== undefined)),
            ballot: await shownBallot(
              request,
              round,
              onBallot,
              given.filter((g) => g.id > 0),
              error,
              errorBudgetId,
            ),
            announce: htmx,
            ...ends(round),
          },
          { fragment: 'partials/ballot-form.hbs' },
        )

      const intent = request.body.intent
      // A tick (htmx) only updates the meter; "check my choice" also says what the server would refuse.
      if (intent === undefined) return render(200)
      const verdict = points
        ? checkPointsBallot(rulesOf(round), projects, given)
        : checkChoice(
            rulesOf(round),
            onBallot,
            given.map((g) => g.id),
          )
      const failedIn = !verdict.ok && 'budgetId' in verdict ? (verdict.budgetId as number | undefined) : undefined
      if (intent === 'check') return render(200, verdict.ok ? undefined : verdict.error, failedIn)
      if (!verdict.ok) return render(422, verdict.error, failedIn)
      const stored = await castOnlineBallot(app.db, {
        round,
        actor: request.actor,
        codeId,
        projectIds: verdict.projectIds,
        points: 'points' in verdict ? verdict.points : undefined,
        receipt: generateReceipt(randomInt),
        now: new Date(),
      })
      if ('refused' in stored) {
        // The round closed or the code was revoked between showing the ballot and storing it.
        if (stored.refused === 'closed') return renderClosed(reply, stored.round)
        forgetBallot(reply, round)
        return reply.code(409).render('pages/resident/vote-code.hbs', {
          ...(await page(request, 'vote.pageTitle.code', round, true)),
          code: '',
          errorKey: 'vote.codeRevoked',
        })
      }
      forgetBallot(reply, round)
      if (!stored.replaced) await app.languageCounts.count(round.id, request.lang)
      return reply.redirect(`/receipts/${stored.receipt}?new=1`, 303)
    },
  )

  /**
   * "View project" on the ballot posts the whole form here: the choices so far are kept as a draft
   * (ballot-cookies.ts), nothing is cast, and the project's public page opens with a way back to
   * the ballot, which shows the draft ticked. The same without JavaScript.
   */
  app.post(
    '/rounds/:slug/vote/look/:id',
    { schema: { params: LookPath, body: BallotForm }, ...cast },
    async (request, reply) => {
      const round = theRound(request)
      const codeId = heldCode(request, round)
      if (codeId === null) return reply.redirect(votePath(round), 303)
      const id = parseId(request.params.id)
      const projects = (await ballotOf(round, codeId)).sections.flatMap((s) => s.projects)
      const project = projects.find((p) => p.id === id)
      // Not on this code's ballot (another round's, a district's it does not vote in, or none): no draft either.
      if (!project) return reply.callNotFound()
      const onBallot = projects.map((p) => p.id)
      keepDraft(reply, round, codeId, keptChoices(sentChoices(round, request.body), onBallot))
      return reply.redirect(`/proposals/${project.reference}?from=ballot`, 303)
    },
  )

  const ballotOf = (round: Round, codeId: number) => codeBallot(app.db, round, codeId)

  /** The choices as the ballot form sent them; a tick is one point. */
  const sentChoices = (round: Round, body: { projects?: string | string[]; points?: string | string[] }) =>
    round.ballotFormat === 'points'
      ? givenPoints(body.projects, body.points)
      : chosenIds(body.projects).map((id) => ({ id, points: 1 }))

  /** The ballot's view for its format; votes for projects since taken off the ballot are left out. */
  async function shownBallot(
    request: FastifyRequest,
    round: Round,
    ballot: CodeBallot,
    given: GivenPoints,
    error?: BallotError,
    errorBudgetId?: number,
  ) {
    const projects = ballot.sections.flatMap((s) => s.projects)
    const rows = await localised(app.db, projects, request.lang)
    const onBallot = given.filter((g) => projects.some((p) => p.id === g.id))
    const chosen = onBallot.map((g) => g.id)
    if (round.ballotFormat === 'points') return pointsBallotView(round, rows, onBallot, error)
    if (ballot.budgets.length === 1) return ballotView(round, rows, chosen, error)
    const sections = ballot.sections.map((s) => ({
      budget: s.budget,
      projects: rows.filter((r) => s.projects.some((p) => p.id === r.id)),
    }))
    const otherDistrict = round.districtRule === 'own-plus-one' && ballot.district !== null
    return budgetBallotView(round, sections, chosen, otherDistrict, error, errorBudgetId)
  }

  const receiptTitle = (request: FastifyRequest, notFound: boolean) =>
    app.translate(request.lang, notFound ? 'receipt.notFoundTitle' : 'receipt.title')

  app.get(
    '/receipts',
    {
      schema: { querystring: ReceiptQuery },
    },
    async (request, reply) => {
      const typed = request.query.receipt
      if (typed === undefined)
        return reply.render('pages/resident/receipt.hbs', { title: receiptTitle(request, false) })
      const receipt = normaliseReceipt(typed)
      if (!receipt)
        return reply
          .code(422)
          .render('pages/resident/receipt.hbs', { title: receiptTitle(request, true), typed, notFound: true })
      return reply.redirect(`/receipts/${receipt}`, 303)
    },
  )

  app.get(
    '/receipts/:receipt',
    {
      schema: { params: ReceiptPath, querystring: NewQuery },
    },
    async (request, reply) => {
      const receipt = normaliseReceipt(request.params.receipt)
      const found = receipt ? await findReceipt(app.db, receipt) : undefined
      return reply.code(found ? 200 : 404).render('pages/resident/receipt.hbs', {
        title: receiptTitle(request, !found),
        typed: request.params.receipt,
        receipt,
        found,
        justCast: request.query.new === '1',
        notFound: !found,
        helpDesk: found ? helpDeskView(found.helpDesk) : null,
      })
    },
  )
}
