import type { FastifyInstance } from 'fastify'
import type { Proposal } from '../../data/proposals.js'
import type { OutgoingMail } from '../../data/outbox.js'
import { isLang, type Lang } from '../../i18n.js'

/** Enough of an address to recognise it as one's own, too little to learn it from a shared screen: b•••@example.org. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  return at < 1 ? '•••' : `${email[0]}•••${email.slice(at)}`
}

/** The submitter's own link, in the language they wrote their idea in. */
export function statusLinkMail(app: FastifyInstance, proposal: Proposal, to: string): OutgoingMail {
  const lang: Lang = isLang(proposal.lang) ? proposal.lang : 'nl'
  const t = (key: string, vars?: Record<string, unknown>) => app.translate(lang, key, vars)
  return {
    purpose: 'status-link',
    to,
    subject: t('statusLink.mailSubject', { reference: proposal.reference }),
    text: t('statusLink.mailText', {
      name: proposal.contactName,
      title: proposal.title,
      reference: proposal.reference,
      url: `${app.publicUrl}/status/${proposal.statusToken}`,
    }),
  }
}
