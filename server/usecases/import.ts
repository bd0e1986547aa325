import type { Db } from '../../db/client.js'
import { appendAudit } from '../data/audit.js'
import {
  analyzeBulkLoad,
  insertImportedBallots,
  insertImportedBudgets,
  insertImportedProjects,
} from '../data/import.js'
import { insertRound, transitionFacts, type Round } from '../data/rounds.js'
import type { Actor } from '../domain/access/permissions.js'
import type { ImportPlan } from '../domain/pabulib/import.js'
import type { Phase } from '../domain/rounds/phases.js'
import { slugBase } from '../domain/rounds/settings.js'
import { transitionFrom, transitionRefusal } from '../domain/rounds/transitions.js'
import { changePhase } from './phases.js'

/** Moves the new round on to `target` one step at a time, each step asked of the transition table. */
async function walkTo(tx: Db, roundId: number, from: Phase, target: Phase, actor: Actor): Promise<void> {
  for (let phase = from; phase !== target;) {
    const refusal = transitionRefusal(actor, 'round.advance', phase, await transitionFacts(tx, roundId))
    if (refusal) throw new Error(`a replayed round cannot leave ${phase}: ${refusal}`)
    const to = transitionFrom(phase)!.to
    await changePhase(tx, roundId, phase, to)
    phase = to
  }
}

/**
 * An admin replays a Pabulib election as a closed round, in one transaction: its projects as
 * approved proposals, then through the phases as any round goes (the table allows voting, since
 * every project is approved and none waits), its voters' ballots while it votes, and closed
 * before the commit with its ballots sealed: nobody ever sees it voting.
 */
export async function importRound(
  db: Db,
  plan: ImportPlan,
  input: { actor: Actor; official: { id: number; email: string }; sha256: string; now: Date },
): Promise<Round> {
  const { actor, official, now } = input
  const round = await db.transaction(async (tx) => {
    const created = await insertRound(tx, plan.settings, slugBase(plan.settings.title))
    const projectIds = await insertImportedProjects(tx, created, plan, now)
    await insertImportedBudgets(tx, created, plan, projectIds)
    await walkTo(tx, created.id, created.phase, 'voting', actor)
    await insertImportedBallots(tx, created, plan, projectIds, official)
    await walkTo(tx, created.id, 'voting', 'closed', actor)
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'round.import',
      object: `round:${created.id}`,
      details: {
        slug: created.slug,
        sha256: input.sha256,
        voteType: plan.voteType,
        projects: plan.projects.length,
        ballots: plan.ballots.length,
        budgets: plan.budgets?.length ?? 1,
        budgetCents: plan.settings.budgetCents,
        rule: plan.settings.tallyRule,
      },
      at: now,
    })
    return { ...created, phase: 'closed' as const }
  })
  await analyzeBulkLoad(db)
  return round
}
