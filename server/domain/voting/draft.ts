import type { GivenPoints } from './ballot.js'

/**
 * A draft: the choices a resident made on the ballot but did not cast, kept while they read one
 * project's page and shown ticked when they come back. It is a preselection, never a vote: it is
 * not stored with the ballots, and casting checks the ballot as sent, whatever a draft held.
 */
export type Draft = readonly { id: number; points: number }[]

/** A cookie holds about 4 KB; a draft longer than this is not kept (no ballot has that many choices). */
export const DRAFT_MAX_CHARS = 3000

/**
 * What a draft keeps of the ballot as the form sent it: the projects on this code's ballot with
 * points given (a tick is one point), each once. What is not a whole number is left out.
 */
export function keptChoices(given: GivenPoints, onBallot: readonly number[]): Draft {
  const ballot = new Set(onBallot)
  const kept = new Map<number, number>()
  for (const { id, points } of given) {
    if (ballot.has(id) && !kept.has(id) && points !== null && points > 0) kept.set(id, points)
  }
  return [...kept].map(([id, points]) => ({ id, points }))
}

/** The draft as text for one code in one round (a signed cookie carries it); null when it is too long to keep. */
export function draftText(roundId: number, codeId: number, draft: Draft): string | null {
  const text = `${roundId}.${codeId}.${draft.map((d) => `${d.id}_${d.points}`).join('-')}`
  return text.length <= DRAFT_MAX_CHARS ? text : null
}

const DRAFT = /^(\d{1,9})\.(\d{1,9})\.((?:\d{1,9}_\d{1,6})(?:-\d{1,9}_\d{1,6})*)?$/

/** The draft that text holds for this code in this round; null for another code's or round's, or for anything else. */
export function readDraft(text: string, roundId: number, codeId: number): Draft | null {
  const match = DRAFT.exec(text)
  if (!match || Number(match[1]) !== roundId || Number(match[2]) !== codeId) return null
  if (match[3] === undefined) return []
  return match[3].split('-').map((entry) => {
    const [id, points] = entry.split('_').map(Number)
    return { id: id!, points: points! }
  })
}
