import type { FastifySchemaValidationError } from 'fastify/types/schema.js'

export type FieldErrors = Record<string, string>

/**
 * Turns schema validation errors into one translation key per form field. Fastify types a
 * request's `validationError.validation` as any, so the one place that reads it says what it holds.
 */
export function fieldErrors(validation: unknown): FieldErrors {
  const out: FieldErrors = {}
  for (const error of (validation ?? []) as readonly FastifySchemaValidationError[]) {
    const field =
      error.keyword === 'required'
        ? String((error.params as { missingProperty?: string }).missingProperty)
        : (error.instancePath.replace(/^\//, '').split('/')[0] ?? '')
    if (!field || out[field]) continue
    out[field] =
      error.keyword === 'maxLength' || error.keyword === 'maximum'
        ? 'form.tooLong'
        : error.keyword === 'required' || error.keyword === 'minLength'
          ? 'form.required'
          : 'form.invalid'
  }
  return out
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
