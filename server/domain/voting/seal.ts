import type { ChainedEntry } from '../security/audit-chain.js'

/** The audit action that records the ballots' fingerprint when voting closes. */
export const SEAL_ACTION = 'ballots.seal'

export interface SealedHashes {
  /** The fingerprint of the counted ballots (ballotsDigest) as the chain recorded it at closing, or else at publishing. */
  ballots?: string
  /** The SHA-256 of the published .pb text, as recorded at publishing. */
  pb?: string
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined)

/** What a verified audit chain says the round's ballots were: the last seal and the publication. */
export function sealedHashes(entries: readonly ChainedEntry[], roundId: number): SealedHashes {
  const about = entries.filter((e) => e.object === `round:${roundId}`).reverse()
  const seal = about.find((e) => e.action === SEAL_ACTION)
  const publish = about.find((e) => e.action === 'results.publish')
  return {
    ballots: text(seal?.details['ballotsSha256']) ?? text(publish?.details['countedBallotsSha256']),
    pb: text(publish?.details['ballotsSha256']),
  }
}
