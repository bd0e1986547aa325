import fp from 'fastify-plugin'
import type { SmtpConfig } from '../config.js'

export interface Mail {
  to: string
  subject: string
  text: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends one mail; resolves false (and logs) when it could not, since a lost mail must never undo a decision. */
    sendMail(mail: Mail): Promise<boolean>
  }
}

export default fp<{ smtp: SmtpConfig | undefined }>(
  async (app, opts) => {
    const smtp = opts.smtp
    // Loaded only when mail is configured: without SMTP the library would only take memory.
    const transport = smtp
      ? (await import('nodemailer')).default.createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
          connectionTimeout: 10_000,
        })
      : undefined

    app.decorate('sendMail', async (mail: Mail) => {
      if (!transport || !smtp) return false
      try {
        await transport.sendMail({ from: smtp.from, to: mail.to, subject: mail.subject, text: mail.text })
        return true
      } catch (error) {
        app.log.error({ err: error }, 'mail could not be sent')
        return false
      }
    })
    app.addHook('onClose', async () => transport?.close())
  },
  { name: 'mail' },
)
