import type { FastifyInstance } from 'fastify'
import { SMTPServer } from 'smtp-server'
import type { Db } from '../../db/client.js'
import type { SmtpConfig } from '../../server/config.js'
import { testApp, type Teardown, type TestAppOptions } from './app.js'

export interface Mail {
  to: string[]
  raw: string
}

/** A real SMTP server on loopback that a test can stop, start again, or have refuse mail. */
export interface MailServer {
  /** Every mail received, in order. */
  inbox: Mail[]
  /** The app's setting for this server. */
  config: SmtpConfig
  /** Called as each mail arrives, before the server answers the sender (after its promise): a test can stop or slow the server there. */
  onMail: ((mail: Mail) => void | Promise<void>) | undefined
  /** Stops listening; a connection that is open finishes its mail. */
  stop(): Promise<void>
  /** Listens again, on the same port. */
  start(): Promise<void>
  /** Answers every recipient with this temporary or permanent reply code; null to accept again. */
  refuse(code: number | null): void
}

export async function mailServer(t: Teardown): Promise<MailServer> {
  let refusing: number | null = null
  let server: SMTPServer | undefined
  let port = 0
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, session, callback) {
        if (refusing === null) return callback()
        callback(Object.assign(new Error('Try again later'), { responseCode: refusing }))
      },
      onData(stream, session, callback) {
        let raw = ''
        stream.on('data', (chunk: Buffer) => {
          raw += chunk.toString('utf8')
        })
        stream.on('end', () => {
          // Undo quoted-printable soft line breaks so assertions read the text a person reads.
          const mail = { to: session.envelope.rcptTo.map((r) => r.address), raw: raw.replace(/=\r\n/g, '') }
          ms.inbox.push(mail)
          void Promise.resolve(ms.onMail?.(mail)).then(() => callback())
        })
      },
    })
  const listen = async () => {
    const next = make()
    await new Promise<void>((resolve) => next.listen(port, '127.0.0.1', resolve))
    port = (next.server.address() as { port: number }).port
    server = next
  }
  const close = async () => {
    const closing = server
    server = undefined
    if (closing) await new Promise<void>((resolve) => closing.close(resolve))
  }
  const ms: MailServer = {
    inbox: [],
    config: undefined as unknown as SmtpConfig,
    onMail: undefined,
    stop: close,
    start: listen,
    refuse: (code) => {
      refusing = code
    },
  }
  await listen()
  ms.config = {
    host: '127.0.0.1',
    port,
    from: 'Wijkbudget <wijkbudget@gemeente.example>',
    secure: false,
    user: undefined,
    password: undefined,
  }
  t.teardown(close)
  return ms
}

/** The app on a fresh database (or `options.db`), sending its mail to a real SMTP server on loopback whose inbox the test reads. */
export async function appWithInbox(
  t: Teardown,
  options: TestAppOptions = {},
): Promise<{ app: FastifyInstance; db: Db; inbox: Mail[]; smtp: MailServer }> {
  const smtp = await mailServer(t)
  const { app, db } = await testApp(t, { ...options, config: { ...options.config, smtp: smtp.config } })
  return { app, db, inbox: smtp.inbox, smtp }
}
