import type { FastifyInstance } from 'fastify'
import type { Db } from '../../db/client.js'
import { rounds } from '../../db/schema.js'
import { seedDemo } from '../../server/data/demo.js'
import type { Official } from '../../server/data/officials.js'
import { listBallotProjects } from '../../server/data/ballots.js'
import type { Phase } from '../../server/domain/rounds/phases.js'
import { ROLES, type Role } from '../../server/domain/access/permissions.js'
import { testApp, type Teardown, type TestAppOptions } from './app.js'
import type { Visitor } from './client.js'
import { createOfficials, signedIn } from './officials.js'
import { createCodes, setPhase } from './voting.js'

export type BallotProject = Awaited<ReturnType<typeof listBallotProjects>>[number]

export interface DemoRoundOptions<R extends Role> {
  /** The phase to put the round in; without it the round stays as seeded ('reviewing'). */
  phase?: Phase
  /** How many letter codes to make for the round, handed out by nextCode(); none unless told. */
  codes?: number
  /** The group the codes are made for. */
  group?: string | null
  /** The officials to create (`<role>@example.test`, with PASSWORD); all three roles unless told. */
  officials?: readonly R[]
  /** Log level and destination, for a test that reads the log. */
  log?: TestAppOptions['log']
}

export interface DemoRound<R extends Role> {
  app: FastifyInstance
  db: Db
  /** The seeded round as it was read, before its phase was set. */
  round: typeof rounds.$inferSelect
  roundId: number
  /** The projects on the ballot: the round's approved proposals. */
  projects: BallotProject[]
  /** The ballot project whose title starts with `start`. */
  byTitle: (start: string) => BallotProject
  codes: string[]
  /** The next code not yet handed out, in the order they were made. */
  nextCode: () => string
  officials: Record<R, Official>
  /** A new browser with the official of that role signed in (see signedIn in officials.ts). */
  signedIn: (role: Role) => Promise<Visitor>
}

/**
 * The app on a fresh database with the demo round (Bospolder-Tussendijken) seeded, the officials
 * created after the seed, the round put in `phase`, its ballot projects, and `codes` letter codes.
 */
export async function demoRound<R extends Role = Role>(
  t: Teardown,
  options: DemoRoundOptions<R> = {},
): Promise<DemoRound<R>> {
  const { app, db } = await testApp(t, { log: options.log })
  await seedDemo(db)
  const roles: readonly Role[] = options.officials ?? ROLES
  const officials = (await createOfficials(db, roles)) as Record<R, Official>
  const [round] = await db.select().from(rounds)
  if (!round) throw new Error('seedDemo made no round')
  const roundId = round.id
  if (options.phase) await setPhase(db, roundId, options.phase)
  const projects = await listBallotProjects(db, roundId)
  const codes = options.codes ? await createCodes(db, roundId, options.codes, options.group ?? null) : []
  let next = 0
  return {
    app,
    db,
    round,
    roundId,
    projects,
    codes,
    officials,
    byTitle(start) {
      const project = projects.find((p) => p.title.startsWith(start))
      if (!project) throw new Error(`no ballot project's title starts with ${start}`)
      return project
    },
    nextCode() {
      const code = codes[next++]
      if (code === undefined) throw new Error(`all ${codes.length} codes are handed out; ask demoRound for more`)
      return code
    },
    signedIn: (role) => signedIn(app, role),
  }
}
