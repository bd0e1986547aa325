import type { PbElection } from './read.js'
import { TEXT_LIMITS as PROPOSAL_LIMITS } from '../proposals/rules.js'
import { TEXT_LIMITS as ROUND_LIMITS, type RoundSettings } from '../rounds/settings.js'
import type { TallyRule } from '../tally/tally.js'
import { singleLine } from '../common/text.js'
import { importedPoint, type Point } from '../proposals/place.js'

/** The largest .pb text the import takes: Łódź 2020, with 51,472 voters, is 2.3 MB. */
export const MAX_PB_CHARS = 5_000_000

export interface ImportProject {
  /** The project's id in the file, kept in its description so a replay can be compared with the source. */
  pbId: string
  title: string
  costCents: number
  /** From Pabulib's latitude and longitude columns, when the file has a valid pair. */
  point: Point | null
}

export interface ImportPlan {
  settings: RoundSettings
  projects: ImportProject[]
  /** Each voter's chosen projects as indexes into `projects`, each once, in ascending order. */
  ballots: number[][]
  /** A cumulative file's points, parallel to `ballots` (a project listed twice has both entries' points). */
  points?: number[][]
  /** A set of files, one per budget (Pabulib's `subunit`): each budget's name, amount and projects (indexes). */
  budgets?: { name: string; amountCents: number; projects: number[] }[]
  /** As the file says (approval, cumulative, ordinal, scoring): cumulative is counted by points, every other kind as approval. */
  voteType: string
}

export type ImportProblem = 'no-projects' | 'amount-too-large' | 'mixed-vote-types'

/** What makes a well-formed file unfit for a round; it belongs to no one line. */
export class ImportError extends Error {
  constructor(readonly problem: ImportProblem) {
    super(`import: ${problem}`)
  }
}

function cut(text: string, limit: number): string {
  const chars = [...singleLine(text)]
  return chars.length <= limit
    ? chars.join('')
    : `${chars
        .slice(0, limit - 1)
        .join('')
        .trimEnd()}…`
}

/**
 * A Pabulib election as a closed round: money in cents (a file counts in whole currency units
 * unless it says `money_unit;cent`), projects in file order (the last tie-breaker), every ballot
 * an approval ballot. `texts` gives the words the file does not have, in the admin's language: the title
 * marks the round as a replay, since it is listed with the real ones.
 */
export function importPlan(
  election: PbElection,
  rule: TallyRule,
  texts: { title: (name: string) => string; description: string },
): ImportPlan {
  const { meta } = election
  if (election.projects.length === 0) throw new ImportError('no-projects')
  const perUnit = meta['money_unit'] === 'cent' ? 1 : 100
  const cents = (amount: number) => {
    const value = amount * perUnit
    if (!Number.isSafeInteger(value)) throw new ImportError('amount-too-large')
    return value
  }
  const index = new Map(election.projects.map((p, i) => [p.id, i]))
  const maxLength = Number(meta['max_length'])
  const cumulative = meta['vote_type'] === 'cumulative'
  const given = cumulative ? election.votes.map((v) => pointsOf(v, index)) : undefined
  const most = (values: number[]) => values.reduce((m, x) => Math.max(m, x), 1)
  const where = [meta['unit'], meta['subunit'] ?? meta['district']].filter((part) => part && part.trim() !== '')
  return {
    settings: {
      title: cut(
        texts.title(cut(meta['description'] || meta['unit'] || 'Pabulib', ROUND_LIMITS.title - 20)),
        ROUND_LIMITS.title,
      ),
      neighbourhood: cut(
        where.length > 0 ? [...new Set(where)].join(', ') : (meta['country'] ?? '—'),
        ROUND_LIMITS.neighbourhood,
      ),
      description: cut(texts.description, ROUND_LIMITS.description),
      budgetCents: cents(Number(meta['budget'])),
      proposingFrom: null,
      reviewingFrom: null,
      votingFrom: null,
      votingUntil: null,
      publishOn: null,
      ballotFormat: cumulative ? 'points' : 'approval',
      maxChoices: cumulative
        ? null
        : Number.isInteger(maxLength) && maxLength >= 1
          ? Math.min(maxLength, election.projects.length)
          : election.projects.length,
      // A file that does not say its limits is taken at the largest it holds.
      pointsPerVoter: given
        ? wholeOr(meta['max_sum_points'], most(given.map((b) => b.points.reduce((a, x) => a + x, 0))))
        : null,
      maxPointsPerProject: given ? wholeOr(meta['max_points'], most(given.flatMap((b) => b.points))) : null,
      minSpendPercent: 0,
      tallyRule: rule,
    },
    projects: election.projects.map((p) => ({
      pbId: p.id,
      title: cut(p.fields['name'] || `Project ${p.id}`, PROPOSAL_LIMITS.title),
      costCents: cents(p.cost),
      point: importedPoint(p.fields['latitude'], p.fields['longitude']),
    })),
    // parsePb has already refused votes for projects that are not in the file.
    ballots: given
      ? given.map((b) => b.projects)
      : election.votes.map((v) => [...new Set(v.vote.map((id) => index.get(id)!))].sort((a, b) => a - b)),
    ...(given ? { points: given.map((b) => b.points) } : {}),
    voteType: meta['vote_type'] || 'approval',
  }
}

function wholeOr(text: string | undefined, fallback: number): number {
  const value = Number(text)
  return Number.isSafeInteger(value) && value >= 1 ? value : fallback
}

/** A cumulative vote as project indexes in ascending order with their points; a project listed twice adds up, 0 points is no choice. */
function pointsOf(vote: PbElection['votes'][number], index: ReadonlyMap<string, number>) {
  const total = new Map<number, number>()
  vote.vote.forEach((id, k) => {
    const p = index.get(id)!
    total.set(p, (total.get(p) ?? 0) + (vote.points?.[k] ?? 1))
  })
  const projects = [...total]
    .filter(([, n]) => n > 0)
    .map(([p]) => p)
    .sort((a, b) => a - b)
  return { projects, points: projects.map((p) => total.get(p)!) }
}

/** A text holding one Pabulib file or several (a set, one per budget): each file starts with its META section. */
export function splitPbFiles(text: string): string[] {
  const starts = [...text.matchAll(/^META\s*$/gm)].map((m) => m.index)
  if (starts.length <= 1) return [text]
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length))
}

/**
 * A set of Pabulib files, one per budget of one election (Warsaw's districts and citywide file),
 * as one round of several budgets: each file's projects go to a budget named by its `subunit`
 * with the file's budget; a voter (by `voter_id`) who appears in several files casts one ballot
 * holding all their choices, as they did on the day.
 */
export function importSetPlan(
  elections: readonly PbElection[],
  rule: TallyRule,
  texts: { title: (name: string) => string; description: string },
): ImportPlan {
  const plans = elections.map((e) => importPlan(e, rule, texts))
  if (plans.length === 1) return plans[0]!
  const types = new Set(plans.map((p) => p.settings.ballotFormat))
  if (types.size > 1) throw new ImportError('mixed-vote-types')
  const offsets = plans.map((_, i) => plans.slice(0, i).reduce((n, p) => n + p.projects.length, 0))
  const byVoter = new Map<string, Map<number, number>>()
  elections.forEach((e, f) =>
    e.votes.forEach((v, k) => {
      const choices = byVoter.get(v.voterId) ?? new Map<number, number>()
      plans[f]!.ballots[k]!.forEach((p, j) => choices.set(offsets[f]! + p, plans[f]!.points?.[k]?.[j] ?? 1))
      byVoter.set(v.voterId, choices)
    }),
  )
  const ballots = [...byVoter.values()].map((c) => [...c.keys()].sort((a, b) => a - b))
  const first = plans[0]!
  const points = first.points
    ? [...byVoter.values()].map((c) => [...c.keys()].sort((a, b) => a - b).map((p) => c.get(p)!))
    : undefined
  const budgets = plans.map((p, f) => ({
    name: cut(elections[f]!.meta['subunit'] || elections[f]!.meta['description'] || `${f + 1}`, 120),
    amountCents: p.settings.budgetCents,
    projects: p.projects.map((_, i) => offsets[f]! + i),
  }))
  return {
    ...first,
    settings: {
      ...first.settings,
      budgetCents: budgets.reduce((sum, b) => sum + b.amountCents, 0),
      // The most choices holds per budget, as the ballot checks it.
      maxChoices: first.settings.maxChoices === null ? null : Math.max(...plans.map((p) => p.settings.maxChoices ?? 0)),
      pointsPerVoter: first.points ? plans.reduce((n, p) => n + (p.settings.pointsPerVoter ?? 0), 0) : null,
      maxPointsPerProject: first.points ? Math.max(...plans.map((p) => p.settings.maxPointsPerProject ?? 0)) : null,
    },
    projects: plans.flatMap((p) => p.projects),
    ballots,
    ...(points ? { points } : {}),
    budgets,
  }
}
