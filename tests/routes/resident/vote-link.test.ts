import t from 'tap'
import { eq } from 'drizzle-orm'
import { ballots, votingCodes } from '../../../db/schema.js'
import { CODE_LIMITS } from '../../../server/domain/voting/code-guessing.js'
import { hashCode, normaliseCode } from '../../../server/domain/voting/codes.js'
import { TEST_CONFIG } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { demoRound } from '../../helpers/fixtures.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId, byTitle, nextCode } = await demoRound(t, { phase: 'voting', codes: 30, officials: [] })
const cafe = byTitle('Energiecafé')
const solar = byTitle('Zonnepanelen')
const votePath = `/rounds/${round.slug}/vote`
const link = (code: string) => `${votePath}?code=${encodeURIComponent(code)}`

async function vote(code: string, projects: number[]) {
  const v = new Visitor(app)
  await v.get(link(code))
  await v.get(`${votePath}/ballot`)
  const res = await v.post(`${votePath}/ballot`, { projects: projects.map(String), intent: 'submit' })
  return String(res.headers.location).replace(/^\/receipts\/|\?new=1$/g, '')
}

t.test('the QR link with a valid code goes straight to the ballot, no code form to confirm', async (t) => {
  const v = new Visitor(app)
  const res = await v.get(link(nextCode()))
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `${votePath}/ballot`)
  const ballot = html(await v.get(`${votePath}/ballot`))
  t.equal(ballot.text('h1'), msg('vote.ballotTitle'))
  t.same(ballot.checked('projects'), [], 'a first vote starts empty')
})

t.test('the QR link of a code that already voted opens the ballot with that choice ticked', async (t) => {
  const code = nextCode()
  await vote(code, [cafe.id, solar.id])
  const v = new Visitor(app)
  await v.get(link(code))
  const page = html(await v.get(`${votePath}/ballot`))
  t.equal(page.text('main > .alert'), msg('vote.votedBefore'))
  t.same(page.checked('projects').sort(), [String(cafe.id), String(solar.id)].sort())
})

t.test('a code typed by hand may carry spaces, any dash, small letters and foreign digits', async (t) => {
  const code = nextCode()
  const typed = ` ${code.toLowerCase().replaceAll('-', '\u2010 ')} `.replace(/[2-9]/g, (d) =>
    String.fromCharCode(0x0660 + Number(d)),
  )
  const v = new Visitor(app)
  await v.get(votePath)
  const res = await v.post(votePath, { code: typed })
  t.equal(res.statusCode, 303, JSON.stringify(typed))
  t.equal(res.headers.location, `${votePath}/ballot`)
})

t.test(
  'a QR link with a wrong, revoked or broken code lands on the code page saying why, never an error page',
  async (t) => {
    const revoked = nextCode()
    await db
      .update(votingCodes)
      .set({ revokedAt: new Date() })
      .where(eq(votingCodes.codeHash, hashCode(TEST_CONFIG.codeKey, normaliseCode(revoked)!)))
    const cases: [string, number, string][] = [
      ['ABCD-EFGH-JKMN-PQRS', 422, 'vote.codeUnknown'],
      [revoked, 422, 'vote.codeRevoked'],
      ['<script>alert(1)</script>', 422, 'vote.codeUnknown'],
      ['%%%', 422, 'vote.codeUnknown'],
    ]
    for (const [code, status, errorKey] of cases) {
      const res = await new Visitor(app).get(link(code))
      t.equal(res.statusCode, status, code)
      const page = html(res)
      t.equal(page.text('.field__error'), msg(errorKey), code)
      t.equal(page.get('input[name=code]').getAttribute('value'), code, 'what the link carried is shown to correct')
      t.equal(page.get('input[name=code]').getAttribute('dir'), 'ltr', 'a code reads left to right on any page')
    }
    const tooLong = await new Visitor(app).get(link('A'.repeat(300)))
    t.ok(tooLong.statusCode < 500, `a very long code gets a page, not a crash (${tooLong.statusCode})`)
  },
)

t.test('wrong codes in QR links count against the same limit as typed ones', async (t) => {
  const v = new Visitor(app)
  await v.get(votePath)
  const answers = []
  for (let i = 0; i <= CODE_LIMITS.perBrowser; i++) answers.push((await v.get(link('ABCD-EFGH-JKMN-PQRS'))).statusCode)
  t.same(answers.slice(0, CODE_LIMITS.perBrowser), Array(CODE_LIMITS.perBrowser).fill(422))
  t.equal(answers.at(-1), 429)
  const blocked = await v.get(link(nextCode()))
  t.equal(blocked.statusCode, 429, 'even a right code waits once the browser guessed too often')
  t.equal(html(blocked).text('.field__error'), msg('vote.tooManyCodes'))
})

t.test('the receipt page says which code is which, and shows the receipt left to right', async (t) => {
  const receipt = await vote(nextCode(), [cafe.id])
  const page = html(await new Visitor(app).get(`/receipts/${receipt}?new=1`))
  t.equal(page.get('.receipt-code').getAttribute('dir'), 'ltr')
  t.same(page.facts('.receipt-codes'), {
    [msg('receipt.receiptCodeTerm')]: msg('receipt.receiptCodeText'),
    [msg('receipt.letterCodeTerm')]: msg('receipt.letterCodeText'),
  })
  const ar = html(await new Visitor(app).get(`/receipts/${receipt}?lang=ar`))
  t.equal(ar.get('html').getAttribute('dir'), 'rtl')
  t.equal(ar.get('.receipt-code').getAttribute('dir'), 'ltr', 'an Arabic page does not turn 23456-ABCDE around')
})

t.test('the receipt check page explains what to type and links back', async (t) => {
  const page = html(await new Visitor(app).get('/receipts'))
  t.ok(page.texts('main p').includes(msg('receipt.checkIntro')), 'it says what the receipt code is')
  t.equal(page.text('#receipt-hint'), msg('receipt.hint'))
  t.equal(page.get('#receipt').getAttribute('aria-describedby'), 'receipt-hint')
  t.equal(page.get('#receipt').getAttribute('dir'), 'ltr')
  t.ok(
    page.all('main a').some((a) => a.getAttribute('href') === '/' && a.textContent.trim() === msg('receipt.backHome')),
    'a way back',
  )
  const missing = html(await new Visitor(app).get('/receipts/ABCDE-FGHJK'))
  t.ok(
    missing.all('main a').some((a) => a.getAttribute('href') === '/'),
    'also when nothing was found',
  )
})

t.test('after publishing, the voting page says the results are out and links to them', async (t) => {
  await setPhase(db, roundId, 'closed')
  const closed = html(await new Visitor(app).get(votePath))
  t.equal(closed.text('main > .alert'), msg('vote.closed'), 'closed but not published: no results yet')
  t.notOk(closed.has(`main a[href="/rounds/${round.slug}/results"]`))
  await setPhase(db, roundId, 'published')
  const res = await new Visitor(app).get(link(nextCode()))
  const page = html(res)
  t.equal(page.text('main > .alert'), msg('vote.resultsOut'))
  t.equal(page.text(`main a[href="/rounds/${round.slug}/results"]`), msg('vote.resultsLink'))
  t.equal((await db.select().from(ballots)).length, 2, 'nothing more was cast')
  await setPhase(db, roundId, 'voting')
})
