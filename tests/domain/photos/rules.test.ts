import t from 'tap'
import {
  checkAlt,
  checkHeader,
  parseVariantName,
  photosArePublic,
  roomFor,
  variantName,
  variantWidths,
} from '../../../server/domain/photos/rules.js'

t.test('a description is trimmed, required, and at most 200 characters (not bytes)', async (t) => {
  const cases: [string, ReturnType<typeof checkAlt>][] = [
    ['  Het dak  ', { alt: 'Het dak' }],
    ['', { error: 'altRequired' }],
    [' \n\t ', { error: 'altRequired' }],
    ['ж'.repeat(200), { alt: 'ж'.repeat(200) }],
    ['😀'.repeat(200), { alt: '😀'.repeat(200) }],
    ['x'.repeat(201), { error: 'altTooLong' }],
  ]
  for (const [alt, expected] of cases) t.same(checkAlt(alt), expected, JSON.stringify(alt.slice(0, 12)))
})

t.test('only photos pass the header check; too many pixels is its own refusal', async (t) => {
  const cases: [Parameters<typeof checkHeader>[0], ReturnType<typeof checkHeader>][] = [
    [{ format: 'jpeg', width: 4032, height: 3024 }, null],
    [{ format: 'png', width: 1, height: 1 }, null],
    [{ format: 'webp', width: 1600, height: 900 }, null],
    [{ format: 'gif', width: 400, height: 300 }, null],
    [{ format: 'heif', width: 4000, height: 3000 }, null],
    [{ format: 'svg', width: 100, height: 100 }, 'notAnImage'],
    [{ format: 'pdf', width: 600, height: 800 }, 'notAnImage'],
    [{ format: 'tiff', width: 600, height: 800 }, 'notAnImage'],
    [{}, 'notAnImage'],
    [{ format: 'jpeg', width: 0, height: 10 }, 'notAnImage'],
    [{ format: 'png', width: 20_000, height: 20_000 }, 'tooManyPixels'],
    [{ format: 'png', width: 12_001, height: 10 }, 'tooManyPixels'],
    [{ format: 'jpeg', width: 8000, height: 7000 }, 'tooManyPixels'],
  ]
  for (const [header, expected] of cases) t.equal(checkHeader(header), expected, JSON.stringify(header))
})

t.test('widths: those a photo fills, and its own when narrower than the widest', async (t) => {
  t.same(variantWidths(1600), [480, 960, 1600])
  t.same(variantWidths(1200), [480, 960, 1200])
  t.same(variantWidths(960), [480, 960])
  t.same(variantWidths(300), [300])
})

t.test('only an approved proposal that was not merged shows its photos', async (t) => {
  for (const status of ['submitted', 'needs_changes', 'rejected', 'not_reviewed'])
    t.notOk(photosArePublic({ status, duplicateOfId: null }), status)
  t.ok(photosArePublic({ status: 'approved', duplicateOfId: null }))
  t.notOk(photosArePublic({ status: 'approved', duplicateOfId: 4 }), 'merged')
})

t.test('room for photos, and variant names that read back', async (t) => {
  t.same([0, 1, 2, 3, 4].map(roomFor), [3, 2, 1, 0, 0])
  t.equal(variantName(960, 'webp'), '960.webp')
  t.same(parseVariantName('960.webp'), { width: 960, format: 'webp' })
  t.same(parseVariantName('480.jpeg'), { width: 480, format: 'jpeg' })
  for (const bad of ['960.png', '960.webp.html', '../1.webp', 'x.jpeg', '99999.webp', ''])
    t.equal(parseVariantName(bad), null, bad)
})
