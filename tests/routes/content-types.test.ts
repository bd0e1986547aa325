import t from 'tap'
import { count } from 'drizzle-orm'
import { auditLog, officials, proposals } from '../../db/schema.js'
import { Visitor } from '../helpers/client.js'
import { demoRound } from '../helpers/fixtures.js'
import { html, msg } from '../helpers/html.js'

const { app, db } = await demoRound(t, { phase: 'proposing', officials: ['admin'] })
const SLUG = 'bospolder-tussendijken'

const rowCounts = async () => ({
  proposals: (await db.select({ n: count() }).from(proposals))[0]!.n,
  audit: (await db.select({ n: count() }).from(auditLog))[0]!.n,
  officials: (await db.select({ n: count() }).from(officials))[0]!.n,
})

/** A visitor who read the form, and the token that form gave: what an attacker starts from. */
async function withToken(path: string) {
  const v = new Visitor(app)
  const page = await v.get(path)
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
  return { v, token }
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

t.test('a deeply nested JSON body on the login form is refused with 415 before it is parsed', async (t) => {
  const { v, token } = await withToken('/login')
  const before = await rowCounts()
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: v.ip,
    headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie: v.cookieHeader },
    payload: nested(5000),
  })
  t.equal(res.statusCode, 415)
  t.equal(html(res).text('h1'), msg('errors.unsupportedMediaType'))
  t.same(await rowCounts(), before)
})

t.test('a form route takes only an HTML form: any other type is refused with a translated 415', async (t) => {
  const { v, token } = await withToken(`/rounds/${SLUG}/proposals/new`)
  const before = await rowCounts()
  for (const [type, payload] of [
    ['application/json', JSON.stringify({ _csrf: token, title: 'x' })],
    ['text/plain', `_csrf=${token}&title=x`],
    ['application/xml', '<a/>'],
    ['application/x-www-form-urlencodedx', `_csrf=${token}`],
    ['', `_csrf=${token}`],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: `/rounds/${SLUG}/proposals`,
      remoteAddress: v.ip,
      headers: { 'content-type': type, 'x-csrf-token': token, cookie: v.cookieHeader, 'accept-language': 'en' },
      payload,
    })
    t.equal(res.statusCode, 415, type)
    t.equal(html(res).text('h1'), msg('errors.unsupportedMediaType', {}, 'en'), type)
  }
  t.same(await rowCounts(), before)
})

t.test('multipart is read only where a form has photos: elsewhere 415, and broken multipart is a 400', async (t) => {
  const login = await withToken('/login')
  const before = await rowCounts()
  const multipart = (token: string) =>
    `--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--b--\r\n`
  const refused = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: login.v.ip,
    headers: { 'content-type': 'multipart/form-data; boundary=b', cookie: login.v.cookieHeader },
    payload: multipart(login.token),
  })
  t.equal(refused.statusCode, 415)
  const { v, token } = await withToken(`/rounds/${SLUG}/proposals/new`)
  const broken = await app.inject({
    method: 'POST',
    url: `/rounds/${SLUG}/proposals`,
    remoteAddress: v.ip,
    headers: { 'content-type': 'multipart/form-data; boundary=b', cookie: v.cookieHeader },
    payload: multipart(token).slice(0, -8),
  })
  t.equal(broken.statusCode, 400, 'a body that breaks off')
  t.equal(html(broken).text('h1'), msg('errors.badRequest'))
  t.same(await rowCounts(), before)
})

t.test('a form with a charset or in capitals is still a form', async (t) => {
  const { v } = await withToken('/login')
  const form = { email: 'nobody@example.test', password: '' }
  const plain = await v.post('/login', form)
  t.equal(plain.statusCode, 422)
  for (const type of ['application/x-www-form-urlencoded; charset=UTF-8', 'Application/X-WWW-Form-Urlencoded']) {
    const res = await v.post('/login', form, { 'content-type': type })
    t.equal(res.statusCode, 422, type)
    t.equal(html(res).field('password').error, msg('form.required'), type)
  }
})

t.test('a body without a type is refused; a post without a body reaches the form token check', async (t) => {
  const { v, token } = await withToken('/login')
  const typeless = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: v.ip,
    headers: { cookie: v.cookieHeader, 'x-csrf-token': token },
    payload: 'email=a',
  })
  t.equal(typeless.statusCode, 415)
  const empty = await app.inject({ method: 'POST', url: '/login', remoteAddress: v.ip })
  t.equal(empty.statusCode, 403)
  t.equal(html(empty).text('h1'), msg('errors.csrf'))
})

t.test('a body the parser refuses gets a translated 4xx page', async (t) => {
  const { v } = await withToken('/login')
  const lying = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: v.ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '5', cookie: v.cookieHeader },
    payload: 'email=a@example.test&password=longer-than-five',
  })
  t.equal(lying.statusCode, 400)
  t.equal(html(lying).text('h1'), msg('errors.badRequest'))
})

t.test('a form field repeated thousands of times is a list, checked without recursion', async (t) => {
  const { v } = await withToken('/login')
  const res = await v.post('/login', { email: Array.from({ length: 5000 }, () => 'a\u0000'), password: 'x' })
  t.equal(res.statusCode, 422)
  t.equal(html(res).text('h1'), msg('errors.controlCharacter'))
})
