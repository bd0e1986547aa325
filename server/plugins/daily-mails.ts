import fp from 'fastify-plugin'
import { sendLaggingSummaries } from '../usecases/equity.js'
import { remindPastMilestones } from '../usecases/progress.js'

const QUARTER_HOUR = 15 * 60 * 1000

/**
 * Every instance looks every quarter of an hour whether a daily mail is due: the summary of lagging
 * groups while voting is open, and the reminder of milestones that passed without news. Each use
 * case claims what it sends in the database, so it goes out once whatever runs it.
 */
export default fp(
  async (app) => {
    let timer: NodeJS.Timeout | undefined
    let running: Promise<unknown> = Promise.resolve()
    const run = () => {
      const now = new Date()
      running = Promise.all([
        sendLaggingSummaries(app.db, app, now).then(
          (rounds) => {
            if (rounds.length > 0) app.log.info({ rounds }, 'daily summary of lagging groups queued')
          },
          (err: unknown) => app.log.error({ err }, 'daily summary of lagging groups failed'),
        ),
        remindPastMilestones(app.db, app, now).then(
          (milestones) => {
            if (milestones.length > 0) app.log.info({ milestones }, 'reminder of past milestones queued')
          },
          (err: unknown) => app.log.error({ err }, 'reminder of past milestones failed'),
        ),
      ])
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
  { name: 'daily-mails', dependencies: ['db'] },
)
