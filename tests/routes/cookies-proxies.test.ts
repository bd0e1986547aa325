import t from 'tap'
import { testApp } from '../helpers/app.js'
import { Visitor } from '../helpers/client.js'
import { demoRound } from '../helpers/fixtures.js'
import { PASSWORD, signIn } from '../helpers/officials.js'

type Cookie = { name: string; secure?: boolean; path?: string; domain?: string }
const cookiesOf = (res: { cookies: unknown }) => res.cookies as Cookie[]

// The demo round, voting, served as if PUBLIC_URL were https behind a TLS-terminating proxy that talks http.
const { db, round, nextCode } = await demoRound(t, { phase: 'voting', codes: 30, officials: ['admin', 'moderator'] })
const { app: https } = await testApp(t, { db, config: { publicUrl: 'https://wijkbudget.example.nl' } })
const { app: proxied } = await testApp(t, { db, config: { trustProxy: ['10.99.0.1'] } })

t.test('with an https PUBLIC_URL every cookie is Secure, even over plain http from the proxy', async (t) => {
  const seen: Cookie[] = []
  const resident = new Visitor(https, '10.90.0.1')
  const codePage = await resident.get(`/rounds/${round.slug}/vote`, { 'x-forwarded-proto': 'http' })
  seen.push(...cookiesOf(codePage))
  seen.push(...cookiesOf(await resident.post(`/rounds/${round.slug}/vote`, { code: nextCode() })))
  seen.push(...cookiesOf(await resident.get('/language/en?next=/')))
  const official = new Visitor(https, '10.90.0.2')
  seen.push(...cookiesOf(await official.get('/login')))
  seen.push(...cookiesOf(await official.post('/login', { email: 'admin@example.test', password: PASSWORD })))
  const names = new Set(seen.map((c) => c.name))
  for (const name of ['ballot', 'lang', '__Host-csrf', '__Host-sid']) t.ok(names.has(name), `${name} was set`)
  for (const cookie of seen) t.equal(cookie.secure, true, `${cookie.name} is Secure`)
  for (const cookie of seen.filter((c) => c.name.startsWith('__Host-'))) {
    t.equal(cookie.path, '/', `${cookie.name} is for the whole site`)
    t.equal(cookie.domain, undefined, `${cookie.name} is for this host only`)
  }
})

t.test('over plain http (development) cookies keep their plain names and are not Secure', async (t) => {
  const official = new Visitor(proxied, '10.91.0.1')
  const page = await official.get('/login')
  const csrf = cookiesOf(page).find((c) => c.name === 'csrf')
  t.ok(csrf)
  t.notOk(csrf!.secure)
})

t.test('X-Forwarded-For is believed only from a named proxy', async (t) => {
  const attempt = (remoteAddress: string, forwarded: string) =>
    proxied.inject({
      method: 'POST',
      url: '/login',
      remoteAddress,
      headers: { 'x-forwarded-for': forwarded, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=x',
    })
  // The login form allows 20 tries per address in 10 minutes.
  for (let i = 0; i < 20; i++) await attempt('10.99.0.1', '192.0.2.1')
  t.equal((await attempt('10.99.0.1', '192.0.2.1')).statusCode, 429, 'the client behind the proxy reached its limit')
  t.not((await attempt('10.99.0.1', '192.0.2.2')).statusCode, 429, 'its neighbour behind the same proxy did not')
  t.not(
    (await attempt('10.98.0.7', '192.0.2.1')).statusCode,
    429,
    'a client elsewhere cannot borrow that address with the header',
  )
  for (let i = 0; i < 20; i++) await attempt('10.98.0.8', `198.51.100.${i}`)
  t.equal(
    (await attempt('10.98.0.8', '198.51.100.99')).statusCode,
    429,
    'nor escape its own limit by changing the header',
  )
})

t.test('official pages and pages with contact details, a status token or a ballot are never cached', async (t) => {
  const official = new Visitor(proxied, '10.92.0.1')
  await signIn(official, 'moderator@example.test')
  for (const path of ['/official', '/official/moderation', '/login', `/rounds/${round.slug}/vote`, '/receipts']) {
    t.equal((await official.get(path)).headers['cache-control'], 'no-store', path)
  }
  const publicPage = await official.get(`/rounds/${round.slug}`)
  t.not(publicPage.headers['cache-control'], 'no-store', 'a public round page may be cached')
})

t.test('security headers are on every page, with HSTS only when PUBLIC_URL is https', async (t) => {
  const secure = await new Visitor(https, '10.92.0.1').get('/')
  t.match(secure.headers['strict-transport-security'], /max-age=\d+/)
  t.match(secure.headers['content-security-policy'], 'upgrade-insecure-requests')
  const plain = await new Visitor(proxied, '10.92.0.2').get('/')
  t.equal(plain.headers['strict-transport-security'], undefined)
  t.notMatch(plain.headers['content-security-policy'], 'upgrade-insecure-requests')
  for (const res of [secure, plain]) {
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN')
    t.match(res.headers['content-security-policy'], "default-src 'self'")
  }
})
