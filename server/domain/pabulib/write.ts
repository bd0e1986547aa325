import type { PbElection } from './election.js'

function field(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

function row(values: readonly string[]): string {
  return values.map(field).join(';')
}

/** Ids and categories go into comma-separated lists, so they may hold no comma. */
function list(items: readonly (string | number)[]): string {
  const texts = items.map(String)
  const bad = texts.find((item) => item.includes(','))
  if (bad !== undefined) throw new RangeError(`"${bad}" contains a comma and cannot go in a .pb list`)
  return texts.join(',')
}

/** The other columns' names, in the order they first appear. */
function fieldNames(rows: readonly { fields: Record<string, string> }[]): string[] {
  const names = new Set<string>()
  for (const { fields } of rows) for (const name of Object.keys(fields)) names.add(name)
  return [...names]
}

/**
 * Serialises an election to .pb text (for the open data export of
 * anonymised ballots). num_projects and num_votes are set from the rows so
 * the file is always consistent.
 */
export function writePb(election: PbElection): string {
  const { projects, votes } = election
  const meta = {
    ...election.meta,
    num_projects: String(projects.length),
    num_votes: String(votes.length),
  }
  const lines = ['META', row(['key', 'value'])]
  for (const [key, value] of Object.entries(meta)) lines.push(row([key, value]))

  const hasCategory = projects.some((p) => p.category.length > 0)
  const projectFields = fieldNames(projects)
  lines.push('PROJECTS', row(['project_id', 'cost', ...(hasCategory ? ['category'] : []), ...projectFields]))
  for (const p of projects) {
    const category = hasCategory ? [list(p.category)] : []
    lines.push(row([list([p.id]), String(p.cost), ...category, ...projectFields.map((f) => p.fields[f] ?? '')]))
  }

  const hasPoints = votes.some((v) => v.points !== undefined)
  const voteFields = fieldNames(votes)
  lines.push('VOTES', row(['voter_id', 'vote', ...(hasPoints ? ['points'] : []), ...voteFields]))
  for (const v of votes) {
    const points = hasPoints ? [list(v.points ?? [])] : []
    lines.push(row([v.voterId, list(v.vote), ...points, ...voteFields.map((f) => v.fields[f] ?? '')]))
  }
  return lines.join('\n') + '\n'
}
