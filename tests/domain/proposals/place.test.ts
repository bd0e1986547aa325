import t from 'tap'
import {
  degreesText,
  importedPoint,
  inNetherlands,
  isWgs84,
  readPoint,
} from '../../../server/domain/proposals/place.js'

t.test('a point from the form: both coordinates or neither, inside the Netherlands', async (t) => {
  const cases: [string, string, ReturnType<typeof readPoint>][] = [
    ['', '', { point: null }],
    ['  ', ' ', { point: null }],
    ['51.9139', '4.4368', { point: { latitude: 51.9139, longitude: 4.4368 } }],
    ['51,9139', '4,4368', { point: { latitude: 51.9139, longitude: 4.4368 } }],
    ['51.91391234567', '4.43681234567', { point: { latitude: 51.913912, longitude: 4.436812 } }],
    ['51.9', '', { error: 'pointHalf' }],
    ['', '4.4', { error: 'pointHalf' }],
    ['4.4368', '51.9139', { error: 'pointOutside' }],
    ['52.2523', '21.1533', { error: 'pointOutside' }],
    ['91', '4.4', { error: 'pointInvalid' }],
    ['51.9', '181', { error: 'pointInvalid' }],
    ['51.9.1', '4.4', { error: 'pointInvalid' }],
    ['1e1', '4.4', { error: 'pointInvalid' }],
    ['Infinity', '4.4', { error: 'pointInvalid' }],
    ['<b>', '4.4', { error: 'pointInvalid' }],
  ]
  for (const [lat, lng, expected] of cases) t.same(readPoint(lat, lng), expected, `${lat} ${lng}`)
})

t.test('the box holds the Netherlands from Cadzand to Eemshaven, not Brussels or Düsseldorf', async (t) => {
  t.ok(inNetherlands({ latitude: 51.37, longitude: 3.39 }))
  t.ok(inNetherlands({ latitude: 53.45, longitude: 6.83 }))
  t.ok(inNetherlands({ latitude: 50.85, longitude: 5.69 }))
  t.notOk(inNetherlands({ latitude: 50.5, longitude: 4.35 }))
  t.notOk(inNetherlands({ latitude: 51.22, longitude: 7.5 }))
  t.ok(isWgs84(-90, 180))
  t.notOk(isWgs84(90.1, 0))
  t.notOk(isWgs84(Number.NaN, 0))
})

t.test('an imported file keeps any valid point and drops anything else', async (t) => {
  t.same(importedPoint('52.25235316252101', '21.153318113096667'), { latitude: 52.252353, longitude: 21.153318 })
  t.equal(importedPoint('', ''), null)
  t.equal(importedPoint(undefined, '21.1'), null)
  t.equal(importedPoint('100', '21.1'), null)
  t.equal(importedPoint('n/a', '21.1'), null)
  t.equal(degreesText(4.1), '4.1')
  t.equal(degreesText(51.91391234), '51.913912')
})
