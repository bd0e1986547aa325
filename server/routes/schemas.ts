import type { FastifyRequest } from 'fastify'
import { Type, type TSchema } from '@sinclair/typebox'

/** Shared pieces of the route folders' schemas. Every form carries the CSRF token. */
export const csrf = { _csrf: Type.Optional(Type.String()) }

/** A text field with a generous bound: the domain rules give the precise, per-field messages. */
export const textField = (maxLength: number) => Type.Optional(Type.String({ maxLength }))

export const oneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)))

/** A form body: every field optional, as a browser may leave any out. */
export const form = <T extends Record<string, TSchema>>(fields: T) => Type.Object({ ...fields, ...csrf })

/** One ticked box arrives as a string, several as a list. */
export const ticks = (maxLength: number, maxItems: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Array(Type.String({ maxLength }), { maxItems })]))

/** The path names a round or a proposal by a number; the folder's guard reads it and answers 404 for anything else. */
export const IdPath = Type.Object({ id: Type.String() })
export const SlugPath = Type.Object({ slug: Type.String() })

/** Ids are positive integers that fit the column; anything else names nothing. */
export function parseId(text: string): number | null {
  return /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : null
}

/** Every form that takes a password or a second-factor code shares one count: 20 tries per address in 10 minutes. */
export const LOGIN_RATE_LIMIT = {
  max: 20,
  timeWindow: 10 * 60 * 1000,
  keyGenerator: (request: FastifyRequest) => `login:${request.ip}`,
}
