import type { Db } from '../../../db/client.js'
import { listUpdatePhotos } from '../../data/photos.js'
import { listMilestones } from '../../data/progress.js'
import { listProgressUpdates } from '../../data/results.js'
import { projectProgress } from '../../domain/results/progress.js'
import { summaryDay } from '../../domain/voting/equity.js'
import type { ResultProject } from './result-view.js'
import type { ShowText } from './official-texts.js'
import { photoView } from './photo-view.js'

/** Today's calendar day in Amsterdam: a milestone is late from the day after its planned day there. */
export const amsterdamToday = (now = new Date()) => summaryDay(now).day

/**
 * Each funded project as the progress pages show it: its status, spending against its cost, energy
 * planned beside reached, milestones (late ones marked) and its updates with their photos, oldest first; with the
 * round's totals. `show` gives a coach's translation of an update where there is one.
 */
export async function progressProjects(db: Db, funded: readonly ResultProject[], today: string, show?: ShowText) {
  const ids = funded.map((p) => p.id)
  const [updates, milestones] = await Promise.all([listProgressUpdates(db, ids), listMilestones(db, ids)])
  const photos = await listUpdatePhotos(
    db,
    updates.map((u) => u.id),
  )
  const projects = funded.map((project) => {
    const own = updates.filter((u) => u.proposalId === project.id)
    const state = projectProgress(
      project,
      own,
      milestones.filter((m) => m.proposalId === project.id),
      today,
    )
    const lastUpdate = own.at(-1)
    return {
      ...project,
      ...state,
      milestones: state.milestones.map((m) => ({
        ...m,
        shown: show?.({ kind: 'milestone', subjectId: m.id }, m.title),
      })),
      statusKey: `results.progress.status.${state.status}`,
      reasonShown:
        state.reason !== null && lastUpdate
          ? show?.({ kind: 'progress', subjectId: lastUpdate.id }, state.reason)
          : undefined,
      // The bar never runs past its box; the words say by how much a project went over.
      spentPercent: project.costCents > 0 ? Math.min(100, Math.round((state.spentCents / project.costCents) * 100)) : 0,
      energy: [
        { key: 'kwh', planned: project.kwhPerYear, reached: state.reached.kwhPerYear },
        { key: 'co2', planned: project.co2KgPerYear, reached: state.reached.co2KgPerYear },
        { key: 'households', planned: project.households, reached: state.reached.households },
      ]
        .filter((f) => f.planned !== null || f.reached !== null)
        .map((f) => ({
          ...f,
          labelKey: `progress.energy.${f.key}`,
          hasPlanned: f.planned !== null,
          hasReached: f.reached !== null,
        })),
      milestonesDone: state.milestones.filter((m) => m.doneOn !== null).length,
      milestonesLate: state.milestones.filter((m) => m.late).length,
      updates: own.map((u) => ({
        ...u,
        statusKey: `results.progress.status.${u.status}`,
        shown: show?.({ kind: 'progress', subjectId: u.id }, u.text),
        photos: photos.filter((p) => p.progressUpdateId === u.id).map((p) => photoView(p)),
      })),
    }
  })
  const active = projects.filter((p) => p.status !== 'cancelled')
  return {
    projects,
    totals: {
      spentCents: projects.reduce((sum, p) => sum + p.spentCents, 0),
      plannedCents: active.reduce((sum, p) => sum + p.costCents, 0),
      done: projects.filter((p) => p.status === 'done').length,
      cancelled: projects.length - active.length,
      late: projects.reduce((sum, p) => sum + p.milestonesLate, 0),
    },
  }
}
