import { degreesText } from '../../domain/proposals/place.js'

/** A proposal's point for a map's data attributes, or null when it has none. */
export function pointView(proposal: { latitude: number | null; longitude: number | null }) {
  if (proposal.latitude === null || proposal.longitude === null) return null
  return { lat: degreesText(proposal.latitude), lng: degreesText(proposal.longitude) }
}

export const ROUND_VIEWS = ['list', 'map'] as const
export type RoundView = (typeof ROUND_VIEWS)[number]

/** The round page's view from its address; anything else (an old or edited link) is the list. */
export function readRoundView(view: string | undefined): RoundView {
  return view === 'map' ? 'map' : 'list'
}

/**
 * The map view's projects: the approved proposals, each with its point or saying it has none, so
 * the list under the map holds every project and the map only those it can place.
 */
export function mapListView<
  T extends { status: string; latitude: number | null; longitude: number | null; reference: string },
>(proposals: readonly T[]) {
  const approved = proposals.filter((p) => p.status === 'approved').map((p) => ({ ...p, point: pointView(p) }))
  return { proposals: approved, placed: approved.filter((p) => p.point !== null).length }
}
