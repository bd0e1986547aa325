import fp from 'fastify-plugin'
import type { SmtpConfig } from '../config.js'
import {
  claimDueMails,
  deleteDoneMails,
  markFailed,
  markSent,
  onMailEnqueued,
  type ClaimedMail,
} from '../data/outbox.js'
import {
  BATCH,
  CLAIM_MS,
  givesUp,
  KEEP_FAILED_DAYS,
  KEEP_SENT_DAYS,
  mailFailure,
  retryDelayMs,
  SEND_TIMEOUT_MS,
  type MailFailure,
  type TransportError,
} from '../domain/mail/outbox.js'

export interface Delivery {
  sent: number
  failed: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * One pass of the mail worker: sends every due mail in the outbox, after any pass already
     * running on this instance. Without SMTP it sends nothing and the mails wait.
     */
    deliverMail(): Promise<Delivery>
    /** Whether a mail server is configured: without it, mail waits in the outbox. */
    mailConfigured: boolean
  }
}

const HOUR = 60 * 60 * 1000

/**
 * The mail worker, on every instance: it sends what the outbox holds on an interval, and right
 * after a request that put mail in it, so a mail normally leaves within a second. Claims keep
 * two instances from sending one mail twice.
 */
export default fp<{ smtp: SmtpConfig | undefined; pollMs: number }>(
  async (app, opts) => {
    const smtp = opts.smtp
    // Loaded only when mail is configured: without SMTP the library would only take memory.
    const transport = smtp
      ? (await import('nodemailer')).default.createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
          connectionTimeout: SEND_TIMEOUT_MS,
          greetingTimeout: SEND_TIMEOUT_MS,
          socketTimeout: SEND_TIMEOUT_MS,
        })
      : undefined

    const send = (mail: ClaimedMail) =>
      transport!.sendMail({
        from: smtp!.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: mail.headers,
      })

    const fail = async (mail: ClaimedMail, failure: MailFailure) => {
      const attempts = mail.attempts + 1
      const given = givesUp(attempts, failure.permanent)
      await markFailed(app.db, mail.id, {
        attempts,
        kind: failure.kind,
        retryMs: retryDelayMs(attempts),
        givesUp: given,
      })
      // The id, purpose and code only: the error's own text can quote the address.
      const entry = { mail: mail.id, purpose: mail.purpose, attempts, error: failure.kind }
      if (given) app.log.error(entry, 'mail given up')
      else app.log.warn(entry, 'mail not sent; it will be tried again')
    }

    /** Sends one claimed batch; stops at a failure of the server's, counting it for the rest. */
    const sendBatch = async (batch: ClaimedMail[], result: Delivery): Promise<boolean> => {
      for (const [i, mail] of batch.entries()) {
        try {
          await send(mail)
        } catch (error) {
          const failure = mailFailure(error as TransportError)
          const rest = failure.serverWide ? batch.slice(i) : [mail]
          for (const m of rest) await fail(m, failure)
          result.failed += rest.length
          if (failure.serverWide) return false
          continue
        }
        await markSent(app.db, mail.id)
        result.sent++
      }
      return true
    }

    let lastCleanup = 0
    const pass = async (): Promise<Delivery> => {
      const result = { sent: 0, failed: 0 }
      if (!transport) return result
      for (;;) {
        const batch = await claimDueMails(app.db, BATCH, CLAIM_MS)
        if (batch.length === 0 || !(await sendBatch(batch, result))) break
      }
      if (Date.now() - lastCleanup > HOUR) {
        lastCleanup = Date.now()
        await deleteDoneMails(app.db, KEEP_SENT_DAYS, KEEP_FAILED_DAYS)
      }
      return result
    }

    // Passes on one instance run one after the other; a nudge while one waits to start adds none.
    let tail: Promise<unknown> = Promise.resolve()
    let queued = false
    let closing = false
    const deliver = (): Promise<Delivery> => {
      const next = tail.then(() => {
        queued = false
        return pass()
      })
      tail = next.catch(() => undefined)
      return next
    }
    const nudge = () => {
      if (closing || queued || !transport) return
      queued = true
      deliver().catch((error: unknown) => app.log.error({ err: error }, 'mail worker failed'))
    }

    app.decorate('deliverMail', deliver)
    app.decorate('mailConfigured', transport !== undefined)

    // A request that put mail in the outbox has committed it by the time its answer is sent.
    let enqueued = false
    const stopListening = onMailEnqueued(() => {
      enqueued = true
    })
    app.addHook('onResponse', async () => {
      if (!enqueued) return
      enqueued = false
      nudge()
    })

    let timer: NodeJS.Timeout | undefined
    app.addHook('onReady', async () => {
      nudge()
      timer = setInterval(nudge, opts.pollMs)
      timer.unref()
    })
    app.addHook('onClose', async () => {
      closing = true
      stopListening()
      clearInterval(timer)
      await tail
      transport?.close()
    })
  },
  { name: 'mail', dependencies: ['db'] },
)
