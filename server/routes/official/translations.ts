import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findProposal, findRoundOf } from '../../data/moderation.js'
import { listTranslations, saveTranslation, translatedLanguages } from '../../data/proposal-translations.js'
import { listPublicProposals, type Proposal } from '../../data/proposals.js'
import { findRound, type Round } from '../../data/rounds.js'
import { can } from '../../domain/permissions.js'
import { readTranslationForm, writtenIn, type TranslationField } from '../../domain/proposal-translation.js'
import { ForbiddenError } from '../../plugins/auth.js'
import { language, LANGUAGE_LIST } from '../../languages.js'
import { fieldErrors } from '../forms.js'
import { badId, idParams } from './rounds-view.js'

type TranslationBody = Partial<Record<TranslationField, string>>

const text = (maxLength: number) => ({ type: 'string', maxLength })
const translationSchema = {
  type: 'object',
  properties: { lang: text(10), title: text(2000), summary: text(5000), _csrf: { type: 'string' } },
} as const

/** Language coaches and moderators translate proposals' titles and summaries; every change is audited. */
export default async function translationRoutes(app: FastifyInstance) {
  function mayTranslate(request: FastifyRequest, round: Round): boolean {
    return can(request.official!.role, 'proposal.translate', round.phase)
  }

  app.get<{ Params: { id: string } }>('/rounds/:id/translations', {
    schema: { params: idParams },
    attachValidation: true,
  }, async (request, reply) => {
    const round = badId(request) ? undefined : await findRound(app.db, Number(request.params.id))
    if (!round) return reply.callNotFound()
    if (!mayTranslate(request, round)) throw new ForbiddenError()
    const proposals = (await listPublicProposals(app.db, round.id)).filter((p) => p.status !== 'rejected' && p.duplicateOfId === null)
    const done = await translatedLanguages(app.db, proposals.map((p) => p.id))
    return reply.render('pages/official/translations.hbs', {
      title: app.translate(request.lang, 'translation.listTitle', { title: round.title }),
      round,
      proposals: proposals.map((p) => ({
        ...p,
        textLang: writtenIn(p.lang),
        languages: LANGUAGE_LIST.map((l) => ({ code: l.code, name: l.name, original: l.code === writtenIn(p.lang), done: done.get(p.id)?.has(l.code) ?? false })),
      })),
    })
  })

  async function renderForm(request: FastifyRequest, reply: FastifyReply, proposal: Proposal, round: Round, form: TranslationBody = {}, errors: Record<string, string> = {}, saved?: string) {
    const original = writtenIn(proposal.lang)
    const existing = await listTranslations(app.db, proposal.id)
    const chosen = form.lang ?? LANGUAGE_LIST.find((l) => l.code !== original && !existing.some((e) => e.lang === l.code))?.code ?? ''
    const current = existing.find((e) => e.lang === chosen)
    return reply.render('pages/official/translate.hbs', {
      title: app.translate(request.lang, 'translation.formTitle', { title: proposal.title }),
      proposal: { ...proposal, textLang: original, languageName: language(original).name },
      round,
      existing: existing.map((e) => ({ ...e, name: language(writtenIn(e.lang)).name })),
      languages: LANGUAGE_LIST.filter((l) => l.code !== original).map((l) => ({ code: l.code, name: l.name, selected: l.code === chosen })),
      values: { lang: chosen, title: form.title ?? current?.title ?? '', summary: form.summary ?? current?.summary ?? '' },
      errors,
      hasErrors: Object.keys(errors).length > 0,
      saved: saved && LANGUAGE_LIST.some((l) => l.code === saved) ? language(saved as never).name : null,
    })
  }

  async function load(request: FastifyRequest<{ Params: { id: string } }>) {
    const proposal = badId(request) ? undefined : await findProposal(app.db, Number(request.params.id))
    if (!proposal) return undefined
    const round = await findRoundOf(app.db, proposal)
    if (!mayTranslate(request, round)) throw new ForbiddenError()
    return { proposal, round }
  }

  app.get<{ Params: { id: string }; Querystring: { lang?: string; saved?: string } }>('/proposals/:id/translate', {
    schema: { params: idParams, querystring: { type: 'object', properties: { lang: text(10), saved: text(10) } } },
    attachValidation: true,
  }, async (request, reply) => {
    const found = await load(request)
    if (!found) return reply.callNotFound()
    return renderForm(request, reply, found.proposal, found.round, request.query.lang ? { lang: request.query.lang } : {}, {}, request.query.saved)
  })

  app.post<{ Params: { id: string }; Body: TranslationBody }>('/proposals/:id/translate', {
    schema: { params: idParams, body: translationSchema },
    attachValidation: true,
  }, async (request, reply) => {
    const found = await load(request)
    if (!found) return reply.callNotFound()
    const form = request.body ?? {}
    const errors: Record<string, string> = fieldErrors(request.validationError?.validation)
    const result = readTranslationForm(form, found.proposal.lang)
    if ('errors' in result) for (const [field, code] of Object.entries(result.errors)) errors[field] = `translation.error.${code}`
    if (!('text' in result) || Object.keys(errors).length > 0) return renderForm(request, reply.code(422), found.proposal, found.round, form, errors)
    await saveTranslation(app.db, { proposalId: found.proposal.id, lang: result.lang, text: result.text, official: request.official! })
    return reply.redirect(`/official/proposals/${found.proposal.id}/translate?saved=${result.lang}`, 303)
  })
}
