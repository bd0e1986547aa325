import type { FastifyInstance } from 'fastify'
import type { Db } from '../../db/client.js'
import { insertOfficial, type Official } from '../../server/data/officials.js'
import type { Role } from '../../server/domain/access/permissions.js'
import { hashPassword } from '../../server/passwords.js'
import { Visitor } from './client.js'

export const PASSWORD = 'correct horse battery staple'

export async function createOfficial(db: Db, role: Role, email = `${role}@example.test`) {
  return insertOfficial(db, { email, name: `Test ${role}`, role, passwordHash: await hashPassword(PASSWORD) })
}

/** One official for each role given, created in that order, as `<role>@example.test`. */
export async function createOfficials<R extends Role>(db: Db, roles: readonly R[]): Promise<Record<R, Official>> {
  const officials = {} as Record<R, Official>
  for (const role of roles) officials[role] = await createOfficial(db, role)
  return officials
}

/**
 * signedIn(role) logs the official `<role>@example.test` in, each time from a fresh IP:
 * `${ips}.1`, `${ips}.2`, … so no test runs into the login limit (20 tries per IP in 10 minutes).
 * Each test file passes its own range, e.g. '10.4.0'.
 */
export function signInFrom(app: FastifyInstance, ips: string): (role: Role) => Promise<Visitor> {
  let n = 0
  return async (role) => {
    const v = new Visitor(app, `${ips}.${++n}`)
    await v.login(`${role}@example.test`, PASSWORD)
    return v
  }
}
