import t from 'tap'
import {
  BATCH,
  CLAIM_MS,
  givesUp,
  mailFailure,
  MAX_ATTEMPTS,
  retryDelayMs,
  SEND_TIMEOUT_MS,
} from '../../../server/domain/mail/outbox.js'

const HOUR = 60 * 60 * 1000

t.test('retries back off, doubling from half a minute up to an hour', async (t) => {
  const table: [number, number][] = [
    [0, 30_000],
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [7, 1_920_000],
    [8, HOUR],
    [40, HOUR],
  ]
  for (const [attempts, ms] of table) t.equal(retryDelayMs(attempts), ms, `after ${attempts} failures`)
})

t.test('a mail is retried for more than two days before it is given up', async (t) => {
  let waited = 0
  for (let attempts = 1; !givesUp(attempts); attempts++) waited += retryDelayMs(attempts)
  t.ok(waited > 48 * HOUR, `${(waited / HOUR).toFixed(1)} hours`)
  t.notOk(givesUp(MAX_ATTEMPTS - 1))
  t.ok(givesUp(MAX_ATTEMPTS))
  t.ok(givesUp(1, true), 'a mail refused for good is given up at once')
})

t.test('a claim outlasts a whole batch sent at the slowest', async (t) => {
  t.ok(CLAIM_MS > BATCH * SEND_TIMEOUT_MS * 3, 'connection, greeting and the reply each may take the timeout')
})

t.test("a transport's error is kept as a code, never its text, which can quote the address", async (t) => {
  const table: [object, string, boolean, boolean][] = [
    [{ code: 'ESOCKET' }, 'ESOCKET', false, true],
    [{ code: 'ECONNECTION' }, 'ECONNECTION', false, true],
    [{ code: 'EAUTH', responseCode: 535 }, 'EAUTH 535', false, true],
    [{ code: 'EENVELOPE', responseCode: 550 }, 'EENVELOPE 550', true, false],
    [{ code: 'EENVELOPE', responseCode: 451 }, 'EENVELOPE 451', false, false],
    [{ code: 'EMESSAGE', responseCode: 552 }, 'EMESSAGE 552', true, false],
    [{ code: 'EENVELOPE' }, 'EENVELOPE', false, false],
    [{ code: 'bob@example.test', responseCode: 'x' }, 'ERROR', false, true],
    [{ code: 'ETIMEDOUT', responseCode: 999 }, 'ETIMEDOUT', false, true],
    [{}, 'ERROR', false, true],
  ]
  for (const [error, kind, permanent, serverWide] of table)
    t.same(mailFailure(error), { kind, permanent, serverWide }, JSON.stringify(error))
})
