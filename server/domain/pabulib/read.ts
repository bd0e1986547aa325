import type { TallyInput } from '../tally/types.js'
import { PbFormatError, type PbSection } from './errors.js'
import { eachRow, readRows, splitSections, type Rows } from './sections.js'
import type { PbElection, PbProject, PbVote } from './election.js'

export { PbFormatError, type PbErrorCode, type PbErrorParams } from './errors.js'
export { writePb } from './write.js'
export type { PbElection, PbProject, PbVote } from './election.js'

function splitList(field: string): string[] {
  return field
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function parseAmount(value: string): number | undefined {
  const amount = value.trim() === '' ? NaN : Number(value)
  return Number.isSafeInteger(amount) && amount >= 0 ? amount : undefined
}

function column(rows: Pick<Rows, 'header' | 'headerLine'>, section: PbSection, name: string): number {
  const index = rows.header.indexOf(name)
  if (index < 0) throw new PbFormatError('missing-column', rows.headerLine(), { section, column: name })
  return index
}

/** Columns not read into a named property, kept verbatim by header name. */
function otherFields(header: string[], used: number[], record: string[]): Record<string, string> {
  const fields: Record<string, string> = {}
  header.forEach((name, i) => {
    if (!used.includes(i)) fields[name] = record[i] ?? ''
  })
  return fields
}

function readMeta(rows: Rows): { meta: Record<string, string>; lineOf: Map<string, number> } {
  const meta: Record<string, string> = {}
  const lineOf = new Map<string, number>()
  rows.records.forEach((record, i) => {
    const key = (record[0] ?? '').trim()
    // A value holding an unquoted ';' is common enough in META to accept.
    meta[key] = record.slice(1).join(';').trim()
    lineOf.set(key, rows.lineOf(i))
  })
  const budget = meta['budget']
  if (budget === undefined) throw new PbFormatError('missing-budget', rows.headerLine(), {})
  if (parseAmount(budget) === undefined) {
    throw new PbFormatError('invalid-budget', lineOf.get('budget')!, { value: budget })
  }
  return { meta, lineOf }
}

function readProjects(rows: Rows): PbProject[] {
  const idColumn = column(rows, 'PROJECTS', 'project_id')
  const costColumn = column(rows, 'PROJECTS', 'cost')
  const categoryColumn = rows.header.indexOf('category')
  const used = [idColumn, costColumn, categoryColumn]
  const seen = new Set<string>()
  return rows.records.map((record, i) => {
    const id = (record[idColumn] ?? '').trim()
    const line = () => rows.lineOf(i)
    if (id === '') throw new PbFormatError('missing-id', line(), { section: 'PROJECTS', column: 'project_id' })
    if (seen.has(id)) throw new PbFormatError('duplicate-project', line(), { projectId: id })
    seen.add(id)
    const value = record[costColumn] ?? ''
    const cost = parseAmount(value)
    if (cost === undefined) throw new PbFormatError('invalid-cost', line(), { projectId: id, value })
    const category = categoryColumn < 0 ? [] : splitList(record[categoryColumn] ?? '')
    return { id, cost, category, fields: otherFields(rows.header, used, record) }
  })
}

function readPoints(field: string, vote: string[]): number[] | undefined {
  const points = splitList(field).map(Number)
  return points.length === vote.length && points.every(Number.isFinite) ? points : undefined
}

/** What META says about points: a cumulative file's points are whole and within its maxima. */
interface PointsRules {
  cumulative: boolean
  max_points?: number
  max_sum_points?: number
}

function pointsRules(meta: Record<string, string>): PointsRules {
  const rules: PointsRules = { cumulative: meta['vote_type'] === 'cumulative' }
  for (const key of ['max_points', 'max_sum_points'] as const) {
    const value = parseAmount(meta[key] ?? '')
    if (value !== undefined) rules[key] = value
  }
  return rules
}

/** A cumulative ballot's points: whole, not negative, at most max_points on a project (entries for one project add up) and max_sum_points in all. */
function checkPoints(rules: PointsRules, vote: PbVote, line: () => number): void {
  const points = vote.points!
  const { voterId } = vote
  if (!points.every((x) => Number.isSafeInteger(x) && x >= 0))
    throw new PbFormatError('invalid-points', line(), { voterId })
  const max = rules.max_points
  if (max !== undefined) {
    const perProject = new Map<string, number>()
    vote.vote.forEach((id, k) => perProject.set(id, (perProject.get(id) ?? 0) + points[k]!))
    const given = Math.max(0, ...perProject.values())
    if (given > max) throw new PbFormatError('points-over-max', line(), { voterId, key: 'max_points', max, given })
  }
  const maxSum = rules.max_sum_points
  const given = points.reduce((a, b) => a + b, 0)
  if (maxSum !== undefined && given > maxSum) {
    throw new PbFormatError('points-over-max', line(), { voterId, key: 'max_sum_points', max: maxSum, given })
  }
}

/** Reads VOTES rows one after another against the header and the file's projects: each voter once, each vote for a listed project. */
function voteReader(
  rows: Pick<Rows, 'header' | 'headerLine'>,
  projectIds: Set<string>,
  rules: PointsRules,
): (record: string[], line: () => number) => PbVote {
  const voterColumn = column(rows, 'VOTES', 'voter_id')
  const voteColumn = column(rows, 'VOTES', 'vote')
  const pointsColumn = rows.header.indexOf('points')
  const used = [voterColumn, voteColumn, pointsColumn]
  const seen = new Set<string>()
  return (record, line) => {
    const voterId = (record[voterColumn] ?? '').trim()
    if (voterId === '') throw new PbFormatError('missing-id', line(), { section: 'VOTES', column: 'voter_id' })
    if (seen.has(voterId)) throw new PbFormatError('duplicate-voter', line(), { voterId })
    seen.add(voterId)
    const vote = splitList(record[voteColumn] ?? '')
    for (const projectId of vote) {
      if (!projectIds.has(projectId)) throw new PbFormatError('unknown-project', line(), { voterId, projectId })
    }
    const parsed: PbVote = { voterId, vote, fields: otherFields(rows.header, used, record) }
    if (pointsColumn >= 0) {
      const points = readPoints(record[pointsColumn] ?? '', vote)
      if (!points) throw new PbFormatError('invalid-points', line(), { voterId })
      parsed.points = points
      if (rules.cumulative) checkPoints(rules, parsed, line)
    }
    return parsed
  }
}

function readVotes(rows: Rows, projectIds: Set<string>, rules: PointsRules): PbVote[] {
  const read = voteReader(rows, projectIds, rules)
  return rows.records.map((record, i) => read(record, () => rows.lineOf(i)))
}

function checkCount(meta: ReturnType<typeof readMeta>, key: 'num_projects' | 'num_votes', actual: number) {
  const stated = meta.meta[key]
  if (stated !== undefined && Number(stated) !== actual) {
    throw new PbFormatError('count-mismatch', meta.lineOf.get(key)!, { key, stated, count: actual })
  }
}

/** Parses a .pb file's text; throws a PbFormatError naming the line at fault. */
export function parsePb(text: string): PbElection {
  const sections = splitSections(text)
  const meta = readMeta(readRows(sections.META))
  const projects = readProjects(readRows(sections.PROJECTS))
  checkCount(meta, 'num_projects', projects.length)
  const votes = readVotes(readRows(sections.VOTES), new Set(projects.map((p) => p.id)), pointsRules(meta.meta))
  checkCount(meta, 'num_votes', votes.length)
  return { meta: meta.meta, projects, votes }
}

/**
 * Reads a .pb file as parsePb does and refuses what it refuses (the first fault found may be
 * another), but hands the votes to `visit` one at a time instead of keeping them all.
 */
export function scanPb(text: string, visit: (vote: PbVote) => void): Omit<PbElection, 'votes'> & { voteCount: number } {
  const sections = splitSections(text)
  const meta = readMeta(readRows(sections.META))
  const projects = readProjects(readRows(sections.PROJECTS))
  checkCount(meta, 'num_projects', projects.length)
  const projectIds = new Set(projects.map((p) => p.id))
  let voteCount = 0
  eachRow(sections.VOTES, (header, headerLine) => {
    const read = voteReader({ header, headerLine: () => headerLine }, projectIds, pointsRules(meta.meta))
    return (record, line) => {
      visit(read(record, () => line))
      voteCount++
    }
  })
  checkCount(meta, 'num_votes', voteCount)
  return { meta: meta.meta, projects, voteCount }
}

/**
 * The tally input for a .pb election, whose money unit is one whole currency
 * unit. A cumulative election (`vote_type;cumulative`) is counted with its
 * points; any other counts as approving every project a ballot lists.
 */
export function pbTallyInput(election: PbElection): TallyInput {
  const input: TallyInput = {
    budget: Number(election.meta['budget']),
    projects: election.projects.map(({ id, cost }, order) => ({ id, cost, order })),
    ballots: election.votes.map((v) => v.vote),
    // Our own exports state `money_unit;cent` when a cost has cents; Pabulib's files count whole units.
    unit: election.meta['money_unit'] === 'cent' ? 100 : 1,
  }
  if (election.meta['vote_type'] === 'cumulative') {
    input.points = election.votes.map((v) => v.points ?? v.vote.map(() => 1))
  }
  return input
}
