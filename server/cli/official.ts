import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { openEmbedded, openServer } from '../../db/client.js'
import { loadConfig } from '../config.js'
import { appendAudit } from '../data/audit.js'
import { findOfficialByEmail, insertOfficial } from '../data/officials.js'
import { isRole, ROLES } from '../domain/access/permissions.js'
import type { PasswordProblem } from '../domain/access/password-policy.js'
import { hashPassword, passwordChecker, siteNames } from '../passwords.js'

const PROBLEMS: Record<PasswordProblem, string> = {
  'password.tooShort': 'it must be at least 12 characters long',
  'password.tooLong': 'it is too long',
  'password.sameAsEmail': 'it is the e-mail address',
  'password.common': 'it is (close to) a commonly used password',
  'password.personal': "it contains the platform's, the municipality's or the official's own name",
  'password.pattern': 'it is a keyboard pattern, a repetition or a sequence',
  'password.dates': 'it is mostly a date or a year',
  'password.words': 'it is a single common word or name',
  'password.weak': 'it is too easy to guess: add a few unusual words',
}

const USAGE = `usage: npm run official -- --email EMAIL --role ${ROLES.join('|')} [--name NAME]
The password is read from OFFICIAL_PASSWORD, or a strong one is generated and printed once.`

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
  })
  const email = values.email?.trim()
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email) || email.length > 254 || !isRole(values.role)) {
    console.error(USAGE)
    return 2
  }
  const config = loadConfig()
  const database = config.databaseUrl
    ? await openServer(config.databaseUrl, 1)
    : await openEmbedded(`${config.dataDir}/pglite`)
  try {
    await database.migrate()
    if (await findOfficialByEmail(database.db, email)) {
      console.error(`an official with e-mail ${email} exists already`)
      return 1
    }
    const generated = process.env.OFFICIAL_PASSWORD ? undefined : randomBytes(15).toString('base64url')
    const password = process.env.OFFICIAL_PASSWORD ?? generated!
    const problem = passwordChecker(siteNames(config.privacy))(password, email)
    if (problem) {
      console.error(`OFFICIAL_PASSWORD is refused: ${PROBLEMS[problem]}`)
      return 2
    }
    const passwordHash = await hashPassword(password)
    const role = values.role
    await database.db.transaction(async (tx) => {
      const official = await insertOfficial(tx, { email, name: values.name ?? email, role, passwordHash })
      await appendAudit(tx, {
        officialId: null,
        actor: 'command line',
        action: 'official.create',
        object: `official:${official.id}`,
        details: { email, role },
      })
    })
    console.log(`created ${role} ${email}`)
    if (generated) console.log(`password (shown once): ${generated}`)
    return 0
  } finally {
    await database.close()
  }
}

process.exitCode = await main()
