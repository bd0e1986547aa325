import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { TALLY_RULES, type TallyResult } from '../domain/tally/tally.js'

/** The shape results are stored in today; a change to TallyResult raises it and teaches `readOutcome` the old one. */
export const OUTCOME_VERSION = 1

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
const OutcomeV1 = Type.Object({
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
})

// The stored shape and the tally's type must stay one and the same: this fails to compile when they drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const sameShape: Same<Static<typeof OutcomeV1>, TallyResult> = true
void sameShape

const checkV1 = TypeCompiler.Compile(OutcomeV1)

export class StoredOutcomeError extends Error {
  override name = 'StoredOutcomeError'
}

/** A published result's outcome as stored, checked against the shape of its version: never trusted as a cast. */
export function readOutcome(version: number, stored: unknown): TallyResult {
  if (version !== OUTCOME_VERSION)
    throw new StoredOutcomeError(
      `a result stored in version ${version} cannot be read (this software reads ${OUTCOME_VERSION})`,
    )
  if (!checkV1.Check(stored)) {
    const first = checkV1.Errors(stored).First()
    throw new StoredOutcomeError(
      `a stored result does not have the shape of version ${version}: ${first?.path ?? ''} ${first?.message ?? ''}`,
    )
  }
  return stored
}
