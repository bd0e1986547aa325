/**
 * The steps of publishing a city-sized round, in a process of its own so its peak memory is the
 * steps' alone: close the round, preview both tally rules, publish. Each step is what the admin's
 * request runs (the same data and domain functions, compiled); the route's HTML rendering aside. Reports
 * time and peak resident memory per step over IPC.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { desc, eq } from 'drizzle-orm'
import type { TallyRule } from '../server/domain/tally/tally.js'

// The compiled app, as production runs it (the bench script builds first): its count's thread then
// loads plain JavaScript, without the TypeScript loader.
const built = (path: string) => new URL(`../build/${path}`, import.meta.url).href
const { openServer } = (await import(built('db/client.js'))) as typeof import('../db/client.js')
const { auditLog } = (await import(built('db/schema.js'))) as typeof import('../db/schema.js')
const { SOFTWARE_VERSION } = (await import(built('server/assets.js'))) as typeof import('../server/assets.js')
const { previewResults } = (await import(built('server/data/results.js'))) as typeof import('../server/data/results.js')
const { findRound } = (await import(built('server/data/rounds.js'))) as typeof import('../server/data/rounds.js')
const { advanceRound } = (await import(
  built('server/usecases/phases.js')
)) as typeof import('../server/usecases/phases.js')
const { publishResult } = (await import(
  built('server/usecases/results.js')
)) as typeof import('../server/usecases/results.js')
const { resultRows } = (await import(
  built('server/routes/shared/result-view.js')
)) as typeof import('../server/routes/shared/result-view.js')

const { createTranslator } = (await import(built('server/i18n.js'))) as typeof import('../server/i18n.js')

const [url, id, officialId, email] = process.argv.slice(2)
// Nobody follows the bench's round; the use cases still want the words their mails would take.
const mailer = { translate: createTranslator(), publicUrl: 'http://localhost' }
const roundId = Number(id)
const official = { id: Number(officialId), email: email!, role: 'admin' as const }
const actor = { kind: 'official' as const, id: official.id, role: official.role }

const peakKb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1])
/** Linux resets the peak resident size when 5 is written here, so each step gets its own peak. */
const resetPeak = () => writeFileSync('/proc/self/clear_refs', '5')

const database = await openServer(url!, 10)
const steps: { name: string; ms: number; peakMb: number }[] = []
async function step(name: string, work: () => Promise<unknown>) {
  resetPeak()
  const started = performance.now()
  await work()
  steps.push({ name, ms: performance.now() - started, peakMb: peakKb() / 1024 })
}

const { db } = database
await step('close the round', async () => {
  const outcome = await advanceRound(db, {
    id: roundId,
    from: 'voting',
    actor,
    official,
    confirmedUnreviewed: [],
    now: new Date(),
    mailer,
  })
  if (outcome !== 'moved') throw new Error(`the round did not close: ${outcome}`)
})
let ballots = 0
await step('preview both rules', async () => {
  const round = (await findRound(db, roundId))!
  // As the route does: both rules counted and kept with the fingerprint of what they counted.
  const { data, previews } = await previewResults(
    db,
    round,
    ['equal-shares', 'greedy'] as TallyRule[],
    SOFTWARE_VERSION,
  )
  ballots = data.ballots.length
  for (const { outcome } of previews) resultRows(outcome, data.projects, 'nl')
})
await step('publish (count, shuffled .pb, hashes, audit)', async () => {
  const outcome = await publishResult(db, { roundId, actor, official, softwareVersion: SOFTWARE_VERSION, mailer })
  if (!('published' in outcome)) throw new Error('not published')
})
// Whether publishing took the previewed count (the audit entry says), read outside the measured step.
const [entry] = await db
  .select({ details: auditLog.details })
  .from(auditLog)
  .where(eq(auditLog.action, 'results.publish'))
  .orderBy(desc(auditLog.id))
  .limit(1)
const reusedPreview = entry?.details['reusedPreview'] === true
await database.close()
process.send!({ steps, ballots, reusedPreview })
