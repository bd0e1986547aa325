import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { saveHelpDesk } from '../../data/help-desk.js'
import type { Round } from '../../data/rounds.js'
import { readHelpDeskForm, storedHelpDesk, type HelpDesk } from '../../domain/rounds/help-desk.js'
import { LANGUAGE_LIST } from '../../languages.js'
import { theRound, theOfficial } from '../../plugins/auth.js'
import { FormInput, readForm, readQuery } from '../forms.js'
import { HelpDeskForm, IdPath, SavedQuery } from './schemas.js'

/** What goes back into the form: what was typed, or what is stored. */
type HelpDeskValues = Omit<HelpDesk, 'languages'> & { languages: readonly string[] }

const NO_HELP_DESK: HelpDeskValues = { phone: '', email: '', address: '', hours: '', otherLanguages: '', languages: [] }

function formValues(form: HelpDeskValues) {
  const { phone, email, address, hours, otherLanguages, languages } = form
  return {
    phone,
    email,
    address,
    hours,
    otherLanguages,
    languages: LANGUAGE_LIST.map((l) => ({ code: l.code, name: l.name, checked: languages.includes(l.code) })),
  }
}

export default async function helpDeskRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    form: HelpDeskValues,
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
      schema: { params: IdPath, querystring: FormInput },
      config: { action: 'helpdesk.edit' },
    },
    async (request, reply) => {
      const round = theRound(request)
      const saved = readQuery(SavedQuery, request.query).saved === '1'
      return render(request, reply, round, storedHelpDesk(round.helpDesk) ?? NO_HELP_DESK, {}, saved)
    },
  )

  app.post(
    '/rounds/:id/help-desk',
    {
      schema: { params: IdPath, body: FormInput },
      config: { action: 'helpdesk.edit' },
    },
    async (request, reply) => {
      const round = theRound(request)
      const read = readForm(HelpDeskForm, request.body)
      const errors: Record<string, string> = read.ok ? {} : { ...read.errors }
      const result = readHelpDeskForm(request.body)
      if ('errors' in result)
        for (const [field, code] of Object.entries(result.errors)) errors[field] = `help.form.error.${code}`
      if (!('helpDesk' in result) || Object.keys(errors).length > 0)
        return render(request, reply.code(422), round, read.typed, errors)
      await saveHelpDesk(app.db, round.id, result.helpDesk, theOfficial(request))
      return reply.redirect(`/official/rounds/${round.id}/help-desk?saved=1`, 303)
    },
  )
}
