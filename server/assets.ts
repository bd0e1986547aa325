import { readFileSync } from 'node:fs'
import { fromRoot } from './paths.js'

const versionOf = (packageJson: string) =>
  (JSON.parse(readFileSync(fromRoot(packageJson), 'utf8')) as { version: string }).version

const htmxVersion = versionOf('node_modules/htmx.org/package.json')

/** The version is in the path, so a year of caching never serves a stale htmx. */
export const HTMX_PATH = `/vendor/htmx/${htmxVersion}/htmx.min.js`

const leafletVersion = versionOf('node_modules/leaflet/package.json')

/** Leaflet for the pages that show a map, and only those; versioned like htmx. */
export const LEAFLET_JS_PATH = `/vendor/leaflet/${leafletVersion}/leaflet.js`
export const LEAFLET_CSS_PATH = `/vendor/leaflet/${leafletVersion}/leaflet.css`

/** Recorded with every published result, so a recount knows which code counted. */
export const SOFTWARE_VERSION = `wijkbudget ${versionOf('package.json')}`
