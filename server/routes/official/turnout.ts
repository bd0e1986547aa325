import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { turnoutByLanguage } from '../../data/ballots.js'
import { listCodeGroups } from '../../data/equity.js'
import type { Round } from '../../data/rounds.js'
import { readPopulationForm } from '../../domain/voting/equity.js'
import { allowed, theOfficial, theRound } from '../../plugins/auth.js'
import { equityFigures, savePopulations } from '../../usecases/equity.js'
import { FormInput, readQuery } from '../forms.js'
import { languageTurnoutRows } from '../shared/language-turnout.js'
import { IdPath, SavedQuery } from './schemas.js'

/** What the population form shows: per group with codes, what was typed or what is stored. */
interface PopulationValues {
  residents: Record<string, string>
  lagPoints: string
  minGroupVoters: string
}

const field = (body: Record<string, string | string[]>, name: string) => {
  const value = body[name]
  return typeof value === 'string' ? value : ''
}

export default async function turnoutRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    typed?: PopulationValues,
    errors: Record<string, string> = {},
    saved = false,
  ) {
    const [figures, languages, codeGroups] = await Promise.all([
      equityFigures(app.db, round.id),
      turnoutByLanguage(app.db, round.id),
      listCodeGroups(app.db, round.id),
    ])
    const values: PopulationValues = typed ?? {
      residents: Object.fromEntries(
        figures.groups.flatMap((g) =>
          g.label === null ? [] : [[g.label, g.residents === null ? '' : String(g.residents)]],
        ),
      ),
      lagPoints: String(figures.settings.lagPoints),
      minGroupVoters: String(figures.settings.minGroupVoters),
    }
    const hasErrors = Object.keys(errors).length > 0
    const title = app.translate(request.lang, 'turnout.title', { title: round.title })
    return reply.render('pages/official/turnout.hbs', {
      title: hasErrors ? `${app.translate(request.lang, 'equity.form.errorTitle')} · ${title}` : title,
      round,
      ...figures,
      failedCodeAttempts: round.failedCodeAttempts,
      byLanguage: languageTurnoutRows(languages),
      canEditPopulations: codeGroups.length > 0 && allowed(request, 'equity.edit'),
      populationForm: {
        groups: codeGroups.map((label, index) => ({
          label,
          name: `residents-${index}`,
          value: values.residents[label] ?? '',
          error: errors[`residents-${index}`],
        })),
        lagPoints: values.lagPoints,
        minGroupVoters: values.minGroupVoters,
        errors,
        hasErrors,
        saved,
      },
    })
  }

  app.get(
    '/rounds/:id/turnout',
    {
      schema: { params: IdPath, querystring: FormInput },
      config: { action: 'turnout.view' },
    },
    async (request, reply) => {
      const saved = readQuery(SavedQuery, request.query).saved === '1'
      return render(request, reply, theRound(request), undefined, {}, saved)
    },
  )

  app.post(
    '/rounds/:id/turnout/populations',
    {
      schema: { params: IdPath, body: FormInput },
      config: { action: 'equity.edit' },
    },
    async (request, reply) => {
      const round = theRound(request)
      const groups = await listCodeGroups(app.db, round.id)
      const typed: PopulationValues = {
        residents: Object.fromEntries(groups.map((label, index) => [label, field(request.body, `residents-${index}`)])),
        lagPoints: field(request.body, 'lagPoints'),
        minGroupVoters: field(request.body, 'minGroupVoters'),
      }
      const read = readPopulationForm(groups, typed)
      if (!read.ok) {
        const errors = Object.fromEntries(
          Object.entries(read.errors).map(([name, code]) => [name, `equity.form.error.${code}`]),
        )
        return render(request, reply.code(422), round, typed, errors)
      }
      await savePopulations(app.db, round.id, read.populations, read.settings, theOfficial(request))
      return reply.redirect(`/official/rounds/${round.id}/turnout?saved=1#populations`, 303)
    },
  )
}
