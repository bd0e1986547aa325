/** The middle value; the mean of the two middle ones for an even count; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** `part` of `whole` in percent with one decimal; null when there is no whole to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null
}

/** The share of values at or below `limit`, in percent with one decimal. */
export function shareAtMost(values: readonly number[], limit: number): number | null {
  return percent(values.filter((v) => v <= limit).length, values.length)
}

export interface FundedFigures {
  costCents: number
  track: string
  themes: readonly string[]
  kwhPerYear: number | null
  co2KgPerYear: number | null
  households: number | null
}

export interface FigureTotal {
  total: number
  /** How many projects gave this figure: the total says nothing about the others. */
  projects: number
}

/** The energy figures the funded projects add up to; a project without a figure adds nothing. */
export function energyTotals(
  projects: readonly FundedFigures[],
): Record<'kwhPerYear' | 'co2KgPerYear' | 'households', FigureTotal> {
  const sum = (key: 'kwhPerYear' | 'co2KgPerYear' | 'households'): FigureTotal => {
    const given = projects.map((p) => p[key]).filter((v): v is number => v !== null)
    return { total: given.reduce((a, b) => a + b, 0), projects: given.length }
  }
  return { kwhPerYear: sum('kwhPerYear'), co2KgPerYear: sum('co2KgPerYear'), households: sum('households') }
}

export interface Spending {
  key: string
  cents: number
  projects: number
}

function spendingBy(
  projects: readonly FundedFigures[],
  keysOf: (p: FundedFigures) => readonly string[],
  order: readonly string[],
): Spending[] {
  const totals = new Map<string, Spending>()
  for (const project of projects) {
    for (const key of new Set(keysOf(project))) {
      const entry = totals.get(key) ?? { key, cents: 0, projects: 0 }
      entry.cents += project.costCents
      entry.projects += 1
      totals.set(key, entry)
    }
  }
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length)
  return [...totals.values()].sort(
    (a, b) => b.cents - a.cents || rank(a.key) - rank(b.key) || a.key.localeCompare(b.key),
  )
}

/** Money per track: every project has one track, so these add up to the money spent. */
export function spendingPerTrack(projects: readonly FundedFigures[], order: readonly string[] = []): Spending[] {
  return spendingBy(projects, (p) => [p.track], order)
}

/**
 * Money per theme. A project with several themes counts in full for each of them: splitting
 * its cost would invent a division nobody made. So these amounts add up to more than was spent.
 */
export function spendingPerTheme(projects: readonly FundedFigures[], order: readonly string[] = []): Spending[] {
  return spendingBy(projects, (p) => p.themes, order)
}
