import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listBudgetProposals, listBudgets } from '../../data/budgets.js'
import type { Round } from '../../data/rounds.js'
import { centsToInput } from '../../domain/common/money.js'
import { TRACKS } from '../../domain/proposals/rules.js'
import {
  budgetsOf,
  DISTRICT_RULES,
  MAX_BUDGETS,
  readBudgetsForm,
  type BudgetRowInput,
  type DistrictRule,
} from '../../domain/rounds/budgets.js'
import { allowed, theOfficial, theRound } from '../../plugins/auth.js'
import { putInBudgets, saveBudgets } from '../../usecases/budgets.js'
import { FormInput, readQuery } from '../forms.js'
import { IdPath, SavedQuery } from './schemas.js'

type Body = Record<string, string | string[]>
const field = (body: Body, name: string) => {
  const value = body[name]
  return typeof value === 'string' ? value : ''
}

/** Rows the form shows: the stored budgets and one empty row to add another. */
const EMPTY_ROW: BudgetRowInput = { id: '', name: '', amount: '', district: '', leftoverTo: '' }

export default async function budgetRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const pagePath = (round: Round) => `/official/rounds/${round.id}/budgets`

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    typed?: { rows: BudgetRowInput[]; districtRule: string },
    errors: Record<string, string> = {},
    notice?: string,
  ) {
    const [stored, proposals] = await Promise.all([
      listBudgets(app.db, round.id),
      listBudgetProposals(app.db, round.id),
    ])
    const rows: BudgetRowInput[] = typed?.rows ?? [
      ...stored.map((b) => ({
        id: String(b.id),
        name: b.name,
        amount: centsToInput(b.amountCents, 'en'),
        district: b.district ?? '',
        leftoverTo: b.leftoverTo === null ? '' : String(stored.findIndex((t) => t.id === b.leftoverTo)),
      })),
      EMPTY_ROW,
    ]
    const districtRule = typed?.districtRule ?? round.districtRule
    const shown = budgetsOf(round, stored)
    const hasErrors = Object.keys(errors).length > 0
    const title = app.translate(request.lang, 'budgets.title', { title: round.title })
    return reply.render('pages/official/budgets.hbs', {
      title: hasErrors ? `${app.translate(request.lang, 'budgets.errorTitle')} · ${title}` : title,
      heading: title,
      round,
      canEdit: allowed(request, 'budgets.edit'),
      hasErrors,
      errors,
      noticeKey: notice,
      rows: rows.slice(0, MAX_BUDGETS).map((row, index) => ({
        ...row,
        index,
        number: index + 1,
        isNew: row.id === '',
        fields: { name: `name-${index}`, amount: `amount-${index}`, district: `district-${index}` },
        errors: {
          name: errors[`name-${index}`],
          amount: errors[`amount-${index}`],
          district: errors[`district-${index}`],
          leftover: errors[`leftover-${index}`],
        },
        targets: rows.flatMap((t, j) =>
          j === index || t.name.trim() === ''
            ? []
            : [{ index: j, name: t.name, selected: row.leftoverTo === String(j) }],
        ),
      })),
      rules: DISTRICT_RULES.map((value) => ({ value, key: `budgets.rule.${value}`, checked: value === districtRule })),
      budgets: shown,
      hasBudgets: stored.length > 0,
      tracks: TRACKS.map((value) => ({ value, key: `track.${value}` })),
      proposals: proposals.map((p) => ({
        ...p,
        options: stored.map((b, k) => ({
          id: b.id,
          name: b.name,
          // A proposal in no budget counts in the first.
          selected: p.budgetId === b.id || (k === 0 && !stored.some((s) => s.id === p.budgetId)),
        })),
      })),
    })
  }

  app.get(
    '/rounds/:id/budgets',
    { schema: { params: IdPath, querystring: FormInput }, config: { action: 'round.edit' } },
    async (request, reply) => {
      const done = readQuery(SavedQuery, request.query).saved
      const notice = done === '1' ? 'budgets.saved' : done === '2' ? 'budgets.assigned' : undefined
      return render(request, reply, theRound(request), undefined, {}, notice)
    },
  )

  app.post(
    '/rounds/:id/budgets',
    { schema: { params: IdPath, body: FormInput }, config: { action: 'budgets.edit' } },
    async (request, reply) => {
      const round = theRound(request)
      const body = request.body
      const rows: BudgetRowInput[] = Array.from({ length: MAX_BUDGETS }, (_, i) => ({
        id: field(body, `id-${i}`),
        name: field(body, `name-${i}`),
        amount: field(body, `amount-${i}`),
        district: field(body, `district-${i}`),
        leftoverTo: field(body, `leftover-${i}`),
      }))
      // Only as many rows as the form had: the last one with anything in it.
      const used = rows.length - [...rows].reverse().findIndex((r) => Object.values(r).some((v) => v !== ''))
      const typedRows = used > rows.length ? [] : rows.slice(0, used)
      const districtRule = field(body, 'districtRule')
      const stored = await listBudgets(app.db, round.id)
      const read = readBudgetsForm(typedRows, new Set(stored.map((b) => b.id)))
      const ruleOk = (DISTRICT_RULES as readonly string[]).includes(districtRule)
      if (!read.ok || !ruleOk) {
        const errors: Record<string, string> = read.ok ? {} : budgetErrors(read.errors)
        if (!ruleOk) errors.districtRule = 'budgets.error.budget'
        return render(request, reply.code(422), round, { rows: [...typedRows, EMPTY_ROW], districtRule }, errors)
      }
      await saveBudgets(app.db, round.id, read.budgets, districtRule as DistrictRule, theOfficial(request))
      return reply.redirect(`${pagePath(round)}?saved=1`, 303)
    },
  )

  app.post(
    '/rounds/:id/budgets/projects',
    { schema: { params: IdPath, body: FormInput }, config: { action: 'budgets.edit' } },
    async (request, reply) => {
      const round = theRound(request)
      const body = request.body
      const [stored, proposals] = await Promise.all([
        listBudgets(app.db, round.id),
        listBudgetProposals(app.db, round.id),
      ])
      const ids = new Set(stored.map((b) => b.id))
      const budgetIn = (name: string): number | null | undefined => {
        const text = field(body, name)
        return /^\d{1,9}$/.test(text) && ids.has(Number(text)) ? Number(text) : undefined
      }
      const assignments = new Map<number, number | null>()
      const track = field(body, 'track')
      if (track !== '') {
        const to = budgetIn('trackBudget')
        if (!(TRACKS as readonly string[]).includes(track) || to === undefined)
          return render(request, reply.code(422), round, undefined, { track: 'budgets.error.budget' })
        for (const p of proposals) if (p.track === track) assignments.set(p.id, to)
      } else {
        for (const p of proposals) {
          if (body[`budget-${p.id}`] === undefined) continue
          const to = budgetIn(`budget-${p.id}`)
          if (to === undefined)
            return render(request, reply.code(422), round, undefined, { [`budget-${p.id}`]: 'budgets.error.budget' })
          assignments.set(p.id, to)
        }
      }
      await putInBudgets(app.db, round.id, assignments, theOfficial(request))
      return reply.redirect(`${pagePath(round)}?saved=2#projects`, 303)
    },
  )
}

/** The form reader's codes as message keys: money errors share the round form's texts. */
function budgetErrors(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([name, code]) => [
      name,
      name.startsWith('amount-') ? `rounds.error.amount.${code}` : `budgets.error.${code}`,
    ]),
  )
}
