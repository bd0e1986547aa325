import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { countCodes, listCodeBatches } from '../../data/codes.js'
import { findRound, type Round } from '../../data/rounds.js'
import { insertCodeBatch, revokeCode } from '../../data/voting.js'
import { can } from '../../domain/permissions.js'
import { generateCode, hashCode, normaliseCode } from '../../domain/voting-code.js'
import { formatNumber } from '../../formatters.js'
import { wantsFragment } from '../../plugins/views.js'
import { fieldErrors, summaryItems } from '../forms.js'
import { codesZip, MAX_CODES, MAX_GROUP_LENGTH, MAX_QR_CODES, parseCodeCount, parseGroupLabel, votingUrl } from './codes-export.js'
import { badId, idParams } from './rounds-view.js'

interface GenerateBody { count?: string; group?: string; qr?: string }
interface RevokeBody { code?: string }

interface CodesForms {
  generate?: { values: { count: string; group: string; qr: boolean }; errors: Record<string, string> }
  revoke?: { values: { code: string }; errors: Record<string, string> }
  messageKey?: string
  notice?: string
}

const text = (maxLength: number) => ({ type: 'string', maxLength })
const generateSchema = { type: 'object', properties: { count: text(40), group: text(400), qr: text(10), _csrf: { type: 'string' } } } as const
const revokeSchema = { type: 'object', properties: { code: text(64), _csrf: { type: 'string' } } } as const
const asText = (value: unknown) => (typeof value === 'string' ? value : '')
/** How often the totals ask again after a submit, two seconds apart: long enough for the largest batch. */
const POLL_TRIES = 90
const AFTER_SUBMIT = 'submit from:body delay:2s'
const totalsQuery = {
  type: 'object',
  properties: { before: { type: 'integer', minimum: 0 }, tries: { type: 'integer', minimum: 0, maximum: POLL_TRIES }, count: text(40) },
} as const

export default async function codesRoutes(app: FastifyInstance, opts: { codeKey: string }) {
  const guard = app.requireAction('codes.manage')

  async function renderCodes(request: FastifyRequest, reply: FastifyReply, round: Round, forms: CodesForms = {}) {
    const [batches, totals] = await Promise.all([listCodeBatches(app.db, round.id), countCodes(app.db, round.id)])
    const lang = request.lang
    const summary = [
      ...summaryItems(forms.generate?.errors ?? {}, [
        { name: 'count', label: 'codes.generate.count', vars: { max: formatNumber(MAX_CODES, lang) } },
        { name: 'group', label: 'codes.generate.group', vars: { max: MAX_GROUP_LENGTH } },
        { name: 'qr', label: 'codes.generate.qr', vars: { max: formatNumber(MAX_QR_CODES, lang) } },
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
      canManage: can(request.official!.role, 'codes.manage', round.phase),
      maxCodes: MAX_CODES,
      maxQr: MAX_QR_CODES,
      maxGroup: MAX_GROUP_LENGTH,
      generate: forms.generate ?? { values: { count: '', group: '', qr: true }, errors: {} },
      revoke: forms.revoke ?? { values: { code: '' }, errors: {} },
      messageKey: forms.messageKey,
      notice: forms.notice,
    })
  }

  /** The round named in the address, if it exists; the schema's complaint about the body is the form's business. */
  async function roundOf(request: FastifyRequest<{ Params: { id: string } }>) {
    return badId(request) ? undefined : findRound(app.db, Number(request.params.id))
  }

  app.get<{ Params: { id: string }; Querystring: { notice?: string } }>('/rounds/:id/codes', {
    schema: { params: idParams, querystring: { type: 'object', properties: { notice: { type: 'string', maxLength: 20 } } } },
    attachValidation: true,
    preHandler: guard,
  }, async (request, reply) => {
    const round = await roundOf(request)
    if (!round) return reply.callNotFound()
    return renderCodes(request, reply, round, { notice: request.query.notice === 'revoked' ? 'revoked' : undefined })
  })

  // The totals alone, for the page that just started a download: asks again while the new codes are not counted yet.
  app.get<{ Params: { id: string }; Querystring: { before?: number; tries?: number; count?: string } }>('/rounds/:id/codes/totals', {
    schema: { params: idParams, querystring: totalsQuery },
    preHandler: guard,
  }, async (request, reply) => {
    const round = await roundOf(request)
    if (!round) return reply.callNotFound()
    const totals = await countCodes(app.db, round.id)
    const { before = totals.issued, tries = 0 } = request.query
    const expected = before + (parseCodeCount(request.query.count ?? '') ?? 0)
    const waiting = totals.issued < expected && tries > 0
    const poll = waiting ? { trigger: 'load delay:2s', before, tries: tries - 1 } : { trigger: AFTER_SUBMIT, before: totals.issued, tries: POLL_TRIES }
    const model = { round, totals, poll }
    reply.header('Cache-Control', 'no-store')
    return wantsFragment(request) ? reply.render('partials/code-totals.hbs', model, { fragment: 'partials/code-totals.hbs' }) : reply.redirect(`/official/rounds/${round.id}/codes`, 303)
  })

  app.post<{ Params: { id: string }; Body: GenerateBody }>('/rounds/:id/codes', {
    schema: { params: idParams, body: generateSchema },
    attachValidation: true,
    preHandler: guard,
  }, async (request, reply) => {
    const round = await roundOf(request)
    if (!round) return reply.callNotFound()
    const body = request.body ?? {}
    const values = { count: asText(body.count), group: asText(body.group), qr: body.qr !== undefined }
    const refuse = (status: number, errors: Record<string, string>, messageKey = 'codes.generate.summary') =>
      renderCodes(request, reply.code(status), round, { generate: { values, errors }, messageKey })
    if (!can(request.official!.role, 'codes.manage', round.phase)) return refuse(409, {}, 'codes.closedPhase')

    // The precise reason where there is one; the schema's general one for anything else.
    const errors = fieldErrors(request.validationError?.validation)
    const count = parseCodeCount(values.count)
    const group = parseGroupLabel(values.group)
    if (count === null) errors.count = 'codes.generate.countInvalid'
    if ('error' in group) errors.group = `codes.generate.${group.error}`
    if (count !== null && values.qr && count > MAX_QR_CODES) errors.qr = 'codes.generate.qrTooMany'
    if (count === null || !('label' in group) || Object.keys(errors).length > 0) return refuse(422, errors)

    const codes = new Set<string>()
    while (codes.size < count) codes.add(generateCode())
    const list = [...codes]
    const urlOf = (code: string) => votingUrl(app.publicUrl, round.slug, code)
    // The file is made before anything is stored, so a failure there leaves no codes behind.
    const zip = await codesZip(list, group.label, urlOf, values.qr)
    // Drawing a large batch takes seconds: voting may have closed meanwhile.
    const current = (await findRound(app.db, round.id))!
    if (!can(request.official!.role, 'codes.manage', current.phase)) {
      return renderCodes(request, reply.code(409), current, { generate: { values, errors: {} }, messageKey: 'codes.closedPhase' })
    }
    const hashes = list.map((code) => hashCode(opts.codeKey, normaliseCode(code)!))
    const official = request.official!
    await insertCodeBatch(app.db, { roundId: round.id, groupLabel: group.label, hashes, official: { id: official.id, email: official.email } })
    const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '')
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Type', 'application/zip')
      .header('Content-Disposition', `attachment; filename="stemcodes-${round.slug}-${stamp}.zip"`)
      .send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength))
  })

  app.post<{ Params: { id: string }; Body: RevokeBody }>('/rounds/:id/codes/revoke', {
    schema: { params: idParams, body: revokeSchema },
    attachValidation: true,
    preHandler: guard,
  }, async (request, reply) => {
    const round = await roundOf(request)
    if (!round) return reply.callNotFound()
    const typed = asText(request.body?.code)
    const refuse = (status: number, errorKey?: string, messageKey?: string) =>
      renderCodes(request, reply.code(status), round, { revoke: { values: { code: typed }, errors: errorKey ? { code: errorKey } : {} }, messageKey })
    if (!can(request.official!.role, 'codes.manage', round.phase)) return refuse(409, undefined, 'codes.closedPhase')
    if (request.validationError) return refuse(422, fieldErrors(request.validationError.validation).code ?? 'form.invalid')
    const normalised = normaliseCode(typed)
    if (!normalised) return refuse(422, typed.trim() === '' ? 'codes.revoke.required' : 'codes.revoke.notACode')
    const official = request.official!
    const outcome = await revokeCode(app.db, round.id, hashCode(opts.codeKey, normalised), { id: official.id, email: official.email })
    if (outcome === 'unknown') return refuse(422, 'codes.revoke.unknown')
    if (outcome === 'already') return refuse(422, 'codes.revoke.already')
    return reply.redirect(`/official/rounds/${round.id}/codes?notice=revoked`, 303)
  })
}
