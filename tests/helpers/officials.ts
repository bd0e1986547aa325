import type { Db } from '../../db/client.js'
import { insertOfficial } from '../../server/data/officials.js'
import type { Role } from '../../server/domain/permissions.js'
import { hashPassword } from '../../server/passwords.js'

export const PASSWORD = 'correct horse battery staple'

export async function createOfficial(db: Db, role: Role, email = `${role}@example.test`) {
  return insertOfficial(db, { email, name: `Test ${role}`, role, passwordHash: await hashPassword(PASSWORD) })
}
