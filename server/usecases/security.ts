import type { Db } from '../../db/client.js'
import { enqueueMail, type OutgoingMail } from '../data/outbox.js'
import { recordSecurityEvent, securityRecipients, type SecurityEvent } from '../data/security.js'
import { MAILED_ACTIONS, TOLD_TO_OWNER } from '../domain/security/events.js'

/**
 * A security event joins the audit chain; a burst is also mailed (`mail`, one per recipient) to
 * every official who may see the security page (and, for some, the account's owner), committed with the entry and sent from the outbox.
 */
export function reportSecurityEvent(db: Db, event: SecurityEvent, mail: (to: string) => OutgoingMail): Promise<void> {
  return db.transaction(async (tx) => {
    await recordSecurityEvent(tx, event)
    if (!MAILED_ACTIONS.has(event.action)) return
    const recipients = new Set(await securityRecipients(tx))
    if (TOLD_TO_OWNER.has(event.action)) recipients.add(event.actor)
    await enqueueMail(tx, ...[...recipients].map(mail))
  })
}
