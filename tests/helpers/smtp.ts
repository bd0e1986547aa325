import type { FastifyInstance } from 'fastify'
import { SMTPServer } from 'smtp-server'
import type { Db } from '../../db/client.js'
import { testApp, type Teardown } from './app.js'

export interface Mail {
  to: string[]
  raw: string
}

/** The app on a fresh database, sending its mail to a real SMTP server on loopback whose inbox the test reads. */
export async function appWithInbox(t: Teardown): Promise<{ app: FastifyInstance; db: Db; inbox: Mail[] }> {
  const inbox: Mail[] = []
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = ''
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8')
      })
      stream.on('end', () => {
        // Undo quoted-printable soft line breaks so assertions read the text a person reads.
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: raw.replace(/=\r\n/g, '') })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const port = (smtp.server.address() as { port: number }).port
  t.teardown(() => new Promise<void>((resolve) => smtp.close(resolve)))
  const { app, db } = await testApp(t, {
    config: {
      smtp: {
        host: '127.0.0.1',
        port,
        from: 'Wijkbudget <wijkbudget@gemeente.example>',
        secure: false,
        user: undefined,
        password: undefined,
      },
    },
  })
  return { app, db, inbox }
}
