import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { saveHelpDesk } from '../../data/help-desk.js'
import { findRound, type Round } from '../../data/rounds.js'
import { readHelpDeskForm, storedHelpDesk, type HelpDeskForm } from '../../domain/help-desk.js'
import { LANGUAGE_LIST } from '../../languages.js'
import { fieldErrors } from '../forms.js'
import { badId, idParams } from './rounds-view.js'

const text = (maxLength: number) => ({ type: 'string', maxLength })
const helpDeskSchema = {
  type: 'object',
  properties: {
    phone: text(1000), email: text(1000), address: text(2000), hours: text(2000), otherLanguages: text(2000),
    languages: { anyOf: [text(10), { type: 'array', maxItems: 50, items: text(10) }] },
    _csrf: { type: 'string' },
  },
} as const

/** What goes back into the form: what was typed, or what is stored. */
function formValues(form: HelpDeskForm) {
  const value = (field: 'phone' | 'email' | 'address' | 'hours' | 'otherLanguages') => typeof form[field] === 'string' ? form[field] : ''
  const chosen = Array.isArray(form.languages) ? form.languages : [form.languages]
  return {
    phone: value('phone'), email: value('email'), address: value('address'), hours: value('hours'), otherLanguages: value('otherLanguages'),
    languages: LANGUAGE_LIST.map((l) => ({ code: l.code, name: l.name, checked: chosen.includes(l.code) })),
  }
}

export default async function helpDeskRoutes(app: FastifyInstance) {
  async function loadRound(request: FastifyRequest<{ Params: { id: string } }>): Promise<Round | undefined> {
    return badId(request) ? undefined : findRound(app.db, Number(request.params.id))
  }

  function render(request: FastifyRequest, reply: FastifyReply, round: Round, form: HelpDeskForm, errors: Record<string, string> = {}, saved = false) {
    const title = app.translate(request.lang, 'help.form.title', { title: round.title })
    const hasErrors = Object.keys(errors).length > 0
    return reply.render('pages/official/help-desk.hbs', {
      title: hasErrors ? `${app.translate(request.lang, 'help.form.errorTitle')} · ${title}` : title,
      heading: title, round, values: formValues(form), errors, hasErrors, saved,
    })
  }

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>('/rounds/:id/help-desk', {
    schema: { params: idParams, querystring: { type: 'object', properties: { saved: { type: 'string', maxLength: 1 } } } },
    attachValidation: true,
    preHandler: app.requireAction('helpdesk.edit'),
  }, async (request, reply) => {
    const round = await loadRound(request)
    if (!round) return reply.callNotFound()
    const stored = storedHelpDesk(round.helpDesk)
    return render(request, reply, round, stored ? { ...stored } : {}, {}, request.query.saved === '1')
  })

  app.post<{ Params: { id: string }; Body: HelpDeskForm }>('/rounds/:id/help-desk', {
    schema: { params: idParams, body: helpDeskSchema },
    attachValidation: true,
    preHandler: app.requireAction('helpdesk.edit'),
  }, async (request, reply) => {
    const round = await loadRound(request)
    if (!round) return reply.callNotFound()
    const form = request.body ?? {}
    const errors: Record<string, string> = fieldErrors(request.validationError?.validation)
    const result = readHelpDeskForm(form)
    if ('errors' in result) for (const [field, code] of Object.entries(result.errors)) errors[field] = `help.form.error.${code}`
    if (!('helpDesk' in result) || Object.keys(errors).length > 0) return render(request, reply.code(422), round, form, errors)
    await saveHelpDesk(app.db, round.id, result.helpDesk, request.official!)
    return reply.redirect(`/official/rounds/${round.id}/help-desk?saved=1`, 303)
  })
}
