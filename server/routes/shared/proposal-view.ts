/** The translation keys of a proposal's status, track and themes. */
export function proposalKeys(proposal: { status: string; track: string; themes: readonly string[] }) {
  return {
    statusKey: `status.${proposal.status}`,
    trackKey: `track.${proposal.track}`,
    themeKeys: proposal.themes.map((theme) => `theme.${theme}`),
  }
}

/** Progress updates on a funded project, each with the key of its status. */
export function progressView<T extends { status: string }>(updates: readonly T[]) {
  return updates.map((update) => ({ ...update, statusKey: `results.progress.status.${update.status}` }))
}
