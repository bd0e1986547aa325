import type { Db } from '../../db/client.js'
import { lockForAccountChange, writeAccountChange } from '../data/accounts.js'
import { accountChangeProblem, type AccountChange, type AccountChangeProblem } from '../domain/access/accounts.js'

/**
 * An admin changes an official's role, deactivates or reactivates them. The account rules are
 * checked against the admins as they are inside the transaction, with their rows locked.
 */
export async function changeAccount(
  db: Db,
  actor: { id: number; email: string },
  targetId: number,
  change: AccountChange,
): Promise<AccountChangeProblem | 'accounts.unknown' | null> {
  return db.transaction(async (tx) => {
    const { admins, target } = await lockForAccountChange(tx, targetId)
    if (!target) return 'accounts.unknown'
    const problem = accountChangeProblem(actor.id, target, change, admins.filter((a) => a.id !== target.id).length)
    if (problem) return problem
    await writeAccountChange(tx, actor, target, change)
    return null
  })
}
