const ORIGIN = 'http://origin.invalid'
// A path and query as RFC 3986 allows them, printable ASCII only: a Location header carries nothing else.
const PATH_CHARACTERS = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/
// Encoded slashes, backslashes, dots and controls: servers and browsers disagree on what they mean.
const ENCODED_TRICKS = /%(?:2f|5c|2e|[01][0-9a-f]|7f)/i

/** A path on this site as a Location header sends it: one leading slash, then only what a path may hold. */
const isSitePath = (path: string) => PATH_CHARACTERS.test(path) && !path.startsWith('//') && !ENCODED_TRICKS.test(path)

/**
 * The one rule for where this site sends a browser: a path on this site, or
 * `fallback`. Refuses other hosts (`//`, `/\`, schemes), tabs and other
 * controls, backslashes, encoded slashes, fragments and non-ASCII text.
 */
export function safeRedirect(target: unknown, fallback: string): string {
  if (typeof target !== 'string' || target.length > 2000 || !isSitePath(target)) return fallback
  // Browsers remove dot segments, so the normalised path is what is sent; removing them can make
  // another host of it (`/.//evil.example` is `//evil.example`), so the value sent is checked again.
  const resolved = new URL(target, ORIGIN)
  const sent = resolved.pathname + resolved.search
  return isSitePath(sent) ? sent : fallback
}
