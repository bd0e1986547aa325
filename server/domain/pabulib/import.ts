import type { PbElection } from './read.js'
import { TEXT_LIMITS as PROPOSAL_LIMITS } from '../proposals/rules.js'
import { TEXT_LIMITS as ROUND_LIMITS, type RoundSettings } from '../rounds/settings.js'
import type { TallyRule } from '../tally/tally.js'
import { singleLine } from '../common/text.js'

/** The largest .pb text the import takes: Łódź 2020, with 51,472 voters, is 2.3 MB. */
export const MAX_PB_CHARS = 5_000_000

export interface ImportProject {
  /** The project's id in the file, kept in its description so a replay can be compared with the source. */
  pbId: string
  title: string
  costCents: number
}

export interface ImportPlan {
  settings: RoundSettings
  projects: ImportProject[]
  /** Each voter's chosen projects as indexes into `projects`, each once, in ascending order. */
  ballots: number[][]
  /** As the file says (approval, cumulative, ordinal, scoring): every kind is counted as approval. */
  voteType: string
}

export type ImportProblem = 'no-projects' | 'amount-too-large'

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
      ballotFormat: 'approval',
      maxChoices:
        Number.isInteger(maxLength) && maxLength >= 1
          ? Math.min(maxLength, election.projects.length)
          : election.projects.length,
      pointsPerVoter: null,
      maxPointsPerProject: null,
      minSpendPercent: 0,
      tallyRule: rule,
    },
    projects: election.projects.map((p) => ({
      pbId: p.id,
      title: cut(p.fields['name'] || `Project ${p.id}`, PROPOSAL_LIMITS.title),
      costCents: cents(p.cost),
    })),
    // parsePb has already refused votes for projects that are not in the file.
    ballots: election.votes.map((v) => [...new Set(v.vote.map((id) => index.get(id)!))].sort((a, b) => a - b)),
    voteType: meta['vote_type'] || 'approval',
  }
}
