import fp from 'fastify-plugin'
import { closeDueRounds } from '../usecases/phases.js'

/** Often enough that the phase follows the planned end closely; the ballot statement refuses late ballots in between. */
const EVERY_MS = 30_000

/** Every instance runs this; closeDueRounds makes the runs of several instances close each round once. */
export default fp(
  async (app) => {
    let timer: NodeJS.Timeout | undefined
    let running: Promise<void> = Promise.resolve()
    const run = () => {
      running = closeDueRounds(app.db, new Date()).then(
        (closed) => {
          if (closed.length > 0) app.log.info({ rounds: closed }, 'voting closed at its planned end')
        },
        (error: unknown) => app.log.error({ err: error }, 'closing rounds at their planned end failed'),
      )
      return running
    }
    app.addHook('onReady', async () => {
      await run()
      timer = setInterval(() => void run(), EVERY_MS)
      timer.unref()
    })
    app.addHook('onClose', async () => {
      clearInterval(timer)
      await running
    })
  },
  { name: 'closer', dependencies: ['db'] },
)
