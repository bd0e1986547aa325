import type { FastifyInstance } from 'fastify'
import type { OutgoingMail } from '../../data/outbox.js'
import type { Proposal } from '../../data/proposals.js'
import { isolate, isolateLtr } from '../../domain/common/bidi.js'
import { formatEuro } from '../../formatters.js'
import { isLang, type Lang } from '../../i18n.js'
import type { ModerationAction } from '../../domain/proposals/moderation.js'

/**
 * The mail telling the submitter, in the language they wrote in, what an official decided (the
 * status page has the rest); null when they left no address.
 */
export function decisionMail(
  app: FastifyInstance,
  proposal: Proposal,
  action: ModerationAction,
  message: string | null,
): OutgoingMail | null {
  if (!proposal.contactEmail) return null
  const lang: Lang = isLang(proposal.lang) ? proposal.lang : 'nl'
  const t = (key: string, vars?: Record<string, unknown>) => app.translate(lang, key, vars)
  const cost = proposal.correctedCostCents ?? proposal.costCents
  const lines = [
    t('mail.greeting', { name: isolate(proposal.contactName) }),
    '',
    t(`mail.decision.${action}`, {
      title: isolate(proposal.title),
      reference: isolateLtr(proposal.reference),
      cost: formatEuro(cost, lang),
    }),
    ...(message ? ['', t('mail.message'), message] : []),
    '',
    t('mail.statusLink'),
    `${app.publicUrl}/status/${proposal.statusToken}`,
    '',
    t('mail.signature'),
  ]
  return {
    purpose: 'decision',
    to: proposal.contactEmail,
    subject: t('mail.subject', { reference: isolateLtr(proposal.reference) }),
    text: lines.join('\n'),
  }
}
