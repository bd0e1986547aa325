import t from 'tap'
import { serializers } from '../server/app.js'

t.test('request logs carry the path only: never a voting code from a QR link, nor a status page token', async (t) => {
  t.same(serializers.req({ method: 'GET', url: '/rounds/btd/vote?code=ABCD-EFGH-JKMN-PQRS' }), {
    method: 'GET',
    path: '/rounds/btd/vote',
  })
  t.same(serializers.req({ method: 'GET', url: '/status/s3cr3t-token/edit' }), {
    method: 'GET',
    path: '/status/…/edit',
  })
  t.same(serializers.req({ method: 'POST', url: '/login' }), { method: 'POST', path: '/login' })
})

t.test('an invitation link is a secret too: its token never reaches a log', async (t) => {
  t.same(serializers.req({ method: 'POST', url: '/invite/Zm9vYmFyYmF6' }), { method: 'POST', path: '/invite/…' })
})
