import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, comments, proposals } from '../../../db/schema.js'
import { demoRound } from '../../helpers/fixtures.js'
import { Visitor } from '../../helpers/client.js'
import { errorSummary, html, msg, parseHtml, words } from '../../helpers/html.js'
import { setPhase } from '../../helpers/voting.js'

// The conversation on a proposal: a resident asks, a moderator decides, the municipality answers.
const { app, db, roundId, signedIn } = await demoRound(t, { phase: 'proposing' })
const [proposal, other] = await db.select().from(proposals).where(eq(proposals.roundId, roundId)).orderBy(proposals.id)
const page = `/proposals/${proposal!.reference}`

const countComments = async () => (await db.select().from(comments)).length
const row = async (id: number) => (await db.select().from(comments).where(eq(comments.id, id)))[0]!
const tokenOf = (location: unknown) => /^\/conversation\/([\w-]{32})\?sent=1$/.exec(String(location))?.[1]

async function ask(visitor: Visitor, form: Record<string, string | string[]>, at = page) {
  await visitor.get(`${at}/conversation/new?kind=question`)
  return visitor.post(`${at}/conversation`, form)
}

const QUESTION = {
  kind: 'question',
  text: 'Kan ik ook koken op inductie als ik huur?',
  name: 'Fatima',
  lang: 'nl',
  email: '',
}

t.test('a resident asks without an account: it waits for a moderator and is not shown yet', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const visitor = new Visitor(app)
  const detail = html(await visitor.get(page))
  t.equal(detail.get('#conversation a.button').getAttribute('href'), `${page}/conversation/new?kind=question`)
  const form = html(await visitor.get(`${page}/conversation/new?kind=question`))
  t.same(form.checked('kind'), ['question'], 'the link chose the kind')
  t.ok(form.has('textarea#comment-text[name=text]'))
  t.ok(form.has('label[for=comment-email]'))
  const res = await visitor.post(`${page}/conversation`, QUESTION)
  t.equal(res.statusCode, 303)
  const token = tokenOf(res.headers.location)
  t.ok(token, 'to the comment’s own page by a secret link')
  const [stored] = await db.select().from(comments).where(eq(comments.token, token!))
  t.match(stored, {
    proposalId: proposal!.id,
    roundId,
    kind: 'question',
    author: 'resident',
    displayName: 'Fatima',
    text: QUESTION.text,
    lang: 'nl',
    status: 'waiting',
    parentId: null,
  })
  t.ok(stored!.waitingSince, 'in the queue')
  const mine = html(await visitor.get(`/conversation/${token}`))
  t.match(mine.text(), msg('conversation.mine.explain.waiting'))
  t.notMatch(
    html(await new Visitor(app).get(page)).text('#conversation'),
    QUESTION.text,
    'not public before a moderator read it',
  )
})

t.test('bad input is refused with the text kept, and stores nothing', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const before = await countComments()
  const cases: [string, Record<string, string | string[]>, string][] = [
    ['empty', { ...QUESTION, text: '   ' }, 'text'],
    ['huge', { ...QUESTION, text: 'a'.repeat(2001) }, 'text'],
    ['a list for a text', { ...QUESTION, text: ['a', 'b'] }, 'text'],
    ['no kind', { ...QUESTION, kind: '' }, 'kind'],
    ['a wrong e-mail', { ...QUESTION, email: 'niet een adres' }, 'email'],
    ['a name too long', { ...QUESTION, name: 'n'.repeat(61) }, 'name'],
    ['an unknown language', { ...QUESTION, lang: 'xx' }, 'lang'],
  ]
  for (const [name, form, field] of cases) {
    const res = await ask(new Visitor(app), form)
    t.equal(res.statusCode, 422, name)
    const doc = parseHtml(res.body)
    t.same(errorSummary(doc).problems, [], `${name}: the summary leads to the fields`)
    t.ok(doc.querySelector(`[aria-invalid="true"][name="${field}"]`), `${name}: ${field} is marked`)
    if (typeof form.text === 'string' && form.text.length < 100)
      t.equal(doc.querySelector('#comment-text')?.textContent, form.text, `${name}: the text is kept`)
  }
  // A control character is refused for every form alike, by the page that says so.
  const res = await ask(new Visitor(app), { ...QUESTION, text: 'hallo\u0000daar' })
  t.equal(res.statusCode, 422)
  t.equal(await countComments(), before)
})

t.test('a moderator publishes; the proposal page shows it at once, marked as a question', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const visitor = new Visitor(app)
  const token = tokenOf((await ask(visitor, { ...QUESTION, text: 'Wie betaalt de aansluiting?' })).headers.location)
  const [comment] = await db.select().from(comments).where(eq(comments.token, token!))
  const reader = new Visitor(app)
  await reader.get(page) // the kept page is made before the decision
  const moderator = await signedIn('moderator')
  const queue = html(await moderator.get('/official/moderation'))
  t.ok(queue.has(`a[href="/official/comments/${comment!.id}"]`), 'in the moderation queue')
  await moderator.get(`/official/comments/${comment!.id}`)
  const res = await moderator.post(`/official/comments/${comment!.id}/publish`, {})
  t.equal(res.statusCode, 303)
  t.match(await row(comment!.id), { status: 'published', waitingSince: null })
  const shown = html(await reader.get(page))
  const article = shown.get(`#comment-${comment!.id}`)
  t.match(words(article), 'Wie betaalt de aansluiting?')
  t.match(words(article), msg('conversation.kind.question'))
  t.match(words(article), 'Fatima')
  const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'comment.published'))
  t.equal(entry?.object, `comment:${comment!.id}`)
  const again = await moderator.post(`/official/comments/${comment!.id}/publish`, {})
  t.equal(again.statusCode, 409, 'a replayed decision changes nothing')
})

t.test('the municipality answers within the conversation, pinned, and unsigned unless chosen', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const token = tokenOf(
    (await ask(new Visitor(app), { ...QUESTION, text: 'Komt er een informatieavond?' })).headers.location,
  )
  const [question] = await db.select().from(comments).where(eq(comments.token, token!))
  const moderator = await signedIn('moderator')
  await moderator.get(`/official/comments/${question!.id}`)
  await moderator.post(`/official/comments/${question!.id}/publish`, {})
  t.ok(
    html(await moderator.get('/official/moderation')).has(
      `#unanswered ~ div a[href="/official/comments/${question!.id}#answer"]`,
    ),
    'in the unanswered list',
  )
  const empty = await moderator.post(`/official/comments/${question!.id}/answer`, { text: ' ', lang: 'nl' })
  t.equal(empty.statusCode, 422)
  const res = await moderator.post(`/official/comments/${question!.id}/answer`, {
    text: 'Ja, op 12 maart in de Dokhaven.',
    lang: 'nl',
  })
  t.equal(res.statusCode, 303)
  const [answer] = await db.select().from(comments).where(eq(comments.parentId, question!.id))
  t.match(answer, { author: 'official', status: 'published', displayName: '', kind: 'answer' })
  t.ok((await row(question!.id)).firstOfficialAnswerAt, 'the question’s clock stopped')
  const shown = html(await new Visitor(app).get(page))
  const pinned = shown.get('.threads--pinned')
  t.match(words(pinned), 'Komt er een informatieavond?')
  t.match(words(pinned), 'Ja, op 12 maart in de Dokhaven.')
  t.match(words(shown.get(`#comment-${answer!.id}`)), msg('conversation.author.official'))
  t.notMatch(words(shown.get(`#comment-${answer!.id}`)), 'moderator', 'no personal name unless signed')
  t.notOk(html(await moderator.get('/official/moderation')).has(`a[href="/official/comments/${question!.id}#answer"]`))
})

t.test('a moderator rejects with a reason the writer reads through their link', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const visitor = new Visitor(app)
  const token = tokenOf(
    (await ask(visitor, { ...QUESTION, kind: 'comment', text: 'Bel Jan op 06-12345678' })).headers.location,
  )
  const [comment] = await db.select().from(comments).where(eq(comments.token, token!))
  const moderator = await signedIn('moderator')
  await moderator.get(`/official/comments/${comment!.id}`)
  const noReason = await moderator.post(`/official/comments/${comment!.id}/reject`, { note: 'Geen nummers' })
  t.equal(noReason.statusCode, 422)
  t.equal((await row(comment!.id)).status, 'waiting', 'nothing changed')
  const res = await moderator.post(`/official/comments/${comment!.id}/reject`, {
    reason: 'personal_data',
    note: 'Zonder telefoonnummer mag het wel.',
  })
  t.equal(res.statusCode, 303)
  t.match(await row(comment!.id), { status: 'rejected', rejectReason: 'personal_data' })
  const mine = html(await visitor.get(`/conversation/${token}`))
  t.match(mine.text(), msg('conversation.reason.personal_data'))
  t.match(mine.text(), 'Zonder telefoonnummer mag het wel.')
})

t.test('the submitter answers through their status link, marked as submitter', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const token = tokenOf(
    (await ask(new Visitor(app), { ...QUESTION, kind: 'comment', text: 'Mooi idee!' })).headers.location,
  )
  const [comment] = await db.select().from(comments).where(eq(comments.token, token!))
  const moderator = await signedIn('moderator')
  await moderator.get(`/official/comments/${comment!.id}`)
  await moderator.post(`/official/comments/${comment!.id}/publish`, {})
  const submitter = new Visitor(app)
  const status = `/status/${proposal!.statusToken}`
  const statusPage = html(await submitter.get(status))
  t.match(words(statusPage.get(`#comment-${comment!.id}`)), 'Mooi idee!', 'the status page shows what residents said')
  t.ok(
    statusPage.has(`a[href="${status}/conversation/new?answer=${comment!.id}"]`),
    'with a link to answer as submitter',
  )
  await submitter.get(`${status}/conversation/new?answer=${comment!.id}`)
  const res = await submitter.post(`${status}/conversation`, {
    answer: String(comment!.id),
    text: 'Dank u!',
    lang: 'nl',
  })
  t.equal(res.statusCode, 303)
  const [answer] = await db.select().from(comments).where(eq(comments.parentId, comment!.id))
  t.match(answer, { author: 'submitter', kind: 'answer', status: 'waiting' })
  await moderator.get(`/official/comments/${answer!.id}`)
  await moderator.post(`/official/comments/${answer!.id}/publish`, {})
  const marked = html(await new Visitor(app).get(page)).get(`#comment-${answer!.id}`)
  t.match(words(marked), msg('conversation.author.submitter'), 'marked “indiener” on the public page')
  // An answer to an answer, or to another proposal's comment, names nothing.
  t.equal((await submitter.get(`${status}/conversation/new?answer=${answer!.id}`)).statusCode, 404)
  const otherPage = `/proposals/${other!.reference}`
  const elsewhere = new Visitor(app)
  await elsewhere.get(`${otherPage}/conversation/new`)
  const before = await countComments()
  const res2 = await elsewhere.post(`${otherPage}/conversation`, {
    answer: String(comment!.id),
    text: 'Hallo',
    lang: 'nl',
  })
  t.equal(res2.statusCode, 404)
  t.equal(await countComments(), before)
})

t.test('a report takes a published comment down until a moderator looks again', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const token = tokenOf(
    (await ask(new Visitor(app), { ...QUESTION, kind: 'comment', text: 'Iets wat iemand kwetst' })).headers.location,
  )
  const [comment] = await db.select().from(comments).where(eq(comments.token, token!))
  const moderator = await signedIn('moderator')
  await moderator.get(`/official/comments/${comment!.id}`)
  await moderator.post(`/official/comments/${comment!.id}/publish`, {})
  const reader = new Visitor(app)
  const shown = html(await reader.get(page))
  t.equal(
    shown.get(`#comment-${comment!.id} .comment__actions a`).getAttribute('href'),
    `/conversation/report/${comment!.id}`,
  )
  await reader.get(`/conversation/report/${comment!.id}`)
  const res = await reader.post(`/conversation/report/${comment!.id}`, {})
  t.equal(res.statusCode, 200)
  t.match(await row(comment!.id), { status: 'waiting', reports: 1 })
  t.notOk(html(await reader.get(page)).has(`#comment-${comment!.id}`), 'gone from the page')
  t.equal(
    (await reader.post(`/conversation/report/${comment!.id}`, {})).statusCode,
    409,
    'reporting again changes nothing',
  )
  t.equal((await reader.post(`/conversation/report/999999`, {})).statusCode, 404)
})

t.test('htmx gets the sent notice in place of the form', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const visitor = new Visitor(app)
  await visitor.get(`${page}/conversation/new?kind=comment`)
  const res = await visitor.post(
    `${page}/conversation`,
    { ...QUESTION, kind: 'comment', text: 'Via htmx' },
    { 'hx-request': 'true' },
  )
  t.equal(res.statusCode, 200)
  t.notMatch(res.body, '<html')
  const fragment = parseHtml(res.body)
  t.match(words(fragment), msg('conversation.sent.thanks'))
  t.equal(words(fragment.querySelector('.comment__text')), 'Via htmx', 'the new comment in place, marked as waiting')
  t.match(words(fragment.querySelector('.comment__by')), msg('conversation.status.waiting'))
})

t.test('after publishing the conversation is read-only', async (t) => {
  await setPhase(db, roundId, 'voting')
  const visitor = new Visitor(app)
  t.equal((await visitor.get(`${page}/conversation/new`)).statusCode, 200, 'residents still write while voting')
  await setPhase(db, roundId, 'closed')
  const before = await countComments()
  const res = await visitor.post(`${page}/conversation`, QUESTION)
  t.equal(res.statusCode, 409)
  t.equal(await countComments(), before)
  const shown = html(await visitor.get(page))
  t.notOk(shown.has('#conversation a.button'), 'no button to write')
  t.match(shown.text('#conversation'), msg('conversation.closedVoting'))
})

t.test('coaches and council members cannot decide or answer', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const token = tokenOf((await ask(new Visitor(app), { ...QUESTION, text: 'Nog een vraag' })).headers.location)
  const [comment] = await db.select().from(comments).where(eq(comments.token, token!))
  for (const role of ['coach', 'council'] as const) {
    const official = await signedIn(role)
    await official.get('/official/moderation')
    t.equal((await official.post(`/official/comments/${comment!.id}/publish`, {})).statusCode, 403, role)
    t.equal((await official.post(`/official/comments/${comment!.id}/answer`, { text: 'x' })).statusCode, 403, role)
  }
  t.equal((await row(comment!.id)).status, 'waiting')
})

t.test('writing is throttled per browser, with the typed text kept', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const visitor = new Visitor(app)
  for (let i = 0; i < 10; i++) t.equal((await ask(visitor, { ...QUESTION, text: `Vraag ${i}` })).statusCode, 303)
  const res = await ask(visitor, { ...QUESTION, text: 'Nummer elf' })
  t.equal(res.statusCode, 429)
  t.equal(parseHtml(res.body).querySelector('#comment-text')?.textContent, 'Nummer elf')
})

t.test('links are text in residents’ words and links in the municipality’s; markup is always text', async (t) => {
  await setPhase(db, roundId, 'proposing')
  const token = tokenOf(
    (await ask(new Visitor(app), { ...QUESTION, text: 'Kijk op https://nep.example/winactie <b>nu</b>' })).headers
      .location,
  )
  const [question] = await db.select().from(comments).where(eq(comments.token, token!))
  const moderator = await signedIn('moderator')
  await moderator.get(`/official/comments/${question!.id}`)
  await moderator.post(`/official/comments/${question!.id}/publish`, {})
  await moderator.post(`/official/comments/${question!.id}/answer`, {
    text: 'Meer op https://www.rotterdam.nl/wijkbudget. <script>alert(1)</script>',
    lang: 'nl',
  })
  const [answer] = await db.select().from(comments).where(eq(comments.parentId, question!.id))
  const shown = html(await new Visitor(app).get(page))
  const residentText = shown.get(`#comment-${question!.id} .comment__text`)
  t.equal(residentText.querySelectorAll('a').length, 0, 'a resident’s link is not clickable')
  t.equal(residentText.querySelectorAll('b').length, 0)
  t.match(words(residentText), 'https://nep.example/winactie <b>nu</b>')
  const officialText = shown.get(`#comment-${answer!.id} .comment__text`)
  const links = officialText.querySelectorAll('a')
  t.equal(links.length, 1)
  t.equal(links[0]!.getAttribute('href'), 'https://www.rotterdam.nl/wijkbudget', 'the full stop stays out')
  t.equal(officialText.querySelectorAll('script').length, 0)
  t.match(words(officialText), '<script>alert(1)</script>')
})
