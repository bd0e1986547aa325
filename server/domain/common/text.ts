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

/** True when a form value holds a control character other than tab and line breaks. */
export function hasFormControl(text: string): boolean {
  return MULTILINE_CONTROL.test(text)
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
