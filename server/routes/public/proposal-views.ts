import type { ProposalEvent } from '../../data/proposal-events.js'
import type { ListedProposal, ProposalFilter, PublicProposal } from '../../data/proposals.js'
import { isTheme, isTrack, messageIsPublic, THEMES, TRACKS } from '../../domain/proposals/rules.js'
import { proposalKeys } from '../shared/proposal-view.js'
import type { ShowText } from '../shared/official-texts.js'
import { OFFICIAL_LANG, showText } from '../../domain/translations/texts.js'

/** Officials' words as they are written, for a page that shows no translations. */
const asWritten: ShowText = (_ref, original) => showText(original, undefined, OFFICIAL_LANG)

/**
 * A proposal's history, officials' messages in the reader's language where a coach translated
 * them; the public does not read what was asked of the submitter.
 */
export function historyView(events: ProposalEvent[], audience: 'public' | 'submitter', show = asWritten) {
  return events.map((event) => {
    const readable = audience === 'submitter' || messageIsPublic(event.kind) ? event.message : null
    return {
      kind: event.kind,
      eventKey: `proposals.event.${event.kind}`,
      messageKey: `proposals.eventMessage.${event.kind}`,
      isMerged: event.kind === 'merged',
      at: event.at,
      message: readable,
      shown: readable && event.officialId !== null ? show({ kind: 'decision', subjectId: event.id }, readable) : null,
    }
  })
}

/** The cost justification is the message of the last cost correction: shown in its translation where there is one. */
export function justificationShown(
  proposal: Pick<PublicProposal, 'costJustification'>,
  events: ProposalEvent[],
  show: ShowText,
) {
  if (!proposal.costJustification) return null
  const correction = [...events]
    .reverse()
    .find((e) => e.kind === 'cost_corrected' && e.message === proposal.costJustification)
  return correction
    ? show({ kind: 'decision', subjectId: correction.id }, proposal.costJustification)
    : asWritten({ kind: 'decision', subjectId: 0 }, proposal.costJustification)
}

/** The energy figures the submitter gave; those left empty are not shown. */
export function figuresView(proposal: Pick<PublicProposal, 'kwhPerYear' | 'co2KgPerYear' | 'households'>) {
  const figures = [
    { labelKey: 'proposals.detail.kwhPerYear', value: proposal.kwhPerYear },
    { labelKey: 'proposals.detail.co2KgPerYear', value: proposal.co2KgPerYear },
    { labelKey: 'proposals.detail.households', value: proposal.households },
  ]
  return figures.filter((figure) => figure.value !== null)
}

export function readFilter(query: { theme?: string; track?: string }): ProposalFilter {
  return {
    ...(isTheme(query.theme) ? { theme: query.theme } : {}),
    ...(isTrack(query.track) ? { track: query.track } : {}),
  }
}

/** The filter form's choices, with the current ones selected. */
export function filterView(filter: ProposalFilter) {
  return {
    themes: THEMES.map((value) => ({ value, key: `theme.${value}`, selected: filter.theme === value })),
    tracks: TRACKS.map((value) => ({ value, key: `track.${value}`, selected: filter.track === value })),
  }
}

/** Rejected ideas stay visible (transparency) but in their own section after the rest, so they do not crowd the live ones. */
const withKeys = <T extends ListedProposal>(proposal: T) => ({ ...proposal, ...proposalKeys(proposal) })

export function listView<T extends ListedProposal>(proposals: T[], filter: ProposalFilter) {
  return {
    count: proposals.length,
    filtered: filter.theme !== undefined || filter.track !== undefined,
    active: proposals.filter((p) => p.status !== 'rejected').map(withKeys),
    rejected: proposals.filter((p) => p.status === 'rejected').map(withKeys),
  }
}
