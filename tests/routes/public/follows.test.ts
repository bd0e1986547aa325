import { Writable } from 'node:stream'
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { follows, outbox, proposals } from '../../../db/schema.js'
import { FOLLOW_THROTTLE } from '../../../server/domain/conversation/follows.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { html, msg } from '../../helpers/html.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId } = await demoRound(t, { phase: 'proposing', officials: [] })
const [proposal] = await db.select().from(proposals).where(eq(proposals.roundId, roundId)).limit(1)
const REF = proposal!.reference
const followPath = `/proposals/${REF}/follow`

const mailsTo = (to: string) => db.select().from(outbox).where(eq(outbox.toAddress, to)).orderBy(outbox.id)
const followsOf = (email: string) =>
  db
    .select()
    .from(follows)
    .where(sql`lower(${follows.email}) = lower(${email})`)
const tokenIn = (body: string, what: 'confirm' | 'unsubscribe') =>
  new RegExp(`/follow/([A-Za-z0-9_-]{32})/${what}`).exec(body)?.[1]

async function subscribe(visitor: Visitor, form: Record<string, string | string[] | null>, path = followPath) {
  await visitor.get(path)
  return visitor.post(path, form)
}

t.test('the proposal page offers following by e-mail; the form has the address and the page language', async (t) => {
  const v = new Visitor(app)
  const page = html(await v.get(`/proposals/${REF}`))
  t.equal(page.get('#follow a').getAttribute('href'), followPath, 'a link to the form, which htmx loads in place')
  t.equal(page.get('#follow a').getAttribute('hx-get'), followPath)
  t.notOk(page.has(`#follow form`), 'a page kept for every visitor carries no form token')
  const roundPage = html(await v.get(`/rounds/${round.slug}`))
  t.equal(roundPage.get('#follow a').getAttribute('href'), `/rounds/${round.slug}/follow`)

  const form = html(await v.get(`${followPath}?lang=tr`))
  const fields = form.fields(form.form(followPath))
  t.equal(fields.email, '')
  t.equal(fields.lang, 'tr', "the page's language is chosen")
  t.ok(fields._csrf)
  const fragment = await v.get(followPath, { 'hx-request': 'true' })
  t.notMatch(fragment.body, '<html', 'htmx gets the section alone')
  t.ok(html(fragment).has(`#follow form[action="${followPath}"]`))
})

t.test(
  'following a proposal: a confirmation mail in the chosen language, and nothing else until confirmed',
  async (t) => {
    const v = new Visitor(app)
    const email = 'amina@example.net'
    const res = await subscribe(v, { email: `  ${email} `, lang: 'en' })
    t.equal(res.statusCode, 303)
    t.equal(res.headers.location, `${followPath}/sent`)
    t.equal(html(await v.get(res.headers.location!)).text('h1'), msg('follows.sent.title'))
    const [row, ...more] = await followsOf(email)
    t.same(more, [])
    t.match(row, { roundId, proposalId: proposal!.id, commentId: null, email, lang: 'en', confirmedAt: null })

    const [mail, ...others] = await mailsTo(email)
    t.same(others, [], 'one mail')
    t.equal(mail!.purpose, 'follow-confirm')
    t.equal(mail!.subject, msg('follows.mail.confirm.subject', {}, 'en'))
    t.match(mail!.body, `http://localhost:3000/follow/${row!.token}/confirm`)
    t.match(mail!.body.replace(/[\u2066-\u2069]/g, ''), proposal!.title)
    t.notMatch(mail!.body, /<img|https?:\/\/(?!localhost:3000\/follow\/)/, 'no images, no other links')

    const confirmed = await v.get(`/follow/${row!.token}/confirm`)
    t.equal(confirmed.statusCode, 200)
    t.equal(confirmed.headers['cache-control'], 'no-store')
    t.match(html(confirmed).text('main p'), proposal!.title, 'the page says what is followed')
    const [after] = await followsOf(email)
    t.ok(after!.confirmedAt)
    await v.get(`/follow/${row!.token}/confirm`)
    t.same((await followsOf(email))[0]!.confirmedAt, after!.confirmedAt, 'a second visit changes nothing')
  },
)

t.test(
  'asking again makes no second follow: unconfirmed, the mail comes again a few times; confirmed, nothing',
  async (t) => {
    const email = 'twice@example.net'
    for (let i = 0; i < 5; i++) t.equal((await subscribe(new Visitor(app), { email, lang: 'nl' })).statusCode, 303)
    await subscribe(new Visitor(app), { email: 'TWICE@example.net', lang: 'pl' })
    const rows = await followsOf(email)
    t.equal(rows.length, 1, 'one follow, whatever the capitals')
    t.equal(rows[0]!.lang, 'pl', 'the language chosen last')
    t.equal((await mailsTo(email)).length, 3, 'three confirmation mails in an hour')

    const other = 'confirmed-once@example.net'
    await subscribe(new Visitor(app), { email: other, lang: 'nl' })
    await new Visitor(app).get(`/follow/${(await followsOf(other))[0]!.token}/confirm`)
    await subscribe(new Visitor(app), { email: other, lang: 'ar' })
    t.equal((await mailsTo(other)).length, 1, 'a confirmed address is not asked again')
    t.equal((await followsOf(other))[0]!.lang, 'nl')
  },
)

t.test('following the whole round works the same way', async (t) => {
  const path = `/rounds/${round.slug}/follow`
  const res = await subscribe(new Visitor(app), { email: 'round@example.net', lang: 'ar' }, path)
  t.equal(res.headers.location, `${path}/sent`)
  t.match((await followsOf('round@example.net'))[0], { roundId, proposalId: null, lang: 'ar' })
  t.equal((await mailsTo('round@example.net'))[0]!.subject, msg('follows.mail.confirm.subject', {}, 'ar'))
})

t.test('wrong input shows the form again with what was typed and a message, and stores nothing', async (t) => {
  const before = (await db.select().from(follows)).length
  const cases: [string, Record<string, string | string[]>, string, string][] = [
    ['empty', { email: '', lang: 'nl' }, 'email', 'follows.error.email.required'],
    ['no address', { email: 'amina at example', lang: 'nl' }, 'email', 'follows.error.email.invalid'],
    ['huge', { email: `${'a'.repeat(300)}@example.net`, lang: 'nl' }, 'email', 'follows.error.email.tooLong'],
    [
      'two addresses',
      { email: ['a@example.net', 'b@example.net'], lang: 'nl' },
      'email',
      'follows.error.email.invalid',
    ],
    ['unknown language', { email: 'ok@example.net', lang: 'xx' }, 'lang', 'follows.error.lang.invalid'],
  ]
  for (const [name, form, field, key] of cases) {
    const res = await subscribe(new Visitor(app), form)
    t.equal(res.statusCode, 422, name)
    const page = html(res)
    t.match(page.title, msg('form.errorTitle', { title: msg('follows.title.proposal') }), name)
    t.equal(page.text(`#follow-${field}-error`), msg(key), name)
    t.equal(page.get(`#follow-${field}`).getAttribute('aria-invalid'), 'true', name)
    t.equal(page.get('#error-summary a').getAttribute('href'), `#follow-${field}`, name)
    if (name === 'no address') t.equal(page.field('email').value, 'amina at example', 'what was typed stays')
  }
  const noToken = await new Visitor(app).post(followPath, { email: 'csrf@example.net', lang: 'nl', _csrf: null })
  t.equal(noToken.statusCode, 403, 'a post without the form token is refused')
  t.equal((await db.select().from(follows)).length, before, 'nothing stored')
})

t.test('one address or one browser asking too often waits an hour, with the typed address kept', async (t) => {
  const centre = '10.77.0.1'
  for (let i = 0; i < FOLLOW_THROTTLE.perAddress; i++)
    t.equal((await subscribe(new Visitor(app, centre), { email: `n${i}@example.net`, lang: 'nl' })).statusCode, 303)
  const refused = await subscribe(new Visitor(app, centre), { email: 'late@example.net', lang: 'nl' })
  t.equal(refused.statusCode, 429)
  t.equal(html(refused).text('[role=alert]'), msg('follows.tooMany'))
  t.equal(html(refused).field('email').value, 'late@example.net')
  t.same(await followsOf('late@example.net'), [])

  // One browser moving between addresses (mobile data) is counted as one.
  const browser = new Visitor(app, '10.77.1.1')
  const form = html(await browser.get(followPath))
  const token = form.fields(form.form(followPath))._csrf as string
  const from = (n: number) => new Visitor(app, `10.77.2.${n}`)
  for (let i = 0; i < FOLLOW_THROTTLE.perBrowser; i++) {
    const res = await from(i).post(
      followPath,
      { email: `b${i}@example.net`, lang: 'nl', _csrf: token },
      {
        cookie: browser.cookieHeader,
      },
    )
    t.equal(res.statusCode, 303)
  }
  const last = await from(99).post(
    followPath,
    { email: 'b-late@example.net', lang: 'nl', _csrf: token },
    {
      cookie: browser.cookieHeader,
    },
  )
  t.equal(last.statusCode, 429)
})

t.test('unsubscribing: the page asks with one button; the post deletes the follow, address and all', async (t) => {
  const email = 'leave@example.net'
  const v = new Visitor(app)
  await subscribe(v, { email, lang: 'nl' })
  const token = (await followsOf(email))[0]!.token
  const page = await v.get(`/follow/${token}/unsubscribe`)
  t.equal(page.statusCode, 200)
  const doc = html(page)
  t.equal(doc.all('main form').length, 1)
  t.equal(doc.all('main form button').length, 1)
  t.match(doc.text('main p'), proposal!.title)
  t.equal((await followsOf(email)).length, 1, 'reading the page (or a mail scanner fetching it) deletes nothing')

  const left = await v.post(`/follow/${token}/unsubscribe`, {})
  t.equal(left.statusCode, 200)
  t.equal(html(left).text('h1'), msg('follows.left.title'))
  t.same(await followsOf(email), [])

  const again = await v.post(`/follow/${token}/unsubscribe`, {})
  t.equal(again.statusCode, 404, 'a replay finds nothing')
  t.equal(html(again).text('h1'), msg('follows.unknown.title'))
})

t.test("a mail client's one-click unsubscribe (RFC 8058) needs no cookie and no form token", async (t) => {
  for (const [type, payload] of [
    [
      'multipart/form-data; boundary=---FormBoundaryjWmhtjORrn',
      '---FormBoundaryjWmhtjORrn\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n---FormBoundaryjWmhtjORrn--\r\n',
    ],
    ['application/x-www-form-urlencoded', 'List-Unsubscribe=One-Click'],
  ] as const) {
    const email = `oneclick-${type.length}@example.net`
    await subscribe(new Visitor(app), { email, lang: 'nl' })
    const token = (await followsOf(email))[0]!.token
    const res = await app.inject({
      method: 'POST',
      url: `/follow/${token}/unsubscribe`,
      headers: { 'content-type': type },
      payload,
    })
    t.equal(res.statusCode, 200, type)
    t.same(await followsOf(email), [], type)
  }
})

t.test('a link whose token names nothing answers 404 with a page that says so', async (t) => {
  const v = new Visitor(app)
  for (const path of [
    '/follow/nothing/confirm',
    `/follow/${'A'.repeat(32)}/confirm`,
    `/follow/${'A'.repeat(32)}/unsubscribe`,
    `/follow/${'x'.repeat(90)}/unsubscribe`,
  ]) {
    const res = await v.get(path)
    t.equal(res.statusCode, 404, path)
    t.equal(html(res).text('h1'), msg('follows.unknown.title'), path)
  }
  const post = await app.inject({ method: 'POST', url: `/follow/${'B'.repeat(32)}/unsubscribe` })
  t.equal(post.statusCode, 404)
})

t.test('a follow of a proposal names it by its own reference; an unknown one is not found', async (t) => {
  t.equal((await new Visitor(app).get('/proposals/NOPE-1/follow')).statusCode, 404)
  const v = new Visitor(app)
  await v.get(followPath)
  t.equal((await v.post('/proposals/NOPE-1/follow', { email: 'x@example.net', lang: 'nl' })).statusCode, 404)
  t.same(await followsOf('x@example.net'), [])
})

t.test('once the results are published, a round that funded nothing has nothing left to follow', async (t) => {
  const v = new Visitor(app)
  await v.get(followPath)
  await setPhase(db, roundId, 'published')
  t.teardown(() => setPhase(db, roundId, 'proposing'))
  const res = await v.get(`/rounds/${round.slug}/follow`)
  t.equal(res.statusCode, 409)
  t.equal(html(res).text('h1'), msg('follows.closed.title'))
  t.notOk(html(await v.get(`/rounds/${round.slug}`)).has('#follow'))
  t.notOk(html(await v.get(`/proposals/${REF}`)).has('#follow'))
  const post = await v.post(followPath, { email: 'late@example.net', lang: 'nl' })
  t.equal(post.statusCode, 409, 'a form shown before is refused')
  t.same(await followsOf('late@example.net'), [])
})

t.test('no address and no follow token reaches the log', async (t) => {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const { app: logged } = await testApp(t, { db, log: { level: 'info', to: stream } })
  const email = 'private.person@example.net'
  const v = new Visitor(logged)
  await subscribe(v, { email, lang: 'nl' })
  await subscribe(v, { email: 'broken address@example', lang: 'nl' })
  const token = (await followsOf(email))[0]!.token
  await v.get(`/follow/${token}/confirm`)
  await v.get(`/follow/${token}/unsubscribe`)
  await v.post(`/follow/${token}/unsubscribe`, {})
  await v.get(`/follow/${token}/confirm`)
  const log = lines.join('')
  t.ok(lines.length > 5, 'the requests were logged')
  t.notMatch(log, 'private.person')
  t.notMatch(log, 'broken address')
  t.notMatch(log, token)
  t.match(log, '/follow/:secret/confirm')
  t.equal(tokenIn(log, 'confirm'), undefined)
})
