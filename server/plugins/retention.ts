import fp from 'fastify-plugin'
import { deleteExpiredContacts } from '../data/retention.js'

const HOUR = 60 * 60 * 1000

/**
 * Every instance runs the contact deletion at start and then hourly; the job is idempotent and
 * takes a database lock, so several instances never delete or audit twice.
 */
export default fp<{ contactRetentionDays: number }>(
  async (app, opts) => {
    let timer: NodeJS.Timeout | undefined
    const run = async () => {
      try {
        const count = await deleteExpiredContacts(app.db, new Date(), opts.contactRetentionDays)
        if (count > 0)
          app.log.info({ count }, 'contact details (submitters and followers) deleted after the retention period')
      } catch (err) {
        app.log.error({ err }, 'contact retention job failed')
      }
    }
    app.addHook('onReady', async () => {
      await run()
      timer = setInterval(() => void run(), HOUR)
      timer.unref()
    })
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'retention', dependencies: ['db'] },
)
