import t from 'tap'
import { Visitor } from '../helpers/client.js'
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
