import type { Db } from '../../db/client.js'
import { listSummaryReaders } from '../data/equity.js'
import { enqueueMail } from '../data/outbox.js'
import { insertPhotos, type NewPhoto } from '../data/photos.js'
import {
  claimReminders,
  countMilestones,
  insertMilestone,
  insertProgressUpdate,
  lastStatus,
  milestonesPastDue,
  setMilestoneDone,
} from '../data/progress.js'
import { listProgressUpdates } from '../data/results.js'
import { isolate } from '../domain/common/bidi.js'
import { MAX_MILESTONES, milestonesToRemind, type ProgressUpdateInput } from '../domain/results/progress.js'
import { summaryDay } from '../domain/voting/equity.js'
import { DEFAULT_LANG } from '../languages.js'
import { tellFollowers, type MailWords } from './follows.js'

type Official = { id: number; email: string }

/**
 * An official reports on a funded project. When the update changes the project's status (or is
 * its first), the project's followers hear of it in the same transaction, through the outbox. Its photos
 * are stored with it.
 */
export async function postProgress(
  db: Db,
  mailer: MailWords,
  roundId: number,
  update: ProgressUpdateInput,
  official: Official,
  photos: readonly NewPhoto[] = [],
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lastStatus(tx, update.proposalId)
    const id = await insertProgressUpdate(tx, roundId, update, official)
    await insertPhotos(tx, { roundId, proposalId: update.proposalId, progressUpdateId: id }, photos, official)
    if (before !== update.status)
      await tellFollowers(tx, mailer, {
        kind: 'project-status',
        roundId,
        proposalId: update.proposalId,
        status: update.status,
        text: update.text,
      })
  })
}

/** A new milestone for a funded project; false when the project already has as many as a page can show. */
export async function addMilestone(
  db: Db,
  roundId: number,
  milestone: { proposalId: number; title: string; plannedOn: string },
  official: Official,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if ((await countMilestones(tx, milestone.proposalId)) >= MAX_MILESTONES) return false
    await insertMilestone(tx, roundId, milestone, official)
    return true
  })
}

export function reachMilestone(
  db: Db,
  roundId: number,
  milestoneId: number,
  doneOn: string | null,
  official: Official,
): Promise<boolean> {
  return db.transaction((tx) => setMilestoneDone(tx, roundId, milestoneId, doneOn, official))
}

/**
 * From 08:00 Amsterdam, one mail to the active admins and moderators naming the milestones whose planned
 * day passed without the milestone reached or any news on its project since. Each milestone is
 * claimed in the transaction that queues the mail, so a second instance or run sends nothing again.
 * Officials have no language of their own yet: the mail is Dutch. Returns the milestones named.
 */
export async function remindPastMilestones(db: Db, mailer: MailWords, now: Date): Promise<number[]> {
  const { day, due } = summaryDay(now)
  if (!due) return []
  const past = await milestonesPastDue(db, day)
  if (past.length === 0) return []
  const updates = await listProgressUpdates(db, [...new Set(past.map((m) => m.proposalId))])
  // Updates come oldest first per project: the last one seen is the latest.
  const lastUpdate = new Map(updates.map((u) => [u.proposalId, { on: u.on, status: u.status }]))
  const remind = milestonesToRemind(past, lastUpdate, day)
  if (remind.length === 0) return []
  return db.transaction(async (tx) => {
    const claimed = new Set(
      await claimReminders(
        tx,
        remind.map((m) => m.id),
      ),
    )
    const named = remind.filter((m) => claimed.has(m.id))
    if (named.length === 0) return []
    const t = (key: string, vars?: Record<string, unknown>) => mailer.translate(DEFAULT_LANG, key, vars)
    const lines = named.map((m) =>
      t('progress.reminder.line', {
        project: isolate(m.projectTitle),
        milestone: isolate(m.title),
        round: isolate(m.roundTitle),
        planned: m.plannedOn,
      }),
    )
    // Those who may post the news the reminder asks for.
    const readers = await listSummaryReaders(tx, ['admin', 'moderator'])
    await enqueueMail(
      tx,
      ...readers.map((reader) => ({
        to: reader.email,
        subject: t('progress.reminder.subject', { count: named.length }),
        text: [
          t('progress.reminder.greeting', { name: reader.name }),
          '',
          t('progress.reminder.intro', { count: named.length }),
          ...lines,
          '',
          `${mailer.publicUrl}/official`,
          '',
          t('mail.signature'),
        ].join('\n'),
        purpose: 'milestone-reminder',
      })),
    )
    return named.map((m) => m.id)
  })
}
