import t from 'tap'
import { createMemo } from '../server/memo.js'

t.test('concurrent first visitors share one computation, later ones get it without computing', async (t) => {
  const memo = createMemo(60_000)
  let runs = 0
  const compute = async () => (runs++, 'page')
  t.same(await Promise.all(Array.from({ length: 50 }, () => memo.get('results:1:nl', compute))), Array(50).fill('page'))
  await memo.get('results:1:nl', compute)
  t.equal(runs, 1)
  await memo.get('results:1:en', compute)
  t.equal(runs, 2, 'another key is computed on its own')
})

t.test('after the fresh period the old value is served while one new computation runs, then the new one', async (t) => {
  let clock = 0
  const memo = createMemo(1_000, () => clock)
  let runs = 0
  let release: () => void = () => {}
  const compute = async () => {
    runs++
    if (runs > 1)
      await new Promise<void>((resolve) => {
        release = resolve
      })
    return `check ${runs}`
  }
  t.equal(await memo.get('check', compute), 'check 1')
  clock = 1_500
  t.equal(await memo.get('check', compute), 'check 1', 'stale, served at once')
  t.equal(await memo.get('check', compute), 'check 1', 'no second refresh while one runs')
  t.equal(runs, 2)
  release()
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(await memo.get('check', compute), 'check 2')
})

t.test('a failed computation is not kept', async (t) => {
  const memo = createMemo(60_000)
  let fail = true
  const compute = async () => {
    if (fail) throw new Error('database unreachable')
    return 'ok'
  }
  await t.rejects(memo.get('k', compute), /unreachable/)
  fail = false
  t.equal(await memo.get('k', compute), 'ok')
})
