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

export interface SignInOptions {
  /** PASSWORD unless told. */
  password?: string
  /** The authenticator's code, for an enrolled official: given on the code page after the password. */
  code?: string
}

/**
 * Signs an official in through the login form, as a person would: `who` is an email, or a role for
 * `<role>@example.test`. Returns the last response (the login's, or the code page's).
 */
export async function signIn(v: Visitor, who: string, { password = PASSWORD, code }: SignInOptions = {}) {
  const email = who.includes('@') ? who : `${who}@example.test`
  await v.get('/login')
  const res = await v.post('/login', { email, password })
  if (code === undefined) return res
  await v.get('/login/code')
  return v.post('/login/code', { code, next: '/official' })
}

/** A new browser (from an address of its own) with the official signed in. */
export async function signedIn(app: FastifyInstance, who: string, options?: SignInOptions): Promise<Visitor> {
  const v = new Visitor(app)
  await signIn(v, who, options)
  return v
}
