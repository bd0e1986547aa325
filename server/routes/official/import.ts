import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { importRound } from '../../usecases/import.js'
import { ImportError, importSetPlan, MAX_PB_CHARS, splitPbFiles } from '../../domain/pabulib/import.js'
import { parsePb, PbFormatError } from '../../domain/pabulib/read.js'
import { sha256 } from '../../domain/common/digest.js'
import { TALLY_RULES } from '../../domain/tally/tally.js'
import { FormInput, readForm } from '../forms.js'
import { roundChoices } from '../shared/round-view.js'
import { ImportForm } from './schemas.js'
import { theOfficial } from '../../plugins/auth.js'

interface ImportPage {
  values: { pb: string; tallyRule: string }
  errors: Record<string, { key: string; vars: Record<string, unknown> }>
}

/** The encoded body: ';' and non-ASCII letters grow to three bytes or more in a url-encoded form. */
const BODY_LIMIT = 4 * MAX_PB_CHARS

const EMPTY: ImportPage = { values: { pb: '', tallyRule: 'equal-shares' }, errors: {} }

/** A malformed file's message names the line; the codes' details become the message's values. */
function pbError(error: PbFormatError): { key: string; vars: Record<string, unknown> } {
  return { key: `import.error.${error.code}`, vars: { line: error.line, ...error.params } }
}

export default async function importRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  function renderForm(request: FastifyRequest, reply: FastifyReply, form: ImportPage) {
    const hasErrors = Object.keys(form.errors).length > 0
    return reply.render('pages/official/import.hbs', {
      title: app.translate(request.lang, hasErrors ? 'import.errorTitle' : 'import.title'),
      form,
      hasErrors,
      rules: roundChoices(TALLY_RULES, form.values.tallyRule),
      maxMb: MAX_PB_CHARS / 1_000_000,
    })
  }

  function tooLarge(reply: FastifyReply) {
    return reply.code(413).render('errors/error.hbs', {
      status: 413,
      messageKey: 'import.tooLarge',
      helpKey: 'import.tooLargeHelp',
    })
  }

  app.get('/rounds/import', { config: { action: 'round.create' } }, async (request, reply) =>
    renderForm(request, reply, EMPTY),
  )

  app.post(
    '/rounds/import',
    {
      bodyLimit: BODY_LIMIT,
      schema: { body: FormInput },
      // The large body limit serves only an official who may import: the folder's guard runs before the body is read.
      config: { action: 'round.create' },
      // Only a body over the limit is this route's own business; every other error goes to the app's handler.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- fastify awaits the promise a route's errorHandler returns, whatever its type says
      errorHandler: (error: FastifyError, request, reply) => {
        if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error
        return tooLarge(reply)
      },
    },
    async (request, reply) => {
      // The file's parser and the rule list say what is wrong, more precisely than the schema could.
      const { pb, tallyRule } = readForm(ImportForm, request.body).typed
      const values = { pb, tallyRule }
      if (values.pb.length > MAX_PB_CHARS) return tooLarge(reply)
      const errors: ImportPage['errors'] = {}
      const rule = TALLY_RULES.find((r) => r === values.tallyRule)
      if (!rule) errors.tallyRule = { key: 'import.error.rule', vars: {} }
      if (values.pb.trim() === '') errors.pb = { key: 'form.required', vars: {} }
      let plan
      if (!errors.pb) {
        try {
          // One file, or a set of files (one per budget, each starting with META) pasted one after the other.
          const elections = splitPbFiles(values.pb).map((text) => parsePb(text))
          const election = elections[0]!
          plan = importSetPlan(elections, rule ?? 'equal-shares', {
            title: (name) => app.translate(request.lang, 'import.roundTitle', { name }),
            description: app.translate(request.lang, 'import.roundDescription', {
              voteType: election.meta['vote_type'] || 'approval',
            }),
          })
        } catch (error) {
          if (error instanceof PbFormatError) errors.pb = pbError(error as PbFormatError)
          else if (error instanceof ImportError) errors.pb = { key: `import.error.${error.problem}`, vars: {} }
          else throw error
        }
      }
      if (!plan || Object.keys(errors).length > 0) return renderForm(request, reply.code(422), { values, errors })
      const round = await importRound(app.db, plan, {
        actor: request.actor,
        official: theOfficial(request),
        sha256: sha256(values.pb),
        now: new Date(),
      })
      return reply.redirect(`/official/rounds/${round.id}/results`, 303)
    },
  )
}
