export interface PbProject {
  id: string
  cost: number
  /** The comma-separated `category` column; empty when there is none. */
  category: string[]
  /** Every other column (name, votes, selected…) by header name, verbatim. */
  fields: Record<string, string>
}

export interface PbVote {
  voterId: string
  /** The chosen project ids, in the order the file lists them. */
  vote: string[]
  /** Cumulative and scoring ballots: the points given, in the order of `vote`. */
  points?: number[]
  /** Every other column (age, sex…) by header name, verbatim. */
  fields: Record<string, string>
}

/** A participatory budgeting election in Pabulib's .pb format. */
export interface PbElection {
  meta: Record<string, string>
  projects: PbProject[]
  votes: PbVote[]
}
