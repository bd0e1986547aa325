export type PbSection = 'META' | 'PROJECTS' | 'VOTES'

/** What can be wrong with a .pb file, with the details each message needs. */
export interface PbErrorParams {
  'missing-section': { section: PbSection }
  'section-out-of-order': { section: PbSection; expected: PbSection }
  'repeated-section': { section: PbSection }
  'missing-column': { section: PbSection; column: string }
  'wrong-field-count': { section: PbSection; expected: number; found: number }
  'csv-syntax': { detail: string }
  'missing-id': { section: PbSection; column: string }
  'duplicate-project': { projectId: string }
  'duplicate-voter': { voterId: string }
  'invalid-cost': { projectId: string; value: string }
  'unknown-project': { voterId: string; projectId: string }
  'invalid-points': { voterId: string }
  'points-over-max': { voterId: string; key: 'max_points' | 'max_sum_points'; max: number; given: number }
  'count-mismatch': { key: 'num_projects' | 'num_votes'; stated: string; count: number }
  'missing-budget': Record<string, never>
  'invalid-budget': { value: string }
}

export type PbErrorCode = keyof PbErrorParams

const messages: { [C in PbErrorCode]: (params: PbErrorParams[C]) => string } = {
  'missing-section': ({ section }) =>
    `expected the ${section} section here: a line holding only ${section} (the order is META, PROJECTS, VOTES)`,
  'section-out-of-order': ({ section, expected }) =>
    `found the ${section} section where ${expected} should start (the order is META, PROJECTS, VOTES)`,
  'repeated-section': ({ section }) => `the ${section} section appears a second time`,
  'missing-column': ({ section, column }) => `the ${section} header has no "${column}" column`,
  'wrong-field-count': ({ section, expected, found }) =>
    `this ${section} row has ${found} fields but the header has ${expected} (an unquoted ";"?)`,
  'csv-syntax': ({ detail }) => `this line is not valid CSV: ${detail}`,
  'missing-id': ({ section, column }) => `this ${section} row has an empty ${column}`,
  'duplicate-project': ({ projectId }) => `project ${projectId} is listed twice`,
  'duplicate-voter': ({ voterId }) => `voter ${voterId} is listed twice`,
  'invalid-cost': ({ projectId, value }) =>
    `project ${projectId} has cost "${value}", which is not a whole non-negative number`,
  'unknown-project': ({ voterId, projectId }) =>
    `voter ${voterId} voted for project ${projectId}, which is not in PROJECTS`,
  'invalid-points': ({ voterId }) =>
    `voter ${voterId} has points that are not numbers or do not match the projects voted for`,
  'points-over-max': ({ voterId, key, max, given }) =>
    `voter ${voterId} gives ${given} points${key === 'max_points' ? ' to one project' : ' in all'}, but META says ${key} is ${max}`,
  'count-mismatch': ({ key, stated, count }) => `META says ${key} is ${stated} but there are ${count} rows`,
  'missing-budget': () => 'META has no budget',
  'invalid-budget': ({ value }) => `the budget "${value}" is not a whole non-negative number`,
}

/** A malformed .pb file: `code` and `params` let the app translate the message. */
export class PbFormatError<C extends PbErrorCode = PbErrorCode> extends Error {
  override readonly name = 'PbFormatError'

  constructor(
    readonly code: C,
    readonly line: number,
    readonly params: PbErrorParams[C],
  ) {
    super(`line ${line}: ${messages[code](params)}`)
  }
}
