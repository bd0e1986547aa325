import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { officials, recoveryCodes } from '../../db/schema.js'
import { recoveryCodeFromBytes } from '../../server/domain/access/recovery-codes.js'
import { codeAt, secretFromBytes } from '../../server/domain/access/totp.js'
import { sha256 } from '../../server/passwords.js'
import { SecretBox } from '../../server/secret-box.js'
import { TEST_CONFIG } from './app.js'

/** Gives an official a confirmed authenticator and recovery codes, as enrolment would; returns both secrets. */
export async function enrol(db: Db, officialId: number): Promise<{ secret: string; recovery: string[] }> {
  const secret = secretFromBytes(randomBytes(20))
  const recovery = Array.from({ length: 3 }, () => recoveryCodeFromBytes(randomBytes(16)))
  await db
    .update(officials)
    .set({ totpSecret: new SecretBox(TEST_CONFIG.sessionSecret).seal(secret), totpEnabledAt: new Date() })
    .where(eq(officials.id, officialId))
  await db.insert(recoveryCodes).values(recovery.map((code) => ({ officialId, codeHash: sha256(code) })))
  return { secret, recovery }
}

/** The code the app shows now, or `steps` periods of 30 s later (a next login in the same half minute needs a later step). */
export function codeNow(secret: string, steps = 0): string {
  return codeAt(secret, Date.now() + steps * 30_000)
}
