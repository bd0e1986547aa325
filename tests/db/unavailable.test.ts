import t from 'tap'
import { databaseUnavailable, endedByServer, staleConnection } from '../../db/unavailable.js'

const coded = (code: string, cause?: unknown) => Object.assign(new Error(code, { cause }), { code })
/** What drizzle throws: its own error, with the driver's as the cause. */
const drizzled = (cause: unknown) => new Error('Failed query: select 1', { cause })

const cases: [string, unknown, boolean][] = [
  ['connection refused', coded('ECONNREFUSED'), true],
  ['refused on both addresses of localhost', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), true],
  ['a connection the server reset, under drizzle', drizzled(coded('ECONNRESET')), true],
  ['postgres.js: the connection was closed', drizzled(coded('CONNECTION_CLOSED')), true],
  ['57P01 admin shutdown', drizzled(coded('57P01')), true],
  ['57P03 cannot connect now (starting up)', coded('57P03'), true],
  ['08006 connection failure', coded('08006'), true],
  ['53300 too many connections', coded('53300'), true],
  ['23505 a unique violation is the query’s fault', drizzled(coded('23505')), false],
  ['42P01 a missing table', coded('42P01'), false],
  ['an error without a code', new Error('boom'), false],
  ['a code that is not text', Object.assign(new Error('x'), { code: 57 }), false],
  ['not an error at all', 'ECONNREFUSED', false],
  ['null', null, false],
  [
    'a cause chain too deep to be the driver’s',
    [1, 2, 3, 4, 5].reduce<unknown>((e) => drizzled(e), coded('ECONNRESET')),
    false,
  ],
]

for (const [name, error, expected] of cases) {
  t.equal(databaseUnavailable(error), expected, name)
}

t.test('a connection the server had ended is worth a retry; a refused connect is not', async (t) => {
  t.ok(staleConnection(drizzled(coded('CONNECTION_CLOSED'))))
  t.ok(staleConnection(coded('ECONNRESET')))
  t.ok(staleConnection(drizzled(coded('57P01'))))
  t.notOk(staleConnection(drizzled(coded('ECONNREFUSED'))))
  t.notOk(staleConnection(drizzled(coded('23505'))))
  t.notOk(staleConnection(null))
})

t.test('only the server’s own "terminated" proves a write was not run', async (t) => {
  t.ok(endedByServer(drizzled(coded('57P01'))))
  t.ok(endedByServer(coded('57P02')))
  t.notOk(endedByServer(drizzled(coded('CONNECTION_CLOSED'))), 'a closed socket may have carried the write')
  t.notOk(endedByServer(drizzled(coded('ECONNRESET'))))
})
