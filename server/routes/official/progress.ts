import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listBallotProjects } from '../../data/ballots.js'
import { findResult } from '../../data/results.js'
import type { Round } from '../../data/rounds.js'
import {
  checkMilestone,
  checkMilestoneDone,
  checkProgress,
  PROGRESS_STATUSES,
  type MilestoneErrors,
  type ProgressErrors,
  type ProgressTyped,
} from '../../domain/results/progress.js'
import { theOfficial, theRound } from '../../plugins/auth.js'
import { addMilestone, postProgress, reachMilestone } from '../../usecases/progress.js'
import { FormInput, readForm, summaryItems } from '../forms.js'
import { MAX_PHOTOS } from '../../domain/photos/rules.js'
import { FORM_TYPE } from '../../plugins/input.js'
import { encodePhotos, photoErrors, photoSlotsView, photoSummary, readPhotos, type PhotosRead } from '../photo-form.js'
import { amsterdamToday, progressProjects } from '../shared/progress-view.js'
import { wrongPhase } from '../shared/wrong-phase.js'
import { IdPath, MilestoneDoneForm, MilestoneForm, MilestonePath, ProgressForm, SavedQuery } from './schemas.js'

const ERROR_KEYS: Record<
  NonNullable<ProgressErrors[keyof ProgressErrors] | MilestoneErrors[keyof MilestoneErrors]>,
  string
> = {
  chooseProject: 'results.progress.chooseProject',
  chooseStatus: 'results.progress.chooseStatus',
  required: 'form.required',
  chooseDate: 'results.progress.chooseDate',
  reasonRequired: 'results.progress.reasonRequired',
  money: 'results.progress.money',
  wholeNumber: 'results.progress.wholeNumber',
  numberTooLarge: 'results.progress.numberTooLarge',
  tooLong: 'results.progress.milestoneTooLong',
}

/** An update may carry photos: its form posts as multipart. */
const WITH_PHOTOS = [FORM_TYPE, 'multipart/form-data'] as const

type Shown = {
  update?: { errors: Record<string, string>; values: ProgressTyped; photos?: PhotosRead }
  milestone?: { errors: Record<string, string>; values: { proposal: string; title: string; planned: string } }
  /** The milestone whose reached day was refused, with what was typed. */
  done?: { id: number; error: string; value: string }
}

/**
 * The officials' page for following funded projects to the end: post an update (status, what
 * happened, money spent so far, energy reached), plan milestones and record when they were reached.
 */
export default async function progressRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  async function fundedProjects(round: Round) {
    const result = await findResult(app.db, round.id)
    const selected = new Set(result?.outcome.selected ?? [])
    return (await listBallotProjects(app.db, round.id)).filter((p) => selected.has(String(p.id)))
  }

  async function render(request: FastifyRequest, reply: FastifyReply, round: Round, shown: Shown, saved = false) {
    const funded = await fundedProjects(round)
    const { projects, totals } = await progressProjects(app.db, funded, amsterdamToday())
    const errors = { ...shown.update?.errors, ...shown.milestone?.errors }
    const summary = summaryItems(errors, [
      { name: 'proposal', label: 'results.project' },
      { name: 'status', label: 'results.progress.statusLabel' },
      { name: 'text', label: 'results.progress.text' },
      { name: 'on', label: 'results.progress.date' },
      { name: 'spent', label: 'results.progress.spent' },
      { name: 'kwh', label: 'results.progress.kwh' },
      { name: 'co2', label: 'results.progress.co2' },
      { name: 'households', label: 'results.progress.households' },
      { name: 'title', href: 'milestone-title', label: 'results.progress.milestoneTitle' },
      { name: 'planned', href: 'milestone-planned', label: 'results.progress.milestonePlanned' },
    ])
    if (shown.done)
      summary.push({
        href: `done-${shown.done.id}`,
        label: 'results.progress.milestoneDone',
        message: shown.done.error,
        vars: undefined,
      })
    const photoSlots = photoSlotsView(shown.update?.photos, MAX_PHOTOS, shown.update !== undefined)
    const photoLinks = photoSummary(photoSlots)
    const title = app.translate(request.lang, 'results.progress.pageTitle')
    const chosen = shown.update?.values.proposal ?? shown.milestone?.values.proposal
    return reply.render('pages/official/progress.hbs', {
      title: summary.length + photoLinks.length > 0 ? app.translate(request.lang, 'form.errorTitle', { title }) : title,
      summary,
      photoSlots,
      photoErrors: photoLinks,
      hasErrors: summary.length + photoLinks.length > 0,
      saved,
      round,
      totals,
      projects: projects.map((p) => ({
        ...p,
        selected: String(p.id) === chosen,
        milestones: p.milestones.map((m) => ({
          ...m,
          error: shown.done?.id === m.id ? shown.done.error : undefined,
          typed: shown.done?.id === m.id ? shown.done.value : (m.doneOn ?? ''),
        })),
      })),
      statuses: PROGRESS_STATUSES.map((status) => ({
        status,
        key: `results.progress.status.${status}`,
        selected: shown.update?.values.status === status,
      })),
      update: shown.update ?? { errors: {}, values: {} },
      milestone: shown.milestone ?? { errors: {}, values: {} },
    })
  }

  const fieldErrors = (errors: Record<string, string | undefined>) =>
    Object.fromEntries(
      Object.entries(errors).flatMap(([field, error]) =>
        error ? [[field, ERROR_KEYS[error as keyof typeof ERROR_KEYS]]] : [],
      ),
    )

  /** Before publishing there is nothing funded to follow: a page that says which phase it needs. */
  const action = { action: 'progress.post' as const, refuse: wrongPhase(app, 'results.notPublished') }

  app.get(
    '/rounds/:id/progress',
    { schema: { params: IdPath, querystring: SavedQuery }, config: action },
    async (request, reply) => render(request, reply, theRound(request), {}, request.query.saved === '1'),
  )

  app.post(
    '/rounds/:id/progress',
    { schema: { params: IdPath, body: FormInput }, config: { ...action, bodyTypes: WITH_PHOTOS } },
    async (request, reply) => {
      const round = theRound(request)
      const read = readForm(ProgressForm, request.body)
      const values: ProgressTyped = { ...read.typed, text: read.typed.text.trim() }
      const funded = await fundedProjects(round)
      const checked = checkProgress(values, new Set(funded.map((p) => String(p.id))))
      const errors = { ...('errors' in checked ? fieldErrors(checked.errors) : {}), ...(read.ok ? {} : read.errors) }
      const photos = await readPhotos(request, MAX_PHOTOS)
      const refuse = () => render(request, reply.code(422), round, { update: { errors, values, photos } })
      if (!('update' in checked) || Object.keys(errors).length > 0 || photoErrors(photos)) return refuse()
      const encoded = await encodePhotos(photos)
      if (!encoded) return refuse()
      await postProgress(app.db, app, round.id, checked.update, theOfficial(request), encoded)
      return reply.redirect(`/official/rounds/${round.id}/progress?saved=1#project-${checked.update.proposalId}`, 303)
    },
  )

  app.post(
    '/rounds/:id/milestones',
    { schema: { params: IdPath, body: FormInput }, config: action },
    async (request, reply) => {
      const round = theRound(request)
      const read = readForm(MilestoneForm, request.body)
      const values = { ...read.typed, title: read.typed.title.trim() }
      const funded = new Set((await fundedProjects(round)).map((p) => String(p.id)))
      const checked = checkMilestone(values)
      const errors: Record<string, string> = {
        ...('errors' in checked ? fieldErrors(checked.errors) : {}),
        ...(read.ok ? {} : read.errors),
      }
      if (!funded.has(values.proposal)) errors.proposal = ERROR_KEYS.chooseProject
      const proposalId = Number(values.proposal)
      if ('milestone' in checked && Object.keys(errors).length === 0) {
        if (await addMilestone(app.db, round.id, { ...checked.milestone, proposalId }, theOfficial(request)))
          return reply.redirect(`/official/rounds/${round.id}/progress?saved=1#project-${proposalId}`, 303)
        errors.title = 'results.progress.tooManyMilestones'
      }
      return render(request, reply.code(422), round, { milestone: { errors, values } })
    },
  )

  app.post(
    '/rounds/:id/milestones/:milestone',
    { schema: { params: MilestonePath, body: FormInput }, config: action },
    async (request, reply) => {
      const round = theRound(request)
      const id = /^\d{1,9}$/.test(request.params.milestone) ? Number(request.params.milestone) : NaN
      const read = readForm(MilestoneDoneForm, request.body)
      const checked = read.ok ? checkMilestoneDone(read.typed) : { errors: { done: 'chooseDate' as const } }
      if ('errors' in checked) {
        if (Number.isNaN(id)) return reply.callNotFound()
        return render(request, reply.code(422), round, {
          done: { id, error: ERROR_KEYS.chooseDate, value: read.typed.done },
        })
      }
      const reached =
        !Number.isNaN(id) && (await reachMilestone(app.db, round.id, id, checked.doneOn, theOfficial(request)))
      if (!reached) return reply.callNotFound()
      return reply.redirect(`/official/rounds/${round.id}/progress?saved=1`, 303)
    },
  )
}
