import t from 'tap'
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { languageTurnout, rounds } from '../../../db/schema.js'
import { closeDueRounds } from '../../../server/usecases/phases.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'

const { db, round, roundId, byTitle, nextCode } = await demoRound(t, { phase: 'voting', codes: 4, officials: [] })

async function vote(app: FastifyInstance, lang: string) {
  const resident = new Visitor(app)
  await resident.get(`/rounds/${round.slug}/vote?lang=${lang}`)
  await resident.post(`/rounds/${round.slug}/vote`, { code: nextCode() })
  await resident.get(`/rounds/${round.slug}/vote/ballot`)
  const cast = await resident.post(`/rounds/${round.slug}/vote/ballot`, {
    projects: [String(byTitle('Energiecafé').id)],
    intent: 'submit',
  })
  t.equal(cast.statusCode, 303)
}

const counted = async () =>
  Object.fromEntries(
    (await db.select().from(languageTurnout).where(eq(languageTurnout.roundId, roundId))).map((r) => [
      r.lang,
      r.ballots,
    ]),
  )

t.test(
  'an instance that shuts down while voting writes no step smaller than LANGUAGE_STEP; one that shuts down after closing writes what it held',
  async (t) => {
    const deployed = (await testApp(t, { db })).app
    await vote(deployed, 'ar')
    await vote(deployed, 'nl')
    await deployed.close()
    t.same(await counted(), {}, 'the two counts of a round still voting are dropped, not written alone')

    const other = (await testApp(t, { db })).app
    await vote(other, 'ar')
    await vote(other, 'tr')
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
    await db.update(rounds).set({ votingUntil: yesterday }).where(eq(rounds.id, roundId))
    t.same(await closeDueRounds(db, new Date()), [roundId])
    await other.close()
    t.same(await counted(), { ar: 1, tr: 1 }, 'after the close, the shutdown writes them')
  },
)
