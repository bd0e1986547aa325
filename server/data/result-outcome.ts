import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { TALLY_RULES, type TallyResult } from '../domain/tally/tally.js'

/** The shape results are stored in today; a change to TallyResult raises it and teaches `readOutcome` the old one. */
export const OUTCOME_VERSION = 3
/**
 * Version 1 lacked `startPerVoter`, version 2 the `budgets` of a round split into several; both
 * are optional in the schema: one check reads all three, and a result published in an older
 * version keeps its page (its explanations without each voter's start).
 */
const READABLE_VERSIONS: readonly number[] = [1, 2, 3]

const Amount = Type.Number()
const Reason = Type.Union([
  Type.Object({ kind: Type.Literal('no-votes') }),
  Type.Object({ kind: Type.Literal('greedy-funded'), remainingBefore: Amount }),
  Type.Object({ kind: Type.Literal('greedy-did-not-fit'), remaining: Amount, needed: Amount }),
  Type.Object({
    kind: Type.Literal('mes-funded'),
    round: Amount,
    payers: Amount,
    maxShare: Amount,
    paidAllTheyHad: Amount,
  }),
  Type.Object({ kind: Type.Literal('mes-too-little-money'), supportersMoney: Amount, needed: Amount }),
  Type.Object({ kind: Type.Literal('completion-funded'), remainingBefore: Amount }),
  Type.Object({ kind: Type.Literal('completion-did-not-fit'), remaining: Amount, needed: Amount }),
])
const Outcome = Type.Object({
  rule: Type.Union([...TALLY_RULES.map((rule) => Type.Literal(rule)), Type.Literal('equal-shares-without-completion')]),
  selected: Type.Array(Type.String()),
  totalCost: Amount,
  projects: Type.Array(
    Type.Object({
      id: Type.String(),
      votes: Amount,
      cost: Amount,
      funded: Type.Boolean(),
      reason: Reason,
      mesReason: Type.Optional(
        Type.Object({ kind: Type.Literal('mes-too-little-money'), supportersMoney: Amount, needed: Amount }),
      ),
    }),
  ),
  ties: Type.Array(
    Type.Object({
      stage: Type.Union([Type.Literal('greedy'), Type.Literal('equal-shares'), Type.Literal('completion')]),
      tied: Type.Array(Type.String()),
      winner: Type.String(),
    }),
  ),
  add1Steps: Type.Optional(Amount),
  startPerVoter: Type.Optional(Amount),
  budgets: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.String(),
        amount: Amount,
        received: Amount,
        spent: Amount,
        kept: Amount,
        moved: Amount,
        movedTo: Type.Union([Type.String(), Type.Null()]),
        voters: Amount,
        selected: Type.Array(Type.String()),
        add1Steps: Type.Optional(Amount),
        startPerVoter: Type.Optional(Amount),
      }),
    ),
  ),
})

// The stored shape and the tally's type must stay one and the same: this fails to compile when they drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const sameShape: Same<Static<typeof Outcome>, TallyResult> = true
void sameShape

const check = TypeCompiler.Compile(Outcome)

export class StoredOutcomeError extends Error {
  override name = 'StoredOutcomeError'
}

/** A published result's outcome as stored, checked against the shape of its version: never trusted as a cast. */
export function readOutcome(version: number, stored: unknown): TallyResult {
  if (!READABLE_VERSIONS.includes(version))
    throw new StoredOutcomeError(
      `a result stored in version ${version} cannot be read (this software reads ${READABLE_VERSIONS.join(', ')})`,
    )
  if (!check.Check(stored)) {
    const first = check.Errors(stored).First()
    throw new StoredOutcomeError(
      `a stored result does not have the shape of version ${version}: ${first?.path ?? ''} ${first?.message ?? ''}`,
    )
  }
  return stored
}
