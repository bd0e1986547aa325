import { readFileSync } from 'node:fs'

const htmxVersion: string = JSON.parse(
  readFileSync(new URL('../node_modules/htmx.org/package.json', import.meta.url), 'utf8'),
).version

/** The version is in the path, so a year of caching never serves a stale htmx. */
export const HTMX_PATH = `/vendor/htmx/${htmxVersion}/htmx.min.js`

/** Recorded with every published result, so a recount knows which code counted. */
export const SOFTWARE_VERSION: string = `wijkbudget ${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}`
