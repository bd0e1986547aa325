import type { Db } from '../../db/client.js'
import { turnout } from '../data/ballots.js'
import { appendAudit } from '../data/audit.js'
import { claimSummaryDay, listSummaryReaders, listVotingRounds, loadEquity, replaceEquity } from '../data/equity.js'
import { enqueueMail } from '../data/outbox.js'
import { isolate } from '../domain/common/bidi.js'
import { phaseAt } from '../domain/rounds/phases.js'
import { summaryDay, turnoutAgainstPopulation, type EquitySettings } from '../domain/voting/equity.js'
import { turnoutFigures } from '../domain/voting/turnout.js'
import { DEFAULT_LANG } from '../languages.js'
import type { MailWords } from './follow-mails.js'

const DUTCH_NUMBER = new Intl.NumberFormat(DEFAULT_LANG, { maximumFractionDigits: 1 })

/** An admin enters the groups' populations and the round's equity settings; audited with what was there before. */
export async function savePopulations(
  db: Db,
  roundId: number,
  populations: ReadonlyMap<string, number>,
  settings: EquitySettings,
  official: { id: number; email: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await replaceEquity(tx, roundId, populations, settings)
    await appendAudit(tx, {
      officialId: official.id,
      actor: official.email,
      action: 'equity.populations',
      object: `round:${roundId}`,
      details: {
        old: { populations: Object.fromEntries(before.populations), ...before.settings },
        new: { populations: Object.fromEntries(populations), ...settings },
      },
    })
  })
}

/** Turnout per group against its population, with the groups that lag, for the officials' page and the summary. */
export async function equityFigures(db: Db, roundId: number) {
  const [counts, equity] = await Promise.all([turnout(db, roundId), loadEquity(db, roundId)])
  const figures = turnoutFigures(counts)
  return {
    ...figures,
    settings: equity.settings,
    ...turnoutAgainstPopulation(figures.groups, equity.populations, equity.settings.lagPoints),
  }
}

/**
 * Once a day while voting is open, a mail to every admin and coach per round whose groups lag,
 * naming them. The day is claimed in the transaction that queues the mails, so a second run or a
 * second instance finds it taken. Officials have no language of their own yet: the mail is Dutch.
 * Returns the rounds a summary was queued for.
 */
export async function sendLaggingSummaries(db: Db, mailer: MailWords, now: Date): Promise<number[]> {
  const { day, due } = summaryDay(now)
  if (!due) return []
  const sent: number[] = []
  for (const round of await listVotingRounds(db)) {
    if (phaseAt(round, now) !== 'voting') continue
    const queued = await db.transaction(async (tx) => {
      const figures = await equityFigures(tx, round.id)
      if (figures.lagging.length === 0) return false
      if (!(await claimSummaryDay(tx, round.id, day))) return false
      const t = (key: string, vars?: Record<string, unknown>) => mailer.translate(DEFAULT_LANG, key, vars)
      const lines = figures.lagging.map((g) =>
        t('equity.mail.line', {
          group: isolate(g.label ?? ''),
          percent: DUTCH_NUMBER.format(g.populationPercent ?? 0),
          average: DUTCH_NUMBER.format(figures.average ?? 0),
        }),
      )
      const readers = await listSummaryReaders(tx)
      await enqueueMail(
        tx,
        ...readers.map((reader) => ({
          to: reader.email,
          subject: t('equity.mail.subject', { title: isolate(round.title) }),
          text: [
            t('equity.mail.greeting', { name: reader.name }),
            '',
            t('equity.mail.intro', { title: isolate(round.title), points: figures.settings.lagPoints }),
            '',
            ...lines,
            '',
            t('equity.mail.why'),
            `${mailer.publicUrl}/official/rounds/${round.id}/turnout`,
            '',
            t('mail.signature'),
          ].join('\n'),
          purpose: 'equity-summary',
        })),
      )
      return true
    })
    if (queued) sent.push(round.id)
  }
  return sent
}
