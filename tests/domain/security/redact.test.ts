import t from 'tap'
import { loggedError, redact } from '../../../server/domain/security/redact.js'

t.test(
  'log text loses contact details, codes, receipts, status tokens, query strings and SQL parameters',
  async (t) => {
    const text =
      'Failed query: insert into "proposals" values ($1, $2)\nparams: Fatima,fatima@example.net,06 12345678\n' +
      'GET /status/AbCdEf123_-xyz/edit?code=ABCD-EFGH-JKMN-PQRS receipt 23456-789AB Key (email)=(a@b.nl) already exists'
    const out = redact(text)
    for (const secret of [
      'Fatima',
      'fatima@example.net',
      '12345678',
      'AbCdEf123',
      'ABCD-EFGH',
      '23456-789AB',
      'a@b.nl',
    ])
      t.notMatch(out, secret, secret)
    t.match(out, 'insert into "proposals" values ($1, $2)')
  },
)

t.test('a failed query is logged as its statement and SQLSTATE, without parameters, even across lines', async (t) => {
  const cause = Object.assign(new Error('new row violates check constraint "x"'), { code: '23514' })
  const error = Object.assign(
    new Error('Failed query: insert into "p" values ($1)\nparams: line one\nline two secret'),
    {
      query: 'insert into "p" values ($1)',
      params: ['line one\nline two secret'],
      cause,
    },
  )
  const logged = loggedError(error)
  t.equal(logged.message, 'Failed query: insert into "p" values ($1)')
  t.equal(logged.sqlState, '23514')
  t.notMatch(JSON.stringify(logged), 'secret')
  t.match(logged.stack, /^\s+at /)
})
