import { parse, type HTMLElement } from 'node-html-parser'

/** A page or fragment as a document to query with CSS selectors. */
export function html(body: string): HTMLElement {
  return parse(body)
}

/** The visible words of an element, spaces folded and no-break spaces made plain. */
export function words(element: HTMLElement | null | undefined): string {
  return (element?.textContent ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim()
}

/** The page title without the site name after it. */
export function pageTitle(doc: HTMLElement): string {
  return words(doc.querySelector('title')).replace(/ · Wijkbudget$/, '')
}

/**
 * What a failed form must show: an error summary that takes focus (autofocus, tabindex=-1) whose links
 * lead to elements on the page, and every field marked aria-invalid described by elements that exist.
 * Returns the summary's link texts.
 */
export function errorSummary(doc: HTMLElement): { links: string[]; problems: string[] } {
  const problems: string[] = []
  const summary = doc.querySelector('#error-summary')
  if (!summary) return { links: [], problems: ['no #error-summary'] }
  if (!summary.hasAttribute('autofocus')) problems.push('the summary has no autofocus')
  if (summary.getAttribute('tabindex') !== '-1') problems.push('the summary cannot take focus')
  const links = summary.querySelectorAll('a')
  for (const link of links) {
    const target = (link.getAttribute('href') ?? '').replace(/^#/, '')
    if (!doc.querySelector(`[id="${target}"]`)) problems.push(`the summary links to #${target}, which is not on the page`)
  }
  for (const field of doc.querySelectorAll('[aria-invalid="true"]')) {
    const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    if (ids.length === 0) problems.push(`#${field.id} is invalid but described by nothing`)
    for (const id of ids) if (!doc.querySelector(`[id="${id}"]`)) problems.push(`#${field.id} is described by #${id}, which is not on the page`)
  }
  const described = new Set(doc.querySelectorAll('[aria-invalid="true"]').flatMap((f) => (f.getAttribute('aria-describedby') ?? '').split(/\s+/)))
  for (const message of doc.querySelectorAll('.field__error')) {
    if (!message.id || !described.has(message.id)) problems.push(`the message "${words(message)}" describes no field marked aria-invalid`)
  }
  return { links: links.map((a) => words(a)), problems }
}
