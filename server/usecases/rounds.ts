import type { Db } from '../../db/client.js'
import { lockRound, saveRoundSettings, type Round } from '../data/rounds.js'
import { listBudgets } from '../data/budgets.js'
import { can, type Actor, type Role } from '../domain/access/permissions.js'
import { isVotingLocked, phaseAt } from '../domain/rounds/phases.js'
import {
  readLockedRoundForm,
  SETTING_NAMES,
  readRoundForm,
  type RoundErrors,
  type RoundForm,
  type RoundSettings,
} from '../domain/rounds/settings.js'

export type EditOutcome =
  | { kind: 'notFound' }
  | { kind: 'published'; round: Round }
  | { kind: 'invalid'; round: Round; errors: RoundErrors; lockedRefused: boolean }
  | { kind: 'saved'; round: Round }

/** A round's stored settings as the form reads them. */
export function roundSettings(round: Round): RoundSettings {
  return Object.fromEntries(SETTING_NAMES.map((name) => [name, round[name]])) as unknown as RoundSettings
}

/**
 * An admin edits a round's settings. The round is read again under its lock, so an edit and a
 * phase move never cross: once voting opened only the unlocked settings may change, and a
 * published round not at all.
 */
export async function editRoundSettings(
  db: Db,
  input: {
    roundId: number
    actor: Actor
    official: { id: number; email: string; role: Role }
    form: RoundForm
    now: Date
  },
): Promise<EditOutcome> {
  return db.transaction(async (tx): Promise<EditOutcome> => {
    const round = await lockRound(tx, input.roundId)
    if (!round) return { kind: 'notFound' }
    if (!can(input.actor, 'round.edit', phaseAt(round, input.now))) return { kind: 'published', round }
    const result = isVotingLocked(round.phase)
      ? readLockedRoundForm(input.form, roundSettings(round))
      : readRoundForm(input.form)
    if ('errors' in result)
      return { kind: 'invalid', round, errors: result.errors, lockedRefused: result.lockedRefused }
    // A round split into budgets has their sum as its budget: the budgets page changes it, not this form.
    const split = (await listBudgets(tx, round.id)).length > 0
    const settings = split ? { ...result.settings, budgetCents: round.budgetCents } : result.settings
    await saveRoundSettings(tx, round, settings, input.official)
    return { kind: 'saved', round }
  })
}
