import t from 'tap'
import {
  checkCode,
  codeAt,
  groupsOfFour,
  otpauthUri,
  secretFromBytes,
  timeStep,
} from '../../../server/domain/access/totp.js'
import { normaliseRecoveryCode, recoveryCodeFromBytes } from '../../../server/domain/access/recovery-codes.js'

const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const now = 1_800_000_000_000
const step = timeStep(now)

t.test('the code check refuses malformed, wrong and replayed codes and accepts one step either side', async (t) => {
  const table: [string, string, number | null, ReturnType<typeof checkCode>][] = [
    ['letters', 'abc123', null, { ok: false, reason: 'format' }],
    ['five digits', '12345', null, { ok: false, reason: 'format' }],
    ['three steps old', codeAt(secret, now - 90_000), null, { ok: false, reason: 'wrong' }],
    ['one step old', codeAt(secret, now - 30_000), null, { ok: true, step: step - 1 }],
    ['one step ahead', codeAt(secret, now + 30_000), null, { ok: true, step: step + 1 }],
    ['now', codeAt(secret, now), null, { ok: true, step }],
    [
      'now, typed with a space',
      `${codeAt(secret, now).slice(0, 3)} ${codeAt(secret, now).slice(3)}`,
      null,
      { ok: true, step },
    ],
    ['now, after this step was used', codeAt(secret, now), step, { ok: false, reason: 'replayed' }],
    ['an older step after a later one was used', codeAt(secret, now - 30_000), step, { ok: false, reason: 'replayed' }],
    ['the next step after this one was used', codeAt(secret, now + 30_000), step, { ok: true, step: step + 1 }],
  ]
  for (const [name, code, last, expected] of table) t.same(checkCode(secret, code, now, last), expected, name)
})

t.test(
  'a new secret has 160 bits, shown in groups of four, and the QR address names the issuer and account',
  async (t) => {
    const s = secretFromBytes(new Uint8Array(20).fill(7))
    t.equal(s.length, 32)
    t.equal(groupsOfFour('ABCDEFGHIJ'), 'ABCD EFGH IJ')
    const uri = otpauthUri(secret, 'lead@gemeente.example', 'Wijkbudget')
    t.match(uri, /^otpauth:\/\/totp\/Wijkbudget:lead%40gemeente\.example\?/)
    t.match(uri, `secret=${secret}`)
    t.match(uri, 'period=30')
  },
)

t.test('recovery codes come in four groups of four without look-alikes, and are read back however typed', async (t) => {
  const code = recoveryCodeFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i * 17))
  t.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)
  t.notMatch(code, /[01ilo]/)
  t.equal(normaliseRecoveryCode(code.toUpperCase().replaceAll('-', ' ')), code)
  t.equal(normaliseRecoveryCode('short'), null)
  t.equal(normaliseRecoveryCode('oooo-oooo-oooo-oooo'), null, 'letters that are never issued')
  t.throws(() => recoveryCodeFromBytes(new Uint8Array(8)))
})
