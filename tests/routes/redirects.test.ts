import fc from 'fast-check'
import t from 'tap'
import { Visitor } from '../helpers/client.js'
import { html } from '../helpers/html.js'
import { demoRound } from '../helpers/fixtures.js'

const { app } = await demoRound(t)

const HOSTILE = [
  '//evil.example',
  '/\\evil.example',
  '/%5Cevil.example',
  '/%2F%2Fevil.example',
  '/caf\u00e9',
  '/a\u2028b',
  'https://evil.example',
  '/.//evil.example',
  '/a/..//evil.example',
  '/./\\evil.example',
  'HtTpS://evil.example',
]

t.test('the language switch sends a browser only to a path on this site, never answering 500', async (t) => {
  const visitor = new Visitor(app)
  const ok = await visitor.get(`/language/en?next=${encodeURIComponent('/rounds/bospolder-tussendijken?theme=green')}`)
  t.equal(ok.headers.location, '/rounds/bospolder-tussendijken?theme=green')
  for (const next of HOSTILE) {
    const res = await visitor.get(`/language/en?next=${encodeURIComponent(next)}`)
    t.equal(res.statusCode, 303, encodeURIComponent(next))
    t.equal(res.headers.location, '/', `${encodeURIComponent(next)} goes home instead`)
  }
})

t.test('after logging in, a hostile next goes to the dashboard', async (t) => {
  for (const next of HOSTILE) {
    const visitor = new Visitor(app)
    await visitor.get('/login')
    const res = await visitor.post('/login', {
      email: 'admin@example.test',
      password: 'correct horse battery staple',
      next,
    })
    t.equal(res.statusCode, 303, encodeURIComponent(next))
    t.equal(res.headers.location, '/official', `${encodeURIComponent(next)} goes to the dashboard`)
  }
})

t.test('a next with dot segments, as typed into the address bar, never leaves the site', async (t) => {
  const visitor = new Visitor(app)
  for (const raw of ['/.//evil.example', '/a/..//evil.example', '/a/b/../..//evil.example?x=1', '/.%2F/evil.example']) {
    const res = await visitor.get(`/language/en?next=${raw}`)
    t.equal(res.statusCode, 303, raw)
    t.equal(res.headers.location, '/', `${raw} goes home instead`)
    const form = html(await visitor.get(`/login?next=${raw}`))
    t.equal(form.fields(form.form('/login')).next, undefined, `${raw} is not put into the login form`)
  }
  const kept = html(await visitor.get('/login?next=/official/./rounds/../rounds'))
  t.equal(kept.fields(kept.form('/login')).next, '/official/rounds', 'a path on this site is kept, normalised')
})

t.test('for generated targets, the language switch sends a path on this site or goes home', async (t) => {
  const visitor = new Visitor(app)
  const piece = fc.constantFrom(
    '/',
    '.',
    '..',
    '\\',
    '%2e',
    '%2f',
    '@',
    ':',
    '\t',
    'evil.example',
    'https:',
    '\u2215',
    '?',
  )
  const target = fc.array(piece, { maxLength: 10 }).map((parts) => `/${parts.join('')}`)
  await fc.assert(
    fc.asyncProperty(target, async (next) => {
      const { statusCode, headers } = await visitor.get(`/language/en?next=${encodeURIComponent(next)}`)
      // A control character in the address is refused before any route reads it.
      if (statusCode === 400) return headers.location === undefined
      const location = String(headers.location)
      return statusCode === 303 && location.startsWith('/') && !/^\/[/\\]/.test(location)
    }),
    { numRuns: 300 },
  )
  t.pass('300 generated targets stayed on the site')
})
