import type { Db } from '../../db/client.js'
import { outbox } from '../../db/schema.js'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  /** What caused it, for admins ("decision", "status-link", ...); never the address. */
  purpose: string
  headers?: Record<string, string>
}

/**
 * Puts mail in the outbox, in the caller's transaction: it goes out only if the change that
 * caused it is committed, and it is not lost when the mail server is down.
 */
export async function enqueueMail(db: Db, ...mails: OutgoingMail[]): Promise<void> {
  if (mails.length === 0) return
  await db.insert(outbox).values(
    mails.map((m) => ({
      toAddress: m.to,
      subject: m.subject,
      body: m.text,
      purpose: m.purpose,
      headers: m.headers ?? {},
    })),
  )
}
