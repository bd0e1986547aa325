import fc from 'fast-check'
import t from 'tap'
import { safeRedirect } from '../../../server/domain/security/redirect.js'

/** A test name on one line, whatever the input holds. */
const printable = (value: unknown) =>
  String(JSON.stringify(value)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

t.test('a redirect goes to a path on this site, or to the fallback', async (t) => {
  const table: [unknown, string][] = [
    ['/official', '/official'],
    ['/rounds/x?y=1', '/rounds/x?y=1'],
    ['/official/rounds/1/../2', '/official/rounds/2'],
    ['/zoek?q=caf%C3%A9', '/zoek?q=caf%C3%A9'],
    ['https://evil.example', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/\\/evil.example', '/'],
    ['\\\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['\t//evil.example', '/'],
    [' //evil.example', '/'],
    ['/%2fevil.example', '/'],
    ['/%2F%2Fevil.example', '/'],
    ['/%5cevil.example', '/'],
    ['/%00', '/'],
    ['/a\u0000b', '/'],
    ['/café', '/'],
    ['/\u2028', '/'],
    ['/a#frag', '/'],
    ['javascript:alert(1)', '/'],
    ['/.%2e/evil', '/'],
    ['', '/'],
    [undefined, '/'],
    [['/a'], '/'],
    ['/' + 'a'.repeat(2001), '/'],
  ]
  for (const [target, expected] of table) t.equal(safeRedirect(target, '/'), expected, printable(target).slice(0, 60))
})

/** What a browser does with a Location: on this site when it resolves to this site's origin, tabs and line breaks dropped. */
const SITE = 'https://wijkbudget.example'
function staysOnSite(location: string): boolean {
  if (!location.startsWith('/') || location.startsWith('//') || location.startsWith('/\\')) return false
  return new URL(location.replace(/[\t\n\r]/g, ''), SITE).origin === SITE
}

t.test('dot segments that would make another host of a path send the fallback', async (t) => {
  const families: Record<string, string[]> = {
    'dot segments': ['/.//evil.example', '/a/..//evil.example', '/././/evil.example', '/a/b/../..//evil.example'],
    'dot segments with a query': ['/.//evil.example?x=1', '/a/..//evil.example/path?next=/'],
    'dot segments then a backslash or scheme': ['/./\\evil.example', '/..//@evil.example'],
    'doubled and encoded slashes': ['///evil.example', '/.%2f/evil.example', '/%2e/%2e//evil.example'],
    '@ and userinfo': ['/.//user@evil.example', '//@evil.example', '/@evil.example/..//x'],
    'schemes in every case': ['HTTPS://evil.example', 'hTtP://evil.example', 'JaVaScRiPt:alert(1)', 'data:text/html,x'],
    'tabs and line breaks': ['/.\t//evil.example', '/./\n/evil.example', '/.\r//evil.example'],
    'unicode slashes and dots': ['/.\u2215/evil.example', '/\uff0f\uff0fevil.example', '/\u3002//evil.example'],
  }
  for (const [family, targets] of Object.entries(families))
    for (const target of targets) {
      const sent = safeRedirect(target, '/')
      t.equal(sent, '/', `${family}: ${printable(target)}`)
    }
  t.equal(safeRedirect('/.//evil.example', ''), '', 'the login form gets an empty field')
  t.equal(safeRedirect('/./https://evil.example', '/'), '/https://evil.example', 'a scheme inside a path is a path')
  t.equal(safeRedirect('/a/./b/../c?d=/.//e', '/'), '/a/c?d=/.//e', 'dot segments in a query are text, not a path')
})

const PIECES = [
  '/',
  '//',
  '\\',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  '%5c',
  '%25',
  '%',
  '\t',
  '\n',
  '\r',
  ' ',
  '@',
  ':',
  '?',
  '#',
  'evil.example',
  'a',
  'http:',
  'HTTPS:',
  'javascript:',
  '\u2215',
  '\u2044',
  '\uff0f',
  '\uff3c',
  '\u3002',
  '\uff0e',
  '\u0000',
  '\u00e9',
  ';',
  '&',
  '=',
]
const path = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(''))

t.test('for any generated path, what is sent is a path on this site or the fallback', async (t) => {
  const property = (target: string) => {
    const sent = safeRedirect(target, '/fallback')
    return sent === '/fallback' || staysOnSite(sent)
  }
  t.doesNotThrow(() => fc.assert(fc.property(path, property), { numRuns: 20_000 }))
  t.doesNotThrow(() =>
    fc.assert(
      fc.property(
        fc.constantFrom('/', '/.', '/..', '/a/..').chain((start) => path.map((p) => start + p)),
        property,
      ),
      { numRuns: 20_000 },
    ),
  )
  t.doesNotThrow(() =>
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), property), { numRuns: 5_000 }),
  )
  t.doesNotThrow(() => fc.assert(fc.property(fc.webUrl(), property), { numRuns: 2_000 }))
})
