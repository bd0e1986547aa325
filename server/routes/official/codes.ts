import { randomInt } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { countCodes, listCodeBatches } from '../../data/voting-codes.js'
import type { Round } from '../../data/rounds.js'
import { revokeCode } from '../../data/voting-codes.js'
import { issueCodeBatch } from '../../usecases/codes.js'
import {
  checkBatch,
  MAX_CODES,
  MAX_GROUP_LENGTH,
  MAX_LETTERS,
  MAX_QR_CODES,
  parseCodeCount,
} from '../../domain/voting/code-batch.js'
import { generateCode, hashCode, normaliseCode } from '../../domain/voting/codes.js'
import { formatNumber } from '../../formatters.js'
import { allowed, theOfficial, theRound } from '../../plugins/auth.js'
import { wantsFragment } from '../../plugins/views.js'
import { FormInput, readForm, readQuery, summaryItems } from '../forms.js'
import { votingUrl } from '../../domain/voting/code-files.js'
import { lettersFit } from '../../letters-pdf.js'
import { streamCodesDownload } from './codes-download.js'
import { letterPdfText, letterText } from './letter.js'
import { declaredLanguages } from '../../domain/translations/needs.js'
import { storedHelpDesk } from '../../domain/rounds/help-desk.js'
import { budgetDistricts } from '../../data/budgets.js'
import { CodesQuery, GenerateForm, IdPath, POLL_TRIES, RevokeForm, TotalsQuery } from './schemas.js'

interface CodesForms {
  generate?: {
    values: { count: string; group: string; district: string; qr: boolean; letters: boolean }
    errors: Record<string, string>
  }
  revoke?: { values: { code: string }; errors: Record<string, string> }
  messageKey?: string
  notice?: string
}

const AFTER_SUBMIT = 'submit from:body delay:2s'

export default async function codesRoutes(fastify: FastifyInstance, opts: { codeKey: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  /** Voting has closed (or the codes are otherwise out of reach): the page says so, with what was typed. */
  const refuseClosed = (request: FastifyRequest, reply: FastifyReply) =>
    renderCodes(request, reply.code(409), theRound(request), { messageKey: 'codes.closedPhase' })
  const manage = { action: 'codes.manage' as const, refuse: refuseClosed }

  async function renderCodes(request: FastifyRequest, reply: FastifyReply, round: Round, forms: CodesForms = {}) {
    const [batches, totals, districts] = await Promise.all([
      listCodeBatches(app.db, round.id),
      countCodes(app.db, round.id),
      budgetDistricts(app.db, round.id),
    ])
    const lang = request.lang
    const summary = [
      ...summaryItems(forms.generate?.errors ?? {}, [
        { name: 'count', label: 'codes.generate.count', vars: { max: formatNumber(MAX_CODES, lang) } },
        { name: 'group', label: 'codes.generate.group', vars: { max: MAX_GROUP_LENGTH } },
        { name: 'district', label: 'codes.generate.district' },
        { name: 'qr', label: 'codes.generate.qr', vars: { max: formatNumber(MAX_QR_CODES, lang) } },
        { name: 'letters', label: 'codes.generate.letters', vars: { max: formatNumber(MAX_LETTERS, lang) } },
      ]),
      ...summaryItems(forms.revoke?.errors ?? {}, [{ name: 'code', label: 'codes.revoke.label' }]),
    ]
    const title = app.translate(lang, 'codes.title', { title: round.title })
    return reply.header('Cache-Control', 'no-store').render('pages/official/codes.hbs', {
      title: summary.length > 0 ? app.translate(lang, 'form.errorTitle', { title }) : title,
      summary,
      round,
      batches,
      totals,
      poll: { trigger: AFTER_SUBMIT, before: totals.issued, tries: POLL_TRIES },
      canManage: allowed(request, 'codes.manage'),
      maxCodes: MAX_CODES,
      maxQr: MAX_QR_CODES,
      maxLetters: MAX_LETTERS,
      maxGroup: MAX_GROUP_LENGTH,
      generate: forms.generate ?? {
        values: { count: '', group: '', district: '', qr: true, letters: true },
        errors: {},
      },
      districts: districts.map((name) => ({ name, selected: name === forms.generate?.values.district })),
      revoke: forms.revoke ?? { values: { code: '' }, errors: {} },
      messageKey: forms.messageKey,
      noticeKey: forms.notice && `codes.notice.${forms.notice}`,
    })
  }

  app.get(
    '/rounds/:id/codes',
    {
      schema: { params: IdPath, querystring: FormInput },
      config: { action: 'codes.view' },
    },
    async (request, reply) =>
      renderCodes(request, reply, theRound(request), {
        notice: readQuery(CodesQuery, request.query).notice === 'revoked' ? 'revoked' : undefined,
      }),
  )

  // The totals alone, for the page that just started a download: asks again while the new codes are not counted yet.
  app.get(
    '/rounds/:id/codes/totals',
    {
      schema: { params: IdPath, querystring: TotalsQuery },
      config: { action: 'codes.view' },
    },
    async (request, reply) => {
      const round = theRound(request)
      const [totals, batches] = await Promise.all([countCodes(app.db, round.id), listCodeBatches(app.db, round.id)])
      const { before = totals.issued, tries = 0 } = request.query
      const expected = before + (parseCodeCount(request.query.count ?? '') ?? 0)
      const waiting = totals.issued < expected && tries > 0
      const poll = waiting
        ? { trigger: 'load delay:2s', before, tries: tries - 1 }
        : { trigger: AFTER_SUBMIT, before: totals.issued, tries: POLL_TRIES }
      const model = { round, totals, poll, batches, withBatches: true }
      reply.header('Cache-Control', 'no-store')
      return wantsFragment(request)
        ? reply.render('partials/code-totals.hbs', model, { fragment: 'partials/code-totals.hbs' })
        : reply.redirect(`/official/rounds/${round.id}/codes`, 303)
    },
  )

  app.post(
    '/rounds/:id/codes',
    {
      schema: { params: IdPath, body: FormInput },
      config: manage,
    },
    async (request, reply) => {
      const round = theRound(request)
      const read = readForm(GenerateForm, request.body)
      const values = {
        count: read.typed.count,
        group: read.typed.group,
        district: read.typed.district,
        qr: request.body.qr !== undefined,
        letters: request.body.letters !== undefined,
      }
      const refuse = (status: number, errors: Record<string, string>, messageKey = 'codes.generate.summary') =>
        renderCodes(request, reply.code(status), round, { generate: { values, errors }, messageKey })

      // The precise reason where there is one; the schema's general one for anything else.
      const errors = read.ok ? {} : { ...read.errors }
      const checked = checkBatch(values)
      if ('errors' in checked)
        for (const [field, error] of Object.entries(checked.errors)) errors[field] = `codes.generate.${error}`
      // A batch bound to a district votes in that district's budgets: only a district of the round's budgets.
      const district = values.district.trim()
      if (district !== '' && !(await budgetDistricts(app.db, round.id)).includes(district))
        errors.district = 'codes.generate.districtUnknown'
      if (!('batch' in checked) || Object.keys(errors).length > 0) return refuse(422, errors)
      const { count, qr, letters } = checked.batch
      // Turnout per district comes from the codes: a district batch's group is its district unless named otherwise.
      const group = checked.batch.group ?? (district === '' ? null : district)
      const urlOf = (code: string) => votingUrl(app.publicUrl, round.slug, code)
      // What could fail in the download is tried before anything is stored: the fonts load, the letter fits one page.
      // The letter speaks the languages the round declares: Dutch and its help desk's.
      const languages = declaredLanguages(storedHelpDesk(round.helpDesk)?.languages)
      const letterPdf = letters ? letterPdfText(app.translate, round, app.publicUrl, languages) : null
      if (letterPdf && !lettersFit(letterPdf)) return refuse(422, {}, 'codes.generate.lettersTooLong')

      const codes = new Set<string>()
      while (codes.size < count) codes.add(generateCode(randomInt))
      const list = [...codes]
      const outcome = await issueCodeBatch(app.db, {
        round,
        actor: request.actor,
        official: theOfficial(request),
        groupLabel: group,
        district: district === '' ? null : district,
        hashes: list.map((code) => hashCode(opts.codeKey, normaliseCode(code)!)),
        now: new Date(),
      })
      if ('closed' in outcome) {
        return renderCodes(request, reply.code(409), outcome.closed, {
          generate: { values, errors: {} },
          messageKey: 'codes.closedPhase',
        })
      }
      const download = streamCodesDownload(
        {
          codes: list,
          group,
          urlOf,
          letter: letterText(app.translate, round, app.publicUrl, languages),
          qr,
          letters: letterPdf,
        },
        (error) => request.log.error({ err: error }, 'the codes download broke off'),
      )
      const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '')
      return reply
        .header('Cache-Control', 'no-store')
        .header('Content-Type', 'application/zip')
        .header('Content-Disposition', `attachment; filename="stemcodes-${round.slug}-${stamp}.zip"`)
        .send(download)
    },
  )

  app.post(
    '/rounds/:id/codes/revoke',
    {
      schema: { params: IdPath, body: FormInput },
      config: manage,
    },
    async (request, reply) => {
      const round = theRound(request)
      const read = readForm(RevokeForm, request.body)
      const typed = read.typed.code
      const refuse = (status: number, errorKey?: string, messageKey?: string) =>
        renderCodes(request, reply.code(status), round, {
          revoke: { values: { code: typed }, errors: errorKey ? { code: errorKey } : {} },
          messageKey,
        })
      if (!read.ok) return refuse(422, read.errors.code ?? 'form.invalid')
      const normalised = normaliseCode(typed)
      if (!normalised) return refuse(422, typed.trim() === '' ? 'codes.revoke.required' : 'codes.revoke.notACode')
      const outcome = await revokeCode(app.db, round.id, hashCode(opts.codeKey, normalised), theOfficial(request))
      if (outcome === 'unknown') return refuse(422, 'codes.revoke.unknown')
      if (outcome === 'already') return refuse(422, 'codes.revoke.already')
      return reply.redirect(`/official/rounds/${round.id}/codes?notice=revoked`, 303)
    },
  )
}
