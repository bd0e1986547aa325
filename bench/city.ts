import { randomBytes, randomInt } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { officials, proposals, rounds } from '../db/schema.js'
import { insertCodeBatch } from '../server/data/voting-codes.js'
import { generateCode, hashCode, normaliseCode } from '../server/domain/voting/codes.js'
import { SECRETS } from './fixture.js'

export const CITY_SLUG = 'burgerbegroting-stad-bench'
export const CITY = { codes: 300_000, ballots: 200_000, projects: 150, districts: 6 }
const EUR = 100
const TRACKS = ['financial-technical', 'social', 'spatial'] as const
const THEMES = ['energy-poverty', 'loneliness', 'ageing', 'safety', 'green', 'jobs-language']

export interface CityRound {
  roundId: number
  official: { id: number; email: string; role: 'admin' }
  seedMs: number
}

/**
 * A round of Warsaw's or Paris's size in the voting phase: 150 approved projects of € 20,000 to
 * € 2,000,000 for a budget of € 30 million, 300,000 letter codes in six districts made the way an
 * admin makes them, and 200,000 ballots of one to ten projects each (online and paper).
 */
export async function seedCityRound(
  db: Db,
  size = CITY,
  format: 'knapsack' | 'points' = 'knapsack',
): Promise<CityRound> {
  const points = format === 'points'
  const started = performance.now()
  const [official] = await db
    .insert(officials)
    .values({ email: 'city-bench@example.test', name: 'Bench', role: 'admin', passwordHash: 'not-a-hash' })
    .returning()
  const [round] = await db
    .insert(rounds)
    .values({
      slug: CITY_SLUG,
      title: 'Burgerbegroting (bench)',
      neighbourhood: 'De hele stad',
      description: 'Een ronde op de schaal van Warschau of Parijs.',
      budgetCents: 30_000_000 * EUR,
      phase: 'voting',
      ballotFormat: format,
      // Points: ten to spread, at most five on one project (Toulouse gave seven, Częstochowa ten).
      ...(points ? { pointsPerVoter: 10, maxPointsPerProject: 5 } : {}),
      tallyRule: 'equal-shares',
    })
    .returning()
  const roundId = round!.id
  const submitted = Date.now() - 90 * 86_400_000
  await db.insert(proposals).values(
    Array.from({ length: size.projects }, (_, i) => {
      const euros = 20_000 + ((i * 7_919) % 99) * 20_000
      return {
        roundId,
        reference: `STAD-${String(i + 1).padStart(4, '0')}`,
        statusToken: randomBytes(24).toString('base64url'),
        title: `Project ${i + 1}: ${['zonnedaken', 'warmtenet', 'isolatie', 'groene school', 'deelauto’s', 'buurtbatterij'][i % 6]} in wijk ${1 + (i % 12)}`,
        summary:
          'Een project voor de hele stad, met een samenvatting van een paar regels zoals bewoners die schrijven.',
        description: 'Beschrijving.',
        costCents: euros * EUR,
        track: TRACKS[i % 3]!,
        themes: [THEMES[i % 6]!, THEMES[(i + 2) % 6]!],
        kwhPerYear: i % 3 === 0 ? 10_000 + i * 500 : null,
        co2KgPerYear: i % 3 === 0 ? 4_500 + i * 200 : null,
        households: i % 2 === 0 ? 100 + i : null,
        contactName: 'Bewoner',
        status: 'approved' as const,
        submittedAt: new Date(submitted + i * 60_000),
      }
    }),
  )
  const perDistrict = Math.ceil(size.codes / size.districts)
  for (let d = 0; d < size.districts; d++) {
    const n = Math.min(perDistrict, size.codes - d * perDistrict)
    const hashes = Array.from({ length: n }, () => hashCode(SECRETS.codeKey, normaliseCode(generateCode(randomInt))!))
    await insertCodeBatch(db, { roundId, groupLabel: `district ${d + 1}`, hashes, official: official! })
  }
  // Ballots straight in SQL: one to ten random projects each, drawn per row (the row's id keeps the subquery per row).
  // Ten projects cost at most € 20 million, so every ballot fits the € 30 million.
  // A points ballot gives its k projects one point each and its first the rest of the ten, at most five.
  await db.execute(sql`
    insert into ballots (round_id, code_id, channel, project_ids, points, receipt)
    select ${roundId}, c.id, (case when c.id % 20 = 0 and not ${points} then 'paper' else 'online' end)::ballot_channel,
      array(select p.id from proposals p where p.round_id = ${roundId} and c.id > 0 order by random() limit 1 + (c.id * 7 % 10)),
      case when ${points} then array_cat(array[least(5, 10 - (c.id * 7 % 10))], array_fill(1, array[c.id * 7 % 10])) end,
      md5(c.id::text || random()::text)
    from voting_codes c where c.round_id = ${roundId} order by c.id limit ${size.ballots}`)
  await db.execute(sql`analyze`)
  return {
    roundId,
    official: { id: official!.id, email: official!.email, role: 'admin' },
    seedMs: performance.now() - started,
  }
}
