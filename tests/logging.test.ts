import t from 'tap'
import { serializers } from '../server/app.js'

const logged = (method: string, url: string, route?: string) =>
  serializers.req({ method, url, routeOptions: { url: route } })

t.test('request logs carry the path only: never a voting code from a QR link, nor a status page token', async (t) => {
  t.same(logged('GET', '/rounds/btd/vote?code=ABCD-EFGH-JKMN-PQRS', '/rounds/:slug/vote'), {
    method: 'GET',
    path: '/rounds/btd/vote',
  })
  t.same(logged('GET', '/status/s3cr3t-token/edit', '/status/:token/edit'), {
    method: 'GET',
    path: '/status/:token/edit',
  })
  t.same(logged('POST', '/login', '/login'), { method: 'POST', path: '/login' })
})

t.test('a route whose address carries a secret or a code is logged by its pattern', async (t) => {
  for (const [url, route] of [
    ['/receipts/ABCDE-FGHJK', '/receipts/:receipt'],
    ['/invite/Zm9vYmFyYmF6', '/invite/:token'],
    ['/follow/c2VjcmV0/confirm', '/follow/:secret/confirm'],
    ['/conversation/a2V5', '/conversation/:key'],
  ])
    t.same(logged('GET', url!, route), { method: 'GET', path: route }, route!)
})

t.test('an address no route matches is cut to its first segment, itself redacted', async (t) => {
  t.equal(logged('GET', '/receipt/ABCDE-FGHJK').path, '/receipt/…')
  t.equal(logged('GET', '/ABCD-EFGH-JKMN-PQRS').path, '/[code]')
  t.equal(logged('GET', '/nergens?code=ABCD').path, '/nergens')
  t.equal(logged('GET', '/').path, '/')
})
