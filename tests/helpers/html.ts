import { parse, type HTMLElement } from 'node-html-parser'
import { createTranslator, LANGUAGES, loadLanguage, type Lang, type Messages } from '../../server/i18n.js'

/**
 * Reads a response the way a test should: as parsed HTML. Tests ask for elements, attributes, form
 * fields and links, so changing markup or wording that is not the point of a test does not break it.
 */
export class Html {
  readonly root: HTMLElement

  constructor(body: string) {
    this.root = parse(body, { comment: false })
  }

  /** The first element matching a CSS selector; fails the test (throws) when there is none. */
  get(selector: string): HTMLElement {
    const element = this.root.querySelector(selector)
    if (!element) throw new Error(`no element matches ${selector}`)
    return element
  }

  find(selector: string): HTMLElement | null {
    return this.root.querySelector(selector)
  }

  all(selector: string): HTMLElement[] {
    return this.root.querySelectorAll(selector)
  }

  has(selector: string): boolean {
    return this.root.querySelector(selector) !== null
  }

  /** Text as a reader sees it: entities decoded, runs of white space (also non-breaking) as one space. */
  text(selector?: string): string {
    const element = selector === undefined ? this.root : this.get(selector)
    return squash(element.textContent)
  }

  /** The texts of every element matching a selector. */
  texts(selector: string): string[] {
    return this.all(selector).map((e) => squash(e.textContent))
  }

  /**
   * The page's error message as a reader meets it: the error summary's introduction, or its first
   * item when it has none; on a page without a summary, the text of its alert.
   */
  get alert(): string {
    const summary = this.find('#error-summary')
    if (summary) return squash((summary.querySelector('p') ?? summary.querySelector('li'))?.textContent ?? '')
    return this.text('[role=alert]')
  }

  get title(): string {
    return this.text('title')
  }

  /** The term → description pairs of every `<dl>` matching a selector (each pair in its own `<div>`, as our pages write them). */
  facts(selector = 'dl'): Record<string, string> {
    const out: Record<string, string> = {}
    for (const list of this.all(selector)) {
      for (const term of list.querySelectorAll('dt')) {
        const description = term.nextElementSibling
        if (description?.tagName === 'DD') out[squash(term.textContent)] = squash(description.textContent)
      }
    }
    return out
  }

  /** A table's body rows as lists of cell texts (header cells included), e.g. `[['Online', '8', '40%']]`. */
  rows(table: string): string[][] {
    return this.get(table)
      .querySelectorAll('tbody tr')
      .map((row) => row.querySelectorAll('th, td').map((cell) => squash(cell.textContent)))
  }

  /** Every link's href, in page order. */
  get links(): string[] {
    return this.all('a[href]').map((a) => a.getAttribute('href')!)
  }

  /** The form posting (or getting) to an action. */
  form(action: string): HTMLElement {
    return this.get(`form[action="${action}"]`)
  }

  /** A form's fields as a browser would send them: text, checked boxes and radios, selected options. */
  fields(form: HTMLElement = this.root): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {}
    const add = (name: string, value: string) => {
      const had = out[name]
      out[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value]
    }
    for (const element of form.querySelectorAll('input[name], textarea[name], select[name]')) {
      const name = element.getAttribute('name')!
      const tag = element.tagName.toLowerCase()
      if (tag === 'textarea') add(name, element.textContent)
      else if (tag === 'select') {
        const chosen = element.querySelector('option[selected]') ?? element.querySelector('option')
        if (chosen) add(name, chosen.getAttribute('value') ?? chosen.textContent)
      } else {
        const type = element.getAttribute('type') ?? 'text'
        if ((type === 'checkbox' || type === 'radio') && !element.hasAttribute('checked')) continue
        if (type === 'submit' || type === 'button') continue
        add(name, element.getAttribute('value') ?? '')
      }
    }
    return out
  }

  /** The values of the checked boxes or radios named `name`. */
  checked(name: string): string[] {
    return this.all(`input[name="${name}"][checked]`).map((e) => e.getAttribute('value')!)
  }

  /** The control a field's label points at, with what a user sees about it: its error and whether it is marked invalid. */
  field(name: string): {
    value: string | undefined
    invalid: boolean
    error: string | undefined
    describedBy: string[]
  } {
    const element = this.get(`[name="${name}"]`)
    const id = element.getAttribute('id')
    const error = id ? this.find(`#${id}-error`) : null
    const value = element.tagName.toLowerCase() === 'textarea' ? element.textContent : element.getAttribute('value')
    return {
      value,
      invalid: element.getAttribute('aria-invalid') === 'true',
      error: error ? squash(error.textContent) : undefined,
      describedBy: (element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean),
    }
  }
}

export const html = (response: { body: string }) => new Html(response.body)

/** Spaces folded; the invisible isolate marks around user text in a sentence dropped (they change no word). */
function squash(text: string): string {
  return text
    .replace(/[\u2066-\u2069]/g, '')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim()
}

const tables = Object.fromEntries(LANGUAGES.map((lang) => [lang, loadLanguage(lang)])) as Record<Lang, Messages>
const PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other']

/** A key's texts in one language: the key itself, or its plural forms (`key_one`, `key_other`, …). */
function templates(key: string, lang: Lang): string[] {
  const table = tables[lang]
  const found =
    key in table
      ? [table[key]!]
      : PLURAL_FORMS.map((form) => table[`${key}_${form}`]).filter((text) => text !== undefined)
  if (found.length === 0) throw new Error(`no translation key ${key} in ${lang}`)
  return found
}

const translate = createTranslator()

/**
 * A sentence from the translation table, through the app's own translator (i18next: plural forms,
 * numbers formatted for the language), for the tests where the sentence is the point (an error
 * message, a refusal). White space is squashed like Html.text(), so the two compare.
 */
export function msg(key: string, vars: Record<string, unknown> = {}, lang: Lang = 'nl'): string {
  templates(key, lang)
  return squash(translate(lang, key, vars))
}

/**
 * A sentence from the translation table as a pattern, each `{placeholder}` matching any text: for
 * sentences with figures a test does not fix. A plural key matches any of its forms.
 */
export function msgPattern(key: string, lang: Lang = 'nl'): RegExp {
  const forms = templates(key, lang).map((text) =>
    squash(text)
      .split(/\{\w+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+?'),
  )
  return new RegExp(`^(?:${forms.join('|')})$`)
}

/** A page or fragment as a document to query with CSS selectors. */
export function parseHtml(body: string): HTMLElement {
  return parse(body)
}

/** The visible words of an element, spaces folded and no-break spaces made plain. */
export function words(element: HTMLElement | null | undefined): string {
  return (element?.textContent ?? '')
    .replace(/[\u2066-\u2069]/g, '')
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
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
    if (!doc.querySelector(`[id="${target}"]`))
      problems.push(`the summary links to #${target}, which is not on the page`)
  }
  for (const field of doc.querySelectorAll('[aria-invalid="true"]')) {
    const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    if (ids.length === 0) problems.push(`#${field.id} is invalid but described by nothing`)
    for (const id of ids)
      if (!doc.querySelector(`[id="${id}"]`))
        problems.push(`#${field.id} is described by #${id}, which is not on the page`)
  }
  const described = new Set(
    doc
      .querySelectorAll('[aria-invalid="true"]')
      .flatMap((f) => (f.getAttribute('aria-describedby') ?? '').split(/\s+/)),
  )
  for (const message of doc.querySelectorAll('.field__error')) {
    if (!message.id || !described.has(message.id))
      problems.push(`the message "${words(message)}" describes no field marked aria-invalid`)
  }
  return { links: links.map((a) => words(a)), problems }
}
