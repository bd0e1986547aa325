import t from 'tap'
import { and, eq } from 'drizzle-orm'
import { auditLog, rounds } from '../../../db/schema.js'
import { CODE_LIMITS } from '../../../server/domain/voting/code-guessing.js'
import { nextAddress, Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'

const { app, db, round, roundId, nextCode, signedIn } = await demoRound(t, {
  phase: 'voting',
  codes: 40,
  officials: ['admin'],
})
const SLUG = round.slug
const WRONG = 'ABCD-EFGH-JKMN-PQRS'
const failed = async () =>
  (await db.select({ n: rounds.failedCodeAttempts }).from(rounds).where(eq(rounds.id, roundId)))[0]!.n

async function browser(ip: string) {
  const v = new Visitor(app, ip)
  await v.get(`/rounds/${SLUG}/vote`)
  return v
}

t.test(
  '55 simultaneous wrong codes from one browser: the count is taken before the look-up, so only 10 are looked up',
  async (t) => {
    const v = await browser('10.84.1.1')
    const before = await failed()
    const answers = await Promise.all(Array.from({ length: 55 }, () => v.post(`/rounds/${SLUG}/vote`, { code: WRONG })))
    t.equal(answers.filter((r) => r.statusCode === 422).length, CODE_LIMITS.perBrowser, 'ten told the code is unknown')
    t.equal(answers.filter((r) => r.statusCode === 429).length, 55 - CODE_LIMITS.perBrowser, 'the rest told to wait')
    t.equal((await failed()) - before, CODE_LIMITS.perBrowser, 'only ten were looked up')
    const blocked = await v.post(`/rounds/${SLUG}/vote`, { code: nextCode() })
    t.equal(blocked.statusCode, 429, 'the browser that guessed waits, even with a right code')
    const neighbour = await browser('10.84.1.1')
    t.equal(
      (await neighbour.post(`/rounds/${SLUG}/vote`, { code: nextCode() })).statusCode,
      303,
      'a neighbour on the same address gets through',
    )
  },
)

t.test('behind one address, 20 typos by others do not stop 30 neighbours with valid codes', async (t) => {
  const ip = '10.84.2.1'
  for (let b = 0; b < 4; b++) {
    const v = await browser(ip)
    for (let i = 0; i < 5; i++) t.equal((await v.post(`/rounds/${SLUG}/vote`, { code: WRONG })).statusCode, 422)
  }
  let through = 0
  for (let n = 0; n < 30; n++) {
    const v = await browser(ip)
    const res = await v.post(`/rounds/${SLUG}/vote`, { code: nextCode() })
    if (res.statusCode === 303 && res.headers.location === `/rounds/${SLUG}/vote/ballot`) through++
  }
  t.equal(through, 30)
})

t.test(
  '1,000 wrong codes from many addresses raise one security event, shown to admins, and tighten every address',
  async (t) => {
    // A script: no cookie at all (the CSRF cookie is the browser's id), through the letter's link, from a new address every time.
    const scriptAddresses: string[] = []
    const guess = () => {
      const address = nextAddress()
      scriptAddresses.push(address)
      return app.inject({ method: 'GET', url: `/rounds/${SLUG}/vote?code=${WRONG}`, remoteAddress: address })
    }
    for (let n = 0; n < CODE_LIMITS.roundBurst; n += 25) {
      const answers = await Promise.all(Array.from({ length: 25 }, guess))
      if (answers.some((r) => r.statusCode !== 422)) t.fail(`an answer other than 422 at ${n}`)
    }
    const events = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'security.code-guessing'), eq(auditLog.object, `round:${roundId}`)))
    t.equal(events.length, 1, 'one event for the burst')
    t.match(events[0], { actor: 'anonymous', details: { wrongCodes: CODE_LIMITS.roundBurst } })
    t.ok(
      scriptAddresses.includes((events[0]!.details as { origin: string }).origin),
      "the origin is one of the script's",
    )

    const admin = await signedIn('admin')
    const securityPage = await admin.get('/official/security')
    t.equal(securityPage.statusCode, 200)
    t.match(securityPage.body, 'Veel foute stemcodes: mogelijk raden')
    t.match(securityPage.body, `round:${roundId}`)

    const ip = '10.84.4.1'
    for (let b = 0; b < 2; b++) {
      const v = await browser(ip)
      for (let i = 0; i < 5; i++) await v.post(`/rounds/${SLUG}/vote`, { code: WRONG })
    }
    const late = await (await browser(ip)).post(`/rounds/${SLUG}/vote`, { code: WRONG })
    t.equal(late.statusCode, 429, 'during the attack an address gets the strict limit')
  },
)
