import { readFileSync } from 'node:fs'
import semver from 'semver'
import t from 'tap'

const root = new URL('../', import.meta.url)
const json = <T>(file: string) => JSON.parse(readFileSync(new URL(file, root), 'utf8')) as T

t.test(
  'every installed package supports the Node version the project states, so npm install gives no engine warning',
  async (t) => {
    const stated = json<{ engines: { node: string } }>('package.json').engines.node
    const packages = json<{ packages: Record<string, { engines?: { node?: string } | string[] }> }>(
      'package-lock.json',
    ).packages
    const refusing = Object.entries(packages)
      .filter(([path, p]) => path !== '' && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(
        ([, p]) =>
          !semver.satisfies(process.version, (p.engines as { node: string }).node, { includePrerelease: true }),
      )
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')} wants node ${(p.engines as { node: string }).node}`)
    t.same(refusing, [], `packages that refuse node ${process.version} (the project states ${stated})`)
  },
)
