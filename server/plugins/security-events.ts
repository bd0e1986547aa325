import fp from 'fastify-plugin'
import { hitRateLimit } from '../data/rate-limits.js'
import type { SecurityEvent } from '../data/security.js'
import { SECURITY_LIMITS } from '../domain/security/events.js'
import { DEFAULT_LANG } from '../i18n.js'
import { reportSecurityEvent } from '../usecases/security.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Records a security event in the audit log; a burst is also mailed to admins (through the outbox). */
    securityEvent(event: SecurityEvent): Promise<void>
  }
}

export default fp(
  async (app) => {
    app.decorate('securityEvent', async (event: SecurityEvent) => {
      const vars = {
        action: app.translate(DEFAULT_LANG, `security.action.${event.action}`),
        object: event.object,
        origin: event.origin,
        url: `${app.publicUrl}/official/security`,
      }
      await reportSecurityEvent(app.db, event, (to) => ({
        purpose: 'security',
        to,
        subject: app.translate(DEFAULT_LANG, 'security.mail.subject', vars),
        text: app.translate(DEFAULT_LANG, 'security.mail.text', vars),
      }))
    })

    // A refused request to an official page is worth knowing about; a flood of them from one address is recorded only at its start.
    // Recorded before the answer leaves (onSend), so the event is in the log by the time anyone can look.
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode !== 403 || !request.url.startsWith('/official')) return payload
      const { count } = await hitRateLimit(app.db, `forbidden:${request.ip}`, SECURITY_LIMITS.forbiddenWindowMs)
      if (count > SECURITY_LIMITS.forbiddenPerAddress) return payload
      const official = request.official
      await app.securityEvent({
        action: 'security.forbidden',
        officialId: official?.id ?? null,
        actor: official?.email ?? 'anonymous',
        object: `path:${request.method} ${request.url.split('?')[0]}`,
        origin: request.ip,
      })
      return payload
    })
  },
  { name: 'security-events', dependencies: ['db', 'auth', 'mail', 'views'] },
)
