import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { saveHelpDesk } from '../../data/help-desk.js'
import type { Round } from '../../data/rounds.js'
import { readHelpDeskForm, storedHelpDesk, type HelpDeskForm as HelpDeskInput } from '../../domain/rounds/help-desk.js'
import { LANGUAGE_LIST } from '../../languages.js'
import { theRound, theOfficial } from '../../plugins/auth.js'
import { fieldErrors } from '../forms.js'
import { HelpDeskForm, IdPath, SavedQuery } from './schemas.js'

/** What goes back into the form: what was typed, or what is stored. */
function formValues(form: HelpDeskInput) {
  const value = (field: 'phone' | 'email' | 'address' | 'hours' | 'otherLanguages') =>
    typeof form[field] === 'string' ? form[field] : ''
  const chosen = Array.isArray(form.languages) ? form.languages : [form.languages]
  return {
    phone: value('phone'),
    email: value('email'),
    address: value('address'),
    hours: value('hours'),
    otherLanguages: value('otherLanguages'),
    languages: LANGUAGE_LIST.map((l) => ({ code: l.code, name: l.name, checked: chosen.includes(l.code) })),
  }
}

export default async function helpDeskRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    form: HelpDeskInput,
    errors: Record<string, string> = {},
    saved = false,
  ) {
    const title = app.translate(request.lang, 'help.form.title', { title: round.title })
    const hasErrors = Object.keys(errors).length > 0
    return reply.render('pages/official/help-desk.hbs', {
      title: hasErrors ? `${app.translate(request.lang, 'help.form.errorTitle')} · ${title}` : title,
      heading: title,
      round,
      values: formValues(form),
      errors,
      hasErrors,
      saved,
    })
  }

  app.get(
    '/rounds/:id/help-desk',
    {
      schema: { params: IdPath, querystring: SavedQuery },
      attachValidation: true,
      config: { action: 'helpdesk.edit' },
    },
    async (request, reply) => {
      const round = theRound(request)
      const stored = storedHelpDesk(round.helpDesk)
      return render(
        request,
        reply,
        round,
        stored ? { ...stored } : {},
        {},
        !request.validationError && request.query.saved === '1',
      )
    },
  )

  app.post(
    '/rounds/:id/help-desk',
    {
      schema: { params: IdPath, body: HelpDeskForm },
      attachValidation: true,
      config: { action: 'helpdesk.edit' },
    },
    async (request, reply) => {
      const round = theRound(request)
      const form: HelpDeskInput = request.body ?? {}
      const errors: Record<string, string> = fieldErrors(request.validationError?.validation)
      const result = readHelpDeskForm(form)
      if ('errors' in result)
        for (const [field, code] of Object.entries(result.errors)) errors[field] = `help.form.error.${code}`
      if (!('helpDesk' in result) || Object.keys(errors).length > 0)
        return render(request, reply.code(422), round, form, errors)
      await saveHelpDesk(app.db, round.id, result.helpDesk, theOfficial(request))
      return reply.redirect(`/official/rounds/${round.id}/help-desk?saved=1`, 303)
    },
  )
}
