import { percent } from '../results/statistics.js'

export const CHANNELS = ['online', 'paper'] as const
export type Channel = (typeof CHANNELS)[number]

/** What the database counts: codes per group, and counted ballots (of codes not revoked) per group and channel. */
export interface TurnoutCounts {
  codes: readonly { group: string | null; issued: number; revoked: number }[]
  cast: readonly { group: string | null; channel: Channel; ballots: number }[]
}

export interface TurnoutFigures {
  issued: number
  revoked: number
  valid: number
  online: number
  paper: number
  cast: number
  /** Ballots per valid code, in percent with one decimal; null while there are no valid codes. */
  percent: number | null
}

function figures(issued: number, revoked: number, online: number, paper: number): TurnoutFigures {
  const valid = issued - revoked
  const cast = online + paper
  return { issued, revoked, valid, online, paper, cast, percent: percent(cast, valid) }
}

/** Totals and one row per group; ballots of revoked codes are already left out of `cast`. */
export function turnoutFigures(counts: TurnoutCounts) {
  const castOf = (group: string | null, channel: Channel) =>
    counts.cast.filter((c) => c.group === group && c.channel === channel).reduce((sum, c) => sum + c.ballots, 0)
  const groups = counts.codes.map((g) => ({
    label: g.group,
    ...figures(g.issued, g.revoked, castOf(g.group, 'online'), castOf(g.group, 'paper')),
  }))
  const sum = (key: 'issued' | 'revoked' | 'online' | 'paper') => groups.reduce((total, g) => total + g[key], 0)
  return {
    total: figures(sum('issued'), sum('revoked'), sum('online'), sum('paper')),
    groups,
    // One group with no name is the same as no groups at all: the totals say it all.
    showGroups: groups.some((g) => g.label !== null),
  }
}

/** The public shares: of every issued code (revoked ones included), how many led to a counted ballot, and through which channel. */
export function publicShares<T extends { issued: number; cast: number; online: number; paper: number }>(f: T) {
  return {
    ...f,
    percent: percent(f.cast, f.issued),
    onlinePercent: percent(f.online, f.issued),
    paperPercent: percent(f.paper, f.issued),
  }
}

/** Online ballots per language of the voting page, each with its share of all counted online ballots. */
export function languageShares(rows: readonly { lang: string; ballots: number }[]) {
  const all = rows.reduce((sum, r) => sum + r.ballots, 0)
  return rows.map((r) => ({ lang: r.lang, ballots: r.ballots, percent: percent(r.ballots, all) ?? 0 }))
}
