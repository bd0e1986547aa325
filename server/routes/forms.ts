import { KindGuard, Type, type Static, type TObject, type TSchema } from '@sinclair/typebox'
import { TypeCompiler, ValueErrorType, type TypeCheck, type ValueError } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'

export type FieldErrors = Record<string, string>

/**
 * What Fastify accepts as a form or a query string: named texts, a list where a name repeats. Any
 * browser's form passes it, so the folder's guard and the handler always run; the handler reads the
 * fields with readForm and the route's real schema.
 */
export const FormInput = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))

/** A field as the user typed it, to put back into the form: a text, or the ticked values of a list. */
export type Typed<S extends TObject> = {
  [K in keyof Static<S>]-?: string[] extends NonNullable<Static<S>[K]> ? string[] : string
}

export type FormRead<S extends TObject> =
  { ok: true; value: Static<S>; typed: Typed<S> } | { ok: false; errors: FieldErrors; typed: Typed<S> }

const checks = new WeakMap<TSchema, TypeCheck<TSchema>>()

function compiled<S extends TObject>(schema: S): TypeCheck<S> {
  let check = checks.get(schema)
  if (!check) checks.set(schema, (check = TypeCompiler.Compile(schema)))
  return check as TypeCheck<S>
}

const isList = (schema: TSchema) =>
  KindGuard.IsArray(schema) || (KindGuard.IsUnion(schema) && schema.anyOf.some((variant) => KindGuard.IsArray(variant)))

function typedFields<S extends TObject>(schema: S, fields: Readonly<Record<string, unknown>>): Typed<S> {
  const typed: Record<string, string | string[]> = {}
  for (const [name, field] of Object.entries(schema.properties)) {
    const value = fields[name]
    typed[name] = isList(field)
      ? Array.isArray(value)
        ? value.filter((v): v is string => typeof v === 'string')
        : typeof value === 'string'
          ? [value]
          : []
      : typeof value === 'string'
        ? value
        : ''
  }
  return typed as Typed<S>
}

/** A union's error names no rule; its first variant's first error does, as Fastify's validator reported it. */
function leaf(error: ValueError): ValueError {
  const inner = error.type === ValueErrorType.Union ? error.errors[0]?.First() : undefined
  return inner ? leaf(inner) : error
}

function messageKey(type: ValueErrorType): string {
  switch (type) {
    case ValueErrorType.StringMaxLength:
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return 'form.tooLong'
    case ValueErrorType.ObjectRequiredProperty:
    case ValueErrorType.StringMinLength:
      return 'form.required'
    default:
      return 'form.invalid'
  }
}

/**
 * Reads a form (or a query string) with its schema: either the typed value, or one translation key
 * per wrong field (the first thing wrong with it). Either way, what the user typed comes back as text
 * to re-render. As Fastify would, a single value fills a list, digits fill a number, and fields the
 * schema does not name are dropped.
 */
export function readForm<S extends TObject>(schema: S, input: unknown): FormRead<S> {
  const fields: Record<string, unknown> = typeof input === 'object' && input !== null ? { ...input } : {}
  const typed = typedFields(schema, fields)
  const value: unknown = Value.Convert(schema, fields)
  const check = compiled(schema)
  if (check.Check(value)) return { ok: true, value: Value.Clean(schema, value) as Static<S>, typed }
  const errors: FieldErrors = {}
  for (const error of check.Errors(value)) {
    const { type, path } = leaf(error)
    const field = path.split('/')[1]
    if (field && !errors[field]) errors[field] = messageKey(type)
  }
  return { ok: false, errors, typed }
}

/** A query string whose values are wrong (an old or edited link) counts as one that says nothing. */
export function readQuery<S extends TObject>(schema: S, input: unknown): Partial<Static<S>> {
  const read = readForm(schema, input)
  return read.ok ? read.value : {}
}

/** A field as the error summary names it: its label, the element its link leads to (the field's id unless told), the message's values. */
export interface SummaryField {
  name: string
  label: string
  href?: string
  vars?: Record<string, unknown>
}

export interface SummaryItem {
  href: string
  label: string
  message: string
  vars?: Record<string, unknown>
}

/** The links of a form's error summary: one per wrong field, in the order the form shows the fields. */
export function summaryItems(
  errors: Readonly<Record<string, string | undefined>>,
  fields: readonly SummaryField[],
): SummaryItem[] {
  return fields.flatMap(({ name, label, href, vars }) => {
    const message = errors[name]
    return message ? [{ href: href ?? name, label, message, vars }] : []
  })
}
