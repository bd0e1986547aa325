import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { rounds } from '../../db/schema.js'
import type { HelpDesk } from '../domain/rounds/help-desk.js'
import { appendAudit } from './audit.js'

/** Replaces a round's help desk (null removes it), audited with the old and new desk. */
export async function saveHelpDesk(
  db: Db,
  roundId: number,
  helpDesk: HelpDesk | null,
  official: { id: number; email: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ helpDesk: rounds.helpDesk })
      .from(rounds)
      .where(eq(rounds.id, roundId))
      .for('update')
    await tx
      .update(rounds)
      .set({ helpDesk: helpDesk ? { ...helpDesk } : null, contentVersion: sql`${rounds.contentVersion} + 1` })
      .where(eq(rounds.id, roundId))
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'helpdesk.edit',
      object: `round:${roundId}`,
      details: { old: before?.helpDesk ?? null, new: helpDesk },
    })
  })
}
