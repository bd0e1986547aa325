import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findTextSubject, listTextTranslations } from '../../data/text-translations.js'
import type { Round } from '../../data/rounds.js'
import { storedHelpDesk } from '../../domain/rounds/help-desk.js'
import {
  commentIsTranslated,
  isCurrent,
  OFFICIAL_LANG,
  readTargetLanguage,
  readTextSlug,
  readTranslatedText,
  textSlug,
  type TextRef,
} from '../../domain/translations/texts.js'
import { writtenIn } from '../../domain/proposals/translation.js'
import { isLang, language, LANGUAGE_LIST, type Lang } from '../../languages.js'
import { allowedIn, theOfficial, theRound } from '../../plugins/auth.js'
import { translateText } from '../../usecases/translations.js'
import { FormInput, readForm, readQuery } from '../forms.js'
import { TextForm, TextPath, TranslateQuery } from './schemas.js'

/** The longest translation of an official's text: a progress update or a round's description runs long. */
const TEXT_LIMIT = 20_000

/** The text the address names, in the round the address names; another round's text names nothing here. */
async function findText(app: FastifyInstance, round: Round, slug: string) {
  const ref = readTextSlug(slug, round.id)
  if (!ref) return undefined
  const official = { originalLang: OFFICIAL_LANG, back: null }
  if (ref.kind === 'description')
    return round.description
      ? { ref, original: round.description, kindKey: 'translation.what.description', ...official }
      : undefined
  if (ref.kind === 'hours') {
    const hours = storedHelpDesk(round.helpDesk)?.hours
    return hours ? { ref, original: hours, kindKey: 'translation.what.hours', ...official } : undefined
  }
  const subject = await findTextSubject(app.db, round.id, ref)
  if (!subject) return undefined
  const proposal = { ...subject.proposal, textLang: writtenIn(subject.proposal.lang) }
  if (subject.kind === 'comment') {
    // A comment is translated from the language its writer wrote in; the permission table refuses a rejected one.
    const back = `/official/comments/${ref.subjectId}`
    return {
      notPublic: !commentIsTranslated(subject.status),
      ref,
      original: subject.text,
      kindKey: 'translation.what.comment',
      proposal,
      originalLang: writtenIn(subject.lang),
      back,
    }
  }
  const kindKey = ref.kind === 'decision' ? `moderation.event.${subject.kind}` : `translation.what.${ref.kind}`
  return { ref, original: subject.text, kindKey, proposal, ...official }
}

type Found = NonNullable<Awaited<ReturnType<typeof findText>>>

/** The text the address names, if the asker may translate it: the permission table decides, with whether the public reads it. */
async function findTranslatable(app: FastifyInstance, request: FastifyRequest, round: Round, slug: string) {
  const found = await findText(app, round, slug)
  const notPublic = found !== undefined && 'notPublic' in found && found.notPublic
  return found && allowedIn(request, round, 'proposal.translate', new Date(), { notPublic }) ? found : undefined
}

/** A decision's message, the round's description and help desk hours, a progress update: translated by coaches and moderators. */
export default async function textTranslationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const translate = { action: 'proposal.translate' as const }
  const path = '/rounds/:id/texts/:text/translate'
  const href = (round: Round, ref: TextRef) => `/official/rounds/${round.id}/texts/${textSlug(ref)}/translate`

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    found: Found,
    form: { lang?: string; text?: string } = {},
    errors: Record<string, string> = {},
    saved?: string,
  ) {
    const existing = await listTextTranslations(app.db, found.ref)
    const from = found.originalLang
    const chosen: Lang =
      (isLang(form.lang) && form.lang !== from ? form.lang : undefined) ??
      LANGUAGE_LIST.find((l) => l.code !== from && !existing.some((e) => e.lang === l.code))?.code ??
      (from === 'en' ? OFFICIAL_LANG : 'en')
    return reply.render('pages/official/translate-text.hbs', {
      title: app.translate(request.lang, 'translation.textTitle', { title: round.title }),
      round,
      text: { ...found, languageName: language(from).name },
      action: href(round, found.ref),
      existing: existing.map((e) => ({
        ...e,
        name: language(writtenIn(e.lang)).name,
        outdated: !isCurrent(e.sourceHash, [found.original]),
        href: `${href(round, found.ref)}?into=${e.lang}`,
      })),
      languages: LANGUAGE_LIST.filter((l) => l.code !== from).map((l) => ({
        code: l.code,
        name: l.name,
        selected: l.code === chosen,
      })),
      chosen,
      value: form.text ?? existing.find((e) => e.lang === chosen)?.text ?? '',
      errors,
      hasErrors: Object.keys(errors).length > 0,
      saved: isLang(saved) ? language(saved).name : null,
    })
  }

  app.get(path, { schema: { params: TextPath, querystring: FormInput }, config: translate }, async (request, reply) => {
    const round = theRound(request)
    const found = await findTranslatable(app, request, round, request.params.text)
    if (!found) return reply.callNotFound()
    const query = readQuery(TranslateQuery, request.query)
    return renderForm(request, reply, round, found, query.into ? { lang: query.into } : {}, {}, query.saved)
  })

  app.post(path, { schema: { params: TextPath, body: FormInput }, config: translate }, async (request, reply) => {
    const round = theRound(request)
    const found = await findTranslatable(app, request, round, request.params.text)
    if (!found) return reply.callNotFound()
    const read = readForm(TextForm, request.body)
    const errors: Record<string, string> = read.ok ? {} : { ...read.errors }
    const lang = readTargetLanguage(read.typed.lang, found.originalLang)
    if ('error' in lang) errors.lang ??= `translation.error.${lang.error}`
    const text = readTranslatedText(read.typed.text, TEXT_LIMIT)
    if ('error' in text) errors.text ??= `translation.error.${text.error}`
    if ('error' in lang || 'error' in text || Object.keys(errors).length > 0)
      return renderForm(request, reply.code(422), round, found, read.typed, errors)
    await translateText(app.db, {
      roundId: round.id,
      ref: found.ref,
      original: found.original,
      lang: lang.lang,
      text: text.text,
      official: theOfficial(request),
      now: new Date(),
    })
    return reply.redirect(`${href(round, found.ref)}?into=${lang.lang}&saved=${lang.lang}`, 303)
  })
}
