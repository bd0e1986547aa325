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
