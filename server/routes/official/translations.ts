import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listTranslations } from '../../data/proposal-translations.js'
import { translateProposal } from '../../usecases/translations.js'
import type { Proposal } from '../../data/proposals.js'
import type { Round } from '../../data/rounds.js'
import { readTranslationForm, writtenIn, type TranslationField } from '../../domain/proposals/translation.js'
import { isCurrent } from '../../domain/translations/texts.js'
import { theOfficial, theProposal, theRound } from '../../plugins/auth.js'
import { isLang, language, LANGUAGE_LIST } from '../../languages.js'
import { FormInput, readForm, readQuery } from '../forms.js'
import { IdPath, TranslateQuery, TranslationForm } from './schemas.js'
import { needsView, roundNeeds } from './translation-needs.js'
import textTranslationRoutes from './text-translations.js'
import translationListRoutes from './translations-list.js'

type TranslationBody = Partial<Record<TranslationField, string>>

/** Language coaches and moderators translate proposals and officials' words; every change is audited. */
export default async function translationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const translate = { config: { action: 'proposal.translate' as const } }

  app.get('/rounds/:id/translations', { schema: { params: IdPath }, ...translate }, async (request, reply) => {
    const round = theRound(request)
    return reply.render('pages/official/translations.hbs', {
      title: app.translate(request.lang, 'translation.listTitle', { title: round.title }),
      rounds: [needsView(round, await roundNeeds(app.db, round))],
      oneRound: round,
    })
  })

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    proposal: Proposal,
    round: Round,
    form: TranslationBody = {},
    errors: Record<string, string> = {},
    saved?: string,
  ) {
    const original = writtenIn(proposal.lang)
    const existing = await listTranslations(app.db, proposal.id)
    const chosen =
      (isLang(form.lang) && form.lang !== original ? form.lang : undefined) ??
      LANGUAGE_LIST.find((l) => l.code !== original && !existing.some((e) => e.lang === l.code))?.code ??
      LANGUAGE_LIST.find((l) => l.code !== original)!.code
    const current = existing.find((e) => e.lang === chosen)
    const originalText = [proposal.title, proposal.summary, proposal.description] as const
    return reply.render('pages/official/translate.hbs', {
      title: app.translate(request.lang, 'translation.formTitle', { title: proposal.title }),
      proposal: { ...proposal, textLang: original, languageName: language(original).name },
      round,
      existing: existing.map((e) => ({
        ...e,
        name: language(writtenIn(e.lang)).name,
        outdated: !isCurrent(e.sourceHash, originalText),
      })),
      languages: LANGUAGE_LIST.filter((l) => l.code !== original).map((l) => ({
        code: l.code,
        name: l.name,
        selected: l.code === chosen,
      })),
      chosen,
      values: {
        lang: chosen,
        title: form.title ?? current?.title ?? '',
        summary: form.summary ?? current?.summary ?? '',
        description: form.description ?? current?.description ?? '',
      },
      errors,
      hasErrors: Object.keys(errors).length > 0,
      saved: isLang(saved) ? language(saved).name : null,
    })
  }

  app.get(
    '/proposals/:id/translate',
    {
      schema: { params: IdPath, querystring: FormInput },
      ...translate,
    },
    async (request, reply) => {
      const query = readQuery(TranslateQuery, request.query)
      return renderForm(
        request,
        reply,
        theProposal(request),
        theRound(request),
        query.into ? { lang: query.into } : {},
        {},
        query.saved,
      )
    },
  )

  app.post(
    '/proposals/:id/translate',
    {
      schema: { params: IdPath, body: FormInput },
      ...translate,
    },
    async (request, reply) => {
      const [round, proposal] = [theRound(request), theProposal(request)]
      const read = readForm(TranslationForm, request.body)
      const errors: Record<string, string> = read.ok ? {} : { ...read.errors }
      const result = readTranslationForm(request.body, proposal.lang)
      if ('errors' in result)
        for (const [field, code] of Object.entries(result.errors)) errors[field] = `translation.error.${code}`
      if (!('text' in result) || Object.keys(errors).length > 0)
        return renderForm(request, reply.code(422), proposal, round, read.typed, errors)
      await translateProposal(app.db, {
        proposal,
        lang: result.lang,
        text: result.text,
        official: theOfficial(request),
        now: new Date(),
      })
      return reply.redirect(
        `/official/proposals/${proposal.id}/translate?into=${result.lang}&saved=${result.lang}`,
        303,
      )
    },
  )

  await app.register(textTranslationRoutes)
  await app.register(translationListRoutes)
}
