import { randomInt } from 'node:crypto'
import type { Db } from '../../db/client.js'
import { appendAudit } from '../data/audit.js'
import {
  insertResult,
  loadTallyData,
  tallyDataDigest,
  previewedOutcome,
  tallyRound,
  type Result,
  type TallyData,
} from '../data/results.js'
import { findRound, lockRound, type Round } from '../data/rounds.js'
import { sealedBallotsDigest } from '../data/seal.js'
import type { Actor } from '../domain/access/permissions.js'
import { exportBallotsPb } from '../domain/pabulib/export.js'
import { sha256 } from '../domain/common/digest.js'
import { tallyInputSha256 } from '../domain/tally/input.js'
import { NO_FACTS, transitionRefusal } from '../domain/rounds/transitions.js'
import type { TallyResult } from '../domain/tally/tally.js'
import { changePhase } from './phases.js'
import { tellFollowers, type MailWords } from './follows.js'

export type PublishOutcome = { published: Result } | { refused: 'notClosed' }

interface Count {
  data: TallyData
  countedSha256: string
  outcome: TallyResult
  reusedPreview: boolean
  ballotsPb: string
}

/**
 * The round's rule applied to its counted ballots: the previewed outcome when the preview counted
 * exactly these (previewResults), else counted now. Counted, exported and fingerprinted from the
 * one set of ballots read here, so no revocation in between can make them differ.
 */
async function count(db: Db, round: Round, softwareVersion: string): Promise<Count> {
  const data = await loadTallyData(db, round)
  const countedSha256 = tallyDataDigest(data)
  const inputSha256 = tallyInputSha256(round, data.projects, countedSha256, softwareVersion, data.budgets)
  const previewed = await previewedOutcome(db, round.id, round.tallyRule, inputSha256)
  const outcome = previewed ?? (await tallyRound(round, data, round.tallyRule))
  const ballotsPb = exportBallotsPb(round, data.projects, data.ballots, round.tallyRule, randomInt, data.points)
  return { data, countedSha256, outcome, reusedPreview: previewed !== undefined, ballotsPb }
}

/**
 * An admin publishes a closed round: its result is frozen with the anonymised ballots and their
 * hash, and the round moves to published. A city's count takes seconds, so it is done before any
 * row is locked; under the round's lock, the ballots counted are compared with those sealed when
 * voting closed, and only a round whose ballots differ (or were never sealed) is counted again
 * there. A second publish finds the round published and changes nothing.
 */
export async function publishResult(
  db: Db,
  input: {
    roundId: number
    actor: Actor
    official: { id: number; email: string }
    softwareVersion: string
    /** Followers of the round and its proposals hear that the results are out. */
    mailer: MailWords
  },
): Promise<PublishOutcome> {
  const { roundId, actor, official, softwareVersion } = input
  const refused = { refused: 'notClosed' as const }
  const round = await findRound(db, roundId)
  if (!round || transitionRefusal(actor, 'results.publish', round.phase, NO_FACTS)) return refused
  const early = await count(db, round, softwareVersion)
  return db.transaction(async (tx): Promise<PublishOutcome> => {
    const locked = await lockRound(tx, roundId)
    if (!locked || transitionRefusal(actor, 'results.publish', locked.phase, NO_FACTS)) return refused
    const counted =
      (await sealedBallotsDigest(tx, roundId)) === early.countedSha256
        ? early
        : await count(tx, locked, softwareVersion)
    const ballotsSha256 = sha256(counted.ballotsPb)
    const published = await insertResult(tx, {
      roundId,
      rule: locked.tallyRule,
      outcome: counted.outcome,
      ballotsPb: counted.ballotsPb,
      ballotsSha256,
      ballotCount: counted.data.ballots.length,
      softwareVersion,
      publishedBy: official.id,
    })
    await changePhase(tx, roundId, 'closed', 'published')
    await tellFollowers(tx, input.mailer, { kind: 'results', roundId })
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'results.publish',
      object: `round:${roundId}`,
      details: {
        rule: locked.tallyRule,
        softwareVersion,
        ballotsSha256,
        countedBallotsSha256: counted.countedSha256,
        ballots: counted.data.ballots.length,
        selected: counted.outcome.selected,
        totalCostCents: counted.outcome.totalCost,
        reusedPreview: counted.reusedPreview,
      },
    })
    return { published }
  })
}
