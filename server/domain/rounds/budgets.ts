import { countingOrder } from '../tally/budgets.js'
import { parseEuros, type MoneyError } from '../common/money.js'
import { singleLine } from '../common/text.js'

/**
 * Budgets within a round: a round's money split into parts (one per district beside a citywide
 * one, as Warsaw; one per heading or track, as CONSUL), each with its own projects, checked on
 * the ballot and counted on its own. A round without budgets of its own has exactly one: the
 * round's whole budget, which is how every round worked before budgets existed.
 */

export const DISTRICT_RULES = ['own-and-citywide', 'own-plus-one'] as const
/**
 * Which budgets a code bound to a district votes in: its own district's and every citywide
 * budget (Warsaw), or those and one other district of the resident's choice (Barcelona).
 */
export type DistrictRule = (typeof DISTRICT_RULES)[number]

export interface Budget {
  /** 0 for the one budget of a round that has none of its own. */
  id: number
  name: string
  amountCents: number
  /** The district whose codes vote in it; null for a budget every code votes in (citywide). */
  district: string | null
  /** Where the money it leaves unspent goes: another budget of the round, counted after it; null keeps it. */
  leftoverTo: number | null
}

/** The round's budgets in their order; a round without budgets of its own has its whole budget as the one. */
export function budgetsOf(round: { title: string; budgetCents: number }, rows: readonly Budget[]): Budget[] {
  if (rows.length > 0) return [...rows]
  return [{ id: 0, name: round.title, amountCents: round.budgetCents, district: null, leftoverTo: null }]
}

/** The budget a project belongs to: the one it was put in, or the round's first while it is in none. */
export function budgetOf(budgets: readonly Budget[], budgetId: number | null): Budget {
  return budgets.find((b) => b.id === budgetId) ?? budgets[0]!
}

/** Why a set of budgets cannot be saved, or null when it can. */
export type BudgetsError = 'leftover-circle' | 'leftover-to-itself' | 'leftover-unknown'

export function checkBudgets(budgets: readonly Budget[]): BudgetsError | null {
  for (const b of budgets) {
    if (b.leftoverTo === null) continue
    if (b.leftoverTo === b.id) return 'leftover-to-itself'
    if (!budgets.some((t) => t.id === b.leftoverTo)) return 'leftover-unknown'
  }
  try {
    countingOrder(budgets)
    return null
  } catch {
    return 'leftover-circle'
  }
}

/**
 * The budgets a code may vote in. A code bound to no district votes in all of them; a district
 * code in its own district's and the citywide budgets, and under `own-plus-one` also in the
 * budgets of other districts (of which the ballot may use one: see oneOtherDistrict).
 */
export function votableBudgets(budgets: readonly Budget[], rule: DistrictRule, district: string | null): Budget[] {
  if (district === null) return [...budgets]
  return budgets.filter(
    (b) => b.district === null || b.district === district || (rule === 'own-plus-one' && b.district !== null),
  )
}

/**
 * Under `own-plus-one`: the districts other than the code's own that a choice uses; a ballot may
 * use at most one.
 */
export function otherDistrictsChosen(
  budgets: readonly Budget[],
  district: string | null,
  chosenBudgetIds: Iterable<number>,
): string[] {
  const others = new Set<string>()
  for (const id of chosenBudgetIds) {
    const b = budgets.find((x) => x.id === id)
    if (b?.district != null && b.district !== district) others.add(b.district)
  }
  return [...others]
}

/** The most budgets one round may hold: a city's districts and a citywide one. */
export const MAX_BUDGETS = 30
const MAX_NAME = 120

/** One row of the admin's budgets form, as typed; leftoverTo names another row by its index. */
export interface BudgetRowInput {
  id: string
  name: string
  amount: string
  district: string
  leftoverTo: string
}

/** A budget as the form saves it: an existing one (id) or a new one, its leftover by row position. */
export interface BudgetRow {
  id: number | null
  name: string
  amountCents: number
  district: string | null
  /** Position of the receiving budget among the saved rows. */
  leftoverTo: number | null
}

export type BudgetRowError = 'name' | 'amount' | MoneyError | BudgetsError | 'district'

/**
 * The admin's budgets form: rows left empty (no name, no amount) are dropped, so an empty row adds
 * a budget and emptying one removes it. Leftovers name rows by their index in the form; the
 * saved rows are renumbered and leftovers follow them.
 */
export function readBudgetsForm(
  rows: readonly BudgetRowInput[],
  knownIds: ReadonlySet<number>,
): { ok: true; budgets: BudgetRow[] } | { ok: false; errors: Record<string, BudgetRowError> } {
  const errors: Record<string, BudgetRowError> = {}
  const kept: { index: number; row: BudgetRowInput; cents: number }[] = []
  rows.slice(0, MAX_BUDGETS).forEach((row, index) => {
    const name = singleLine(row.name)
    if (name === '' && row.amount.trim() === '') return
    if (name === '' || name.length > MAX_NAME) errors[`name-${index}`] = 'name'
    const money = parseEuros(row.amount)
    if ('error' in money) errors[`amount-${index}`] = money.error
    else if (money.cents === 0) errors[`amount-${index}`] = 'notPositive'
    if (singleLine(row.district).length > MAX_NAME) errors[`district-${index}`] = 'district'
    kept.push({ index, row, cents: 'cents' in money ? money.cents : 0 })
  })
  const position = new Map(kept.map((k, i) => [k.index, i]))
  const budgets: BudgetRow[] = kept.map(({ index, row, cents }) => {
    const id = /^\d{1,9}$/.test(row.id) && knownIds.has(Number(row.id)) ? Number(row.id) : null
    const to = /^\d{1,3}$/.test(row.leftoverTo) ? position.get(Number(row.leftoverTo)) : undefined
    if (row.leftoverTo !== '' && to === undefined) errors[`leftover-${index}`] = 'leftover-unknown'
    const district = singleLine(row.district)
    return {
      id,
      name: singleLine(row.name),
      amountCents: cents,
      district: district === '' ? null : district,
      leftoverTo: to ?? null,
    }
  })
  const shape = checkBudgets(budgets.map((b, i) => ({ ...b, id: i })))
  if (shape !== null) {
    const first = budgets.findIndex((b) => b.leftoverTo !== null)
    errors[`leftover-${kept[first]!.index}`] = shape
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, budgets }
}
