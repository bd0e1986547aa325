import t from 'tap'
import {
  attemptAllowed,
  attemptKeys,
  CODE_LIMITS,
  crossesAddressLimit,
  crossesBurst,
} from '../../../server/domain/voting/code-guessing.js'

const { perBrowser, perAddress, roundBurst } = CODE_LIMITS

t.test('a browser gets a few tries, its address many, and every address only a few during a burst', async (t) => {
  t.ok(attemptAllowed({ browser: perBrowser, address: perAddress, round: 0 }))
  t.notOk(attemptAllowed({ browser: perBrowser + 1, address: 1, round: 0 }), 'one browser over its limit')
  t.notOk(attemptAllowed({ browser: 1, address: perAddress + 1, round: 0 }), 'an address over its limit')
  t.ok(attemptAllowed({ browser: 1, address: perBrowser, round: roundBurst }))
  t.notOk(
    attemptAllowed({ browser: 1, address: perBrowser + 1, round: roundBurst }),
    'during a burst the address limit tightens',
  )
})

t.test('the lockout and the burst are each reported by exactly one attempt', async (t) => {
  t.ok(crossesAddressLimit({ browser: 1, address: perAddress + 1, round: 0 }))
  t.notOk(crossesAddressLimit({ browser: 1, address: perAddress + 2, round: 0 }))
  t.ok(crossesBurst(roundBurst))
  t.notOk(crossesBurst(roundBurst + 1))
})

t.test('a client without the browser cookie is counted by its address under the browser limit', async (t) => {
  t.equal(attemptKeys(7, '10.0.0.1', null).browser, 'codefail:7:bare:10.0.0.1')
  t.equal(attemptKeys(7, '10.0.0.1', 'abc').browser, 'codefail:7:browser:abc')
  t.equal(attemptKeys(7, '10.0.0.1', 'abc').address, 'codefail:7:address:10.0.0.1')
})
