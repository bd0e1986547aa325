import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Round } from '../../data/rounds.js'
import { draftText, readDraft, type Draft } from '../../domain/voting/draft.js'

/**
 * A resident's voting session is two signed cookies, sent only to the round's voting pages: the
 * code they entered, and the draft of their choices while they read a project's page. The draft
 * stays in their browser, never on the server (a draft is no vote, and the server keeps no choice
 * that was not cast); it ends with the code's hour, a new code, or casting.
 */
const CODE_COOKIE = 'ballot'
const DRAFT_COOKIE = 'ballot-draft'
const HOUR_SECONDS = 60 * 60

export const votePath = (round: Round) => `/rounds/${round.slug}/vote`

const options = (reply: FastifyReply, round: Round) => ({
  signed: true,
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: reply.server.secureCookies,
  path: votePath(round),
  maxAge: HOUR_SECONDS,
})

function signedValue(request: FastifyRequest, name: string): string | null {
  const raw = request.cookies[name]
  if (!raw) return null
  const unsigned = request.unsignCookie(raw)
  return unsigned.valid && unsigned.value ? unsigned.value : null
}

/** A right code: this browser holds it for the round for an hour; a draft of an earlier code goes. */
export function holdCode(reply: FastifyReply, round: Round, codeId: number): void {
  reply.setCookie(CODE_COOKIE, `${round.id}.${codeId}`, options(reply, round))
  reply.clearCookie(DRAFT_COOKIE, { path: votePath(round) })
}

/** The code this browser entered for this round. */
export function heldCode(request: FastifyRequest, round: Round): number | null {
  const value = signedValue(request, CODE_COOKIE)
  if (value === null) return null
  const [roundId, codeId] = value.split('.').map(Number)
  return roundId === round.id && Number.isInteger(codeId) ? codeId! : null
}

/** Keeps the choices not cast yet; a draft too long to keep leaves none, so the ballot shows the last cast one. */
export function keepDraft(reply: FastifyReply, round: Round, codeId: number, draft: Draft): void {
  const text = draftText(round.id, codeId, draft)
  if (text === null) reply.clearCookie(DRAFT_COOKIE, { path: votePath(round) })
  else reply.setCookie(DRAFT_COOKIE, text, options(reply, round))
}

/** The draft this browser keeps for this code, if any. */
export function heldDraft(request: FastifyRequest, round: Round, codeId: number): Draft | null {
  const value = signedValue(request, DRAFT_COOKIE)
  return value === null ? null : readDraft(value, round.id, codeId)
}

/** Cast, or the code no longer counts: the browser forgets the code and the draft. */
export function forgetBallot(reply: FastifyReply, round: Round): void {
  reply.clearCookie(CODE_COOKIE, { path: votePath(round) })
  reply.clearCookie(DRAFT_COOKIE, { path: votePath(round) })
}
