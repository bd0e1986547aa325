import t from 'tap'
import {
  canonicalJson,
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type ChainedEntry,
} from '../../../server/domain/security/audit-chain.js'

function chain(n: number): ChainedEntry[] {
  const entries: ChainedEntry[] = []
  let prev = GENESIS_HASH
  for (let i = 1; i <= n; i++) {
    const fields = {
      at: new Date(Date.UTC(2026, 10, 1, 9, i)),
      officialId: i % 2 ? 1 : null,
      actor: `a${i}`,
      action: 'login',
      object: `official:${i}`,
      details: { n: i, nested: { b: 2, a: 1 } },
    }
    const hash = entryHash(prev, fields)
    entries.push({ ...fields, id: i, prevHash: prev, hash })
    prev = hash
  }
  return entries
}

t.test('an untouched chain verifies', async (t) => {
  t.same(verifyChain(chain(5)), { ok: true, count: 5 })
  t.same(verifyChain([]), { ok: true, count: 0 })
})

t.test('any edit, deletion or reordering is found at the first broken entry', async (t) => {
  const edited = chain(5)
  edited[2] = { ...edited[2]!, actor: 'mallory' }
  t.same(verifyChain(edited), { ok: false, count: 5, brokenAt: 3 })

  const deleted = chain(5).filter((e) => e.id !== 2)
  t.same(verifyChain(deleted), { ok: false, count: 4, brokenAt: 3 })

  const swapped = chain(4)
  ;[swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!]
  t.equal(verifyChain(swapped).ok, false)

  const rehashed = chain(3)
  rehashed[0] = { ...rehashed[0]!, details: { n: 99 } }
  rehashed[0].hash = entryHash(GENESIS_HASH, rehashed[0])
  t.same(verifyChain(rehashed), { ok: false, count: 3, brokenAt: 2 }, 'rehashing one entry breaks the next link')
})

t.test('the hash does not depend on the key order jsonb gives back', async (t) => {
  t.equal(
    canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }),
    '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
  )
  const at = new Date()
  const one = entryHash(GENESIS_HASH, {
    at,
    officialId: 1,
    actor: 'x',
    action: 'y',
    object: 'z',
    details: { a: 1, b: 2 },
  })
  const two = entryHash(GENESIS_HASH, {
    at,
    officialId: 1,
    actor: 'x',
    action: 'y',
    object: 'z',
    details: { b: 2, a: 1 },
  })
  t.equal(one, two)
  t.match(one, /^[0-9a-f]{64}$/)
})
