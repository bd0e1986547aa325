import fp from 'fastify-plugin'
import { sendLaggingSummaries } from '../usecases/equity.js'

const QUARTER_HOUR = 15 * 60 * 1000

/**
 * Every instance looks every quarter of an hour whether today's summary of lagging groups is due;
 * the use case claims the day per round in the database, so it goes out once whatever runs it.
 */
export default fp(
  async (app) => {
    let timer: NodeJS.Timeout | undefined
    let running: Promise<void> = Promise.resolve()
    const run = () => {
      running = sendLaggingSummaries(app.db, app, new Date()).then(
        (rounds) => {
          if (rounds.length > 0) app.log.info({ rounds }, 'daily summary of lagging groups queued')
        },
        (err: unknown) => app.log.error({ err }, 'daily summary of lagging groups failed'),
      )
      return running
    }
    app.addHook('onReady', async () => {
      await run()
      timer = setInterval(() => void run(), QUARTER_HOUR)
      timer.unref()
    })
    app.addHook('onClose', async () => {
      clearInterval(timer)
      await running
    })
  },
  { name: 'equity-summary', dependencies: ['db'] },
)
