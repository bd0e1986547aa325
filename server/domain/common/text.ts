/**
 * Rules for text anyone can type. Control characters have no place in a form,
 * an address or a stored title: PostgreSQL refuses NUL, and the others hide
 * text from the person reading it.
 */

// Matching control characters is the point of these patterns.
/* eslint-disable no-control-regex */
// C0 controls and DEL; tab, line feed and carriage return are left to `MULTILINE_CONTROL`.
const ANY_CONTROL = /[\u0000-\u001f\u007f]/
// What a text area legitimately sends: tab, LF and CR (browsers send CRLF).
const MULTILINE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i

/**
 * True when a form value holds a control character other than tab and line breaks, or a
 * direction control left open or closed without an opening: every form passes here, so a title,
 * comment or translation can never turn the rest of a line (a reference, a date) around.
 */
export function hasFormControl(text: string): boolean {
  return MULTILINE_CONTROL.test(text) || hasUnpairedBidi(text)
}

// Embeddings and overrides (LRE, RLE, LRO, RLO) close with PDF; isolates (LRI, RLI, FSI) with PDI.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g
const OPENS_EMBEDDING = new Set(['\u202a', '\u202b', '\u202d', '\u202e'])
const OPENS_ISOLATE = new Set(['\u2066', '\u2067', '\u2068'])

/** True when the direction controls in `text` do not nest and close as pairs within it. */
export function hasUnpairedBidi(text: string): boolean {
  const open: string[] = []
  for (const [control] of text.matchAll(BIDI_CONTROL)) {
    if (OPENS_EMBEDDING.has(control)) open.push('embedding')
    else if (OPENS_ISOLATE.has(control)) open.push('isolate')
    else if (open.pop() !== (control === '\u202c' ? 'embedding' : 'isolate')) return true
  }
  return open.length > 0
}

/** True when an address (path and query, as sent) holds a control character, raw or percent-encoded. */
export function hasAddressControl(url: string): boolean {
  return ANY_CONTROL.test(url) || ENCODED_CONTROL.test(url)
}

// Line feed, carriage return, next line, line and paragraph separators, vertical tab and form feed.
const LINE_BREAKS = /[\s]*[\n\r\u000b\u000c\u0085\u2028\u2029][\s]*/g

/* eslint-enable no-control-regex */

/** A title, name or other one-line field: every line break becomes one space, ends trimmed. */
export function singleLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').trim()
}
