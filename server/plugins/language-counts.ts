import fp from 'fastify-plugin'
import { addLanguageCounts, roundsPastVoting } from '../data/ballots.js'
import { LanguageSteps } from '../domain/voting/language-steps.js'

declare module 'fastify' {
  interface FastifyInstance {
    languageCounts: {
      /** Counts a code's first online ballot under its page's language; written in steps, never alone. */
      count(roundId: number, lang: string): Promise<void>
      /** Writes what waits for rounds whose voting has closed (their ballots no longer show an order). */
      flushClosed(): Promise<void>
    }
  }
}

/** As often as the closer runs: a closed round's last language counts follow its close within this. */
const EVERY_MS = 30_000

/**
 * Language counts wait in this process until a round has LANGUAGE_STEP of them, or its voting has
 * closed; only then are they written, in one transaction. Counts of a round still voting are
 * dropped at shutdown rather than written as a small step that could point at a ballot.
 */
export default fp(
  async (app) => {
    const steps = new LanguageSteps()

    async function write(roundId: number) {
      const counts = steps.take(roundId)
      if (!counts) return
      try {
        await addLanguageCounts(app.db, roundId, counts)
      } catch (err) {
        steps.putBack(roundId, counts)
        app.log.error({ err }, 'writing language counts failed; they wait for the next step')
      }
    }

    async function flushClosed() {
      for (const roundId of await roundsPastVoting(app.db, steps.rounds())) await write(roundId)
    }

    app.decorate('languageCounts', {
      async count(roundId: number, lang: string) {
        if (steps.add(roundId, lang)) await write(roundId)
      },
      flushClosed,
    })

    let timer: NodeJS.Timeout | undefined
    let running: Promise<void> = Promise.resolve()
    const run = () => {
      running = flushClosed().catch((err: unknown) =>
        app.log.error({ err }, 'writing closed rounds’ language counts failed'),
      )
      return running
    }
    app.addHook('onReady', async () => {
      timer = setInterval(() => void run(), EVERY_MS)
      timer.unref()
    })
    app.addHook('onClose', async () => {
      clearInterval(timer)
      await running
      await run()
      const dropped = steps.size()
      if (dropped > 0) app.log.warn({ ballots: dropped }, 'language counts of rounds still voting not written')
    })
  },
  { name: 'language-counts', dependencies: ['db'] },
)
