import { percent } from '../results/statistics.js'

/** A round's equity settings: the lag threshold in percentage points, and the fewest voters a published group may have. */
export interface EquitySettings {
  lagPoints: number
  minGroupVoters: number
}

export const DEFAULT_EQUITY: EquitySettings = { lagPoints: 10, minGroupVoters: 10 }
export const MAX_LAG_POINTS = 100
export const MAX_GROUP_VOTERS = 1000
export const MAX_RESIDENTS = 10_000_000

export type Populations = ReadonlyMap<string, number>

/**
 * Turnout against population: counted ballots per resident of each group whose population is
 * known, the average over those groups together (all their ballots over all their residents),
 * and which groups fall more than `lagPoints` percentage points below it.
 */
export function turnoutAgainstPopulation<G extends { label: string | null; cast: number }>(
  groups: readonly G[],
  populations: Populations,
  lagPoints: number,
) {
  const withResidents = groups.map((g) => {
    const residents = g.label === null ? undefined : populations.get(g.label)
    return {
      ...g,
      residents: residents ?? null,
      populationPercent: residents === undefined ? null : percent(g.cast, residents),
    }
  })
  const known = withResidents.filter((g) => g.residents !== null)
  const average = percent(
    known.reduce((sum, g) => sum + g.cast, 0),
    known.reduce((sum, g) => sum + (g.residents ?? 0), 0),
  )
  const rows = withResidents.map((g) => ({
    ...g,
    lagging: average !== null && g.populationPercent !== null && g.populationPercent < average - lagPoints,
  }))
  return { groups: rows, average, lagging: rows.filter((g) => g.lagging), hasPopulations: known.length > 0 }
}

/** What the public figures of a group add up: merging two groups sums them. */
export interface PublicGroup {
  label: string | null
  issued: number
  online: number
  paper: number
  cast: number
  residents: number | null
}

const add = (a: PublicGroup, b: PublicGroup): PublicGroup => ({
  label: a.label,
  issued: a.issued + b.issued,
  online: a.online + b.online,
  paper: a.paper + b.paper,
  cast: a.cast + b.cast,
  residents: a.residents === null && b.residents === null ? null : (a.residents ?? 0) + (b.residents ?? 0),
})

/**
 * The one rule for publishing turnout per group: a group with fewer than `minVoters` counted
 * ballots is merged into "other" (so a handful of voters cannot be picked out), and while "other"
 * itself stays under the minimum the next smallest group joins it, so "other" never reveals a few.
 * The groups without a name join "other" too. `other` is null when nothing had to be merged.
 */
export function mergeSmallGroups<G extends PublicGroup>(groups: readonly G[], minVoters: number) {
  const named = groups
    .filter((g) => g.label !== null)
    .sort((a, b) => a.cast - b.cast || a.label!.localeCompare(b.label!))
  const merged = [...groups.filter((g) => g.label === null), ...named.filter((g) => g.cast < minVoters)]
  const shown = named.filter((g) => g.cast >= minVoters)
  const total = () => merged.reduce<number>((sum, g) => sum + g.cast, 0)
  while (merged.length > 0 && total() < minVoters && shown.length > 0) merged.push(shown.shift()!)
  const empty: PublicGroup = { label: null, issued: 0, online: 0, paper: 0, cast: 0, residents: null }
  const sorted = shown.sort((a, b) => a.label!.localeCompare(b.label!))
  return { groups: sorted, other: merged.length > 0 ? merged.reduce(add, empty) : null, mergedCount: merged.length }
}

export type PopulationError = 'residents' | 'lagPoints' | 'minGroupVoters'

function wholeNumber(text: string, max: number): number | null {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) return null
  const value = Number(trimmed)
  return value <= max ? value : null
}

/**
 * Reads the population form: per group that has codes, a whole number of residents (empty means
 * not known), and the two settings. Groups without codes are ignored whatever the browser sent.
 */
export function readPopulationForm(
  groupsWithCodes: readonly string[],
  input: { residents: Readonly<Record<string, string>>; lagPoints: string; minGroupVoters: string },
):
  | { ok: true; populations: Map<string, number>; settings: EquitySettings }
  | { ok: false; errors: Record<string, PopulationError> } {
  const errors: Record<string, PopulationError> = {}
  const populations = new Map<string, number>()
  groupsWithCodes.forEach((label, index) => {
    const typed = input.residents[label] ?? ''
    if (typed.trim() === '') return
    const value = wholeNumber(typed, MAX_RESIDENTS)
    if (value === null) errors[`residents-${index}`] = 'residents'
    else populations.set(label, value)
  })
  const lagPoints = wholeNumber(input.lagPoints, MAX_LAG_POINTS)
  if (lagPoints === null) errors.lagPoints = 'lagPoints'
  const minGroupVoters = wholeNumber(input.minGroupVoters, MAX_GROUP_VOTERS)
  if (minGroupVoters === null || minGroupVoters < 1) errors.minGroupVoters = 'minGroupVoters'
  if (Object.keys(errors).length > 0 || lagPoints === null || minGroupVoters === null) return { ok: false, errors }
  return { ok: true, populations, settings: { lagPoints, minGroupVoters } }
}

/** Who gets the daily summary of lagging groups: those who run the programme and those who go door to door. */
export const SUMMARY_ROLES = ['admin', 'coach'] as const

/** The summary goes out from this hour (Amsterdam time), so it is in the morning's mail. */
export const SUMMARY_HOUR = 8

const amsterdamParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
})

/** The calendar day in Amsterdam (YYYY-MM-DD) and whether its summary is due yet. */
export function summaryDay(now: Date): { day: string; due: boolean } {
  const parts = Object.fromEntries(amsterdamParts.formatToParts(now).map((p) => [p.type, p.value]))
  return { day: `${parts.year}-${parts.month}-${parts.day}`, due: Number(parts.hour) >= SUMMARY_HOUR }
}
