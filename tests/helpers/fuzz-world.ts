import type { FastifyInstance } from 'fastify'
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { comments, photos, proposals, rounds, sessions } from '../../db/schema.js'
import { insertPhotos } from '../../server/data/photos.js'
import { encodeImage, type Encoded } from '../../server/images.js'
import { smallPng } from './photos.js'
import { inviteOfficial } from '../../server/data/accounts.js'
import { insertFollow } from '../../server/data/follows.js'
import { ROLES, type Role } from '../../server/domain/access/permissions.js'
import { sha256 } from '../../server/passwords.js'
import type { Teardown, TestAppOptions } from './app.js'
import { Visitor } from './client.js'
import { demoRound } from './fixtures.js'
import { setPhase } from './voting.js'
import { createOfficial, signedIn } from './officials.js'

export const ACTORS = ['anonymous', 'resident', ...ROLES] as const
export type ActorName = (typeof ACTORS)[number]

/** What path parameters name: the demo round's things, and the same kinds in another round. */
export interface Things {
  slug: string
  roundId: number
  statusToken: string
  reference: string
  proposalId: number
  commentId: number
  commentKey: string
  followSecret: string
  inviteToken: string
  victimId: number
  textRef: string
  receipt: string
  /** A round whose result is published (the other round, closed with no ballots and published). */
  publishedSlug: string
  /** A public photo (of a project on the ballot) and its hash. */
  photoId: number
  photoHash: string
}

export interface World {
  app: FastifyInstance
  db: Db
  here: Things
  /** The same kinds of things, but of another round (for the "ids of another round" inputs). */
  other: Things
  /** A browser for each actor; an official's is signed in again when a request ended its session. */
  actor(name: ActorName): Promise<Visitor>
  /** How many times an official was signed in (again): a sign-in writes to the database. */
  signIns(): number
}

const INVITE_TOKEN = 'fuzz-invitation-token-0123456789abcdef'

/** The other round: a proposing round with one proposal, so its ids exist and belong elsewhere. */
async function otherRound(db: Db, here: Things): Promise<Things> {
  const [round] = await db
    .insert(rounds)
    .values({
      slug: 'andere-ronde',
      title: 'Andere ronde',
      neighbourhood: 'Elders',
      budgetCents: 1_000_000,
      phase: 'proposing',
    })
    .returning()
  const [proposal] = await db
    .insert(proposals)
    .values({
      roundId: round!.id,
      status: 'approved',
      reference: 'ANDER-1',
      statusToken: 'fuzz-other-status-token-0123456789',
      title: 'Elders',
      summary: 'Kort',
      description: 'Lang',
      costCents: 100_000,
      track: 'social',
      themes: ['green'],
      contactName: 'Bewoner',
    })
    .returning()
  return {
    ...here,
    slug: round!.slug,
    roundId: round!.id,
    proposalId: proposal!.id,
    reference: 'ANDER-1',
    statusToken: proposal!.statusToken,
  }
}

async function publish(db: Db, admin: Visitor, things: Things) {
  await setPhase(db, things.roundId, 'closed')
  const res = await admin.post(`/official/rounds/${things.roundId}/publish`, {})
  if (res.statusCode !== 303) throw new Error(`publishing the other round answered ${res.statusCode}`)
}

/**
 * The demo round in its voting phase with an official of every role, a resident who has voted
 * (so a receipt exists), a follow, an invitation, a comment and an official to change.
 */
export async function fuzzWorld(t: Teardown, log: NonNullable<TestAppOptions['log']>): Promise<World> {
  const demo = await demoRound(t, { phase: 'voting', codes: 1, log })
  const { app, db, roundId, round } = demo
  const [proposal] = await db.select().from(proposals).where(eq(proposals.roundId, roundId)).limit(1)
  const [comment] = await db.select().from(comments).limit(1)
  const victim = await createOfficial(db, 'moderator', 'victim@example.test')
  const admin = { id: demo.officials.admin.id, email: demo.officials.admin.email }
  const person = { email: 'invited@example.test', name: 'Invited', role: 'coach' as const }
  const expiresAt = new Date(Date.now() + 86_400_000)
  await inviteOfficial(db, admin, person, { kind: 'link', tokenHash: sha256(INVITE_TOKEN), expiresAt })
  const follow = await insertFollow(db, {
    roundId,
    proposalId: null,
    commentId: null,
    email: 'f@example.net',
    lang: 'nl',
  })

  const resident = new Visitor(app)
  await resident.get(`/rounds/${round.slug}/vote`)
  await resident.post(`/rounds/${round.slug}/vote`, { code: demo.nextCode() })
  await resident.get(`/rounds/${round.slug}/vote/ballot`)
  const voted = await resident.post(`/rounds/${round.slug}/vote/ballot`, {
    projects: [String(demo.projects[0]!.id)],
    intent: 'submit',
  })
  const receipt = /^\/receipts\/([^?]+)/.exec(String(voted.headers.location))?.[1]
  const admins = await signedIn(app, 'admin')
  if (!proposal || !comment || !receipt) throw new Error('the fuzz world lacks a proposal, a comment or a receipt')

  const [photoId] = await insertPhotos(
    db,
    { roundId, proposalId: demo.projects[0]!.id },
    [{ alt: 'Een dak', encoded: (await encodeImage(await smallPng(64, 48))) as Encoded }],
    null,
  )
  const [photo] = await db.select().from(photos).where(eq(photos.id, photoId!))
  const here: Things = {
    slug: round.slug,
    roundId,
    statusToken: proposal.statusToken,
    reference: proposal.reference,
    proposalId: proposal.id,
    commentId: comment.id,
    commentKey: comment.token,
    followSecret: follow.token,
    inviteToken: INVITE_TOKEN,
    victimId: victim.id,
    textRef: 'description',
    receipt,
    publishedSlug: 'andere-ronde',
    photoId: photo!.id,
    photoHash: photo!.hash,
  }
  const other = await otherRound(db, here)
  await publish(db, admins, other)
  const officials: Partial<Record<Role, Visitor>> = { admin: admins }
  const anonymous = new Visitor(app)
  let signIns = 0

  async function official(role: Role): Promise<Visitor> {
    const id = demo.officials[role].id
    const [live] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(sessions)
      .where(eq(sessions.officialId, id))
    if (!officials[role] || live!.n === 0) {
      officials[role] = await signedIn(app, role)
      signIns++
    }
    return officials[role]
  }
  return {
    app,
    db,
    here,
    other,
    signIns: () => signIns,
    actor: async (name) => (name === 'anonymous' ? anonymous : name === 'resident' ? resident : official(name)),
  }
}
