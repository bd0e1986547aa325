const ORIGIN = 'http://origin.invalid'
// A path and query as RFC 3986 allows them, printable ASCII only: a Location header carries nothing else.
const PATH_CHARACTERS = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/
// Encoded slashes, backslashes, dots and controls: servers and browsers disagree on what they mean.
const ENCODED_TRICKS = /%(?:2f|5c|2e|[01][0-9a-f]|7f)/i

/**
 * The one rule for where this site sends a browser: a path on this site, or
 * `fallback`. Refuses other hosts (`//`, `/\`, schemes), tabs and other
 * controls, backslashes, encoded slashes, fragments and non-ASCII text.
 */
export function safeRedirect(target: unknown, fallback: string): string {
  if (typeof target !== 'string' || target.length > 2000) return fallback
  if (!PATH_CHARACTERS.test(target) || target.startsWith('//') || ENCODED_TRICKS.test(target)) return fallback
  const resolved = new URL(target, ORIGIN)
  if (resolved.origin !== ORIGIN) return fallback
  // A path with dot segments is normalised by browsers: send the normalised one.
  return resolved.pathname + resolved.search
}
