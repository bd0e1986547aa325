import { existsSync } from 'node:fs'

/**
 * The project folder, whether this runs as TypeScript from server/ (tsx,
 * tests) or compiled from build/server/: the nearest folder up that holds
 * package.json. Views, static files, migrations and node_modules are found
 * from here, never from the depth of the file asking.
 */
function findRoot(): URL {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    if (existsSync(new URL('package.json', dir))) return dir
    if (new URL('../', dir).href === dir.href) throw new Error(`no package.json above ${import.meta.url}`)
  }
}

export const ROOT = findRoot()

/** A file or folder of the project, by its path from the project folder. */
export const fromRoot = (path: string): URL => new URL(path, ROOT)
