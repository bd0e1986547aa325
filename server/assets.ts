import { readFileSync } from 'node:fs'

const versionOf = (packageJson: URL) => (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version

const htmxVersion = versionOf(new URL('../node_modules/htmx.org/package.json', import.meta.url))

/** The version is in the path, so a year of caching never serves a stale htmx. */
export const HTMX_PATH = `/vendor/htmx/${htmxVersion}/htmx.min.js`

/** Recorded with every published result, so a recount knows which code counted. */
export const SOFTWARE_VERSION = `wijkbudget ${versionOf(new URL('../package.json', import.meta.url))}`
