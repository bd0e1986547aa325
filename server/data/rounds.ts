import { asc, eq, ne } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { rounds } from '../../db/schema.js'

export type Round = typeof rounds.$inferSelect

export function listRounds(db: Db): Promise<Round[]> {
  return db.select().from(rounds).orderBy(asc(rounds.id))
}

export async function findRoundBySlug(db: Db, slug: string): Promise<Round | undefined> {
  const [row] = await db.select().from(rounds).where(eq(rounds.slug, slug))
  return row
}

/** Drafts are the admins' own until they open for proposals. */
export function listPublicRounds(db: Db): Promise<Round[]> {
  return db.select().from(rounds).where(ne(rounds.phase, 'draft')).orderBy(asc(rounds.id))
}
