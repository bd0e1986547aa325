import t from 'tap'
import { and, eq } from 'drizzle-orm'
import { auditLog, comments, proposals, rounds, textTranslations } from '../../../db/schema.js'
import { demoRound } from '../../helpers/fixtures.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg, words } from '../../helpers/html.js'

// The conversation across languages: a coach translates a comment the way officials' words are translated.
const { app, db, roundId, signedIn } = await demoRound(t, { phase: 'proposing' })
const [proposal] = await db.select().from(proposals).where(eq(proposals.roundId, roundId)).orderBy(proposals.id)
const page = `/proposals/${proposal!.reference}`

const TURKISH = 'Bu bankın yanında bir çöp kutusu da olabilir mi?'
const DUTCH = 'Kan er naast deze bank ook een afvalbak komen?'

const version = async () => (await db.select().from(rounds).where(eq(rounds.id, roundId)))[0]!.contentVersion
const stored = async () => db.select().from(textTranslations).where(eq(textTranslations.kind, 'comment'))
const translatePath = (id: number) => `/official/rounds/${roundId}/texts/comment-${id}/translate`

/** A resident writes a comment in `lang`; it waits for a moderator. */
async function write(text: string, lang = 'tr') {
  const visitor = new Visitor(app)
  await visitor.get(`${page}/conversation/new?kind=comment`)
  const res = await visitor.post(`${page}/conversation`, { kind: 'comment', text, name: 'Ayşe', lang, email: '' })
  t.equal(res.statusCode, 303, 'the comment is sent')
  const [row] = await db.select().from(comments).where(eq(comments.text, text))
  return row!
}

t.test('a coach translates a Turkish comment into Dutch; the moderator reads it beside the original', async (t) => {
  const comment = await write(TURKISH)
  const coach = await signedIn('coach')
  const needed = async () =>
    html(await coach.get(`/official/rounds/${roundId}/translations`))
      .all('.needs__item')
      .find((li) => li.querySelector(`a[href^="${translatePath(comment.id)}"]`))
  const need = await needed()
  t.ok(need, 'the needs-translation list asks for it')
  t.same(
    need!.querySelectorAll('.tags a').map((a) => a.getAttribute('href')),
    [`${translatePath(comment.id)}?into=nl`],
    'into Dutch, the language of the municipality',
  )
  t.equal(need!.querySelector('p[lang=tr]')?.text, TURKISH, 'its excerpt marked as Turkish')
  const official = html(await coach.get(`/official/comments/${comment.id}`))
  t.equal(
    official.get(`a[href^="${translatePath(comment.id)}"]`).getAttribute('href'),
    `${translatePath(comment.id)}?into=nl`,
    "the comment's page leads to translating it into the official's language",
  )
  const form = html(await coach.get(`${translatePath(comment.id)}?into=nl`))
  t.equal(form.get('.card p[lang=tr]').text, TURKISH, 'the original, marked as Turkish')
  t.equal(form.get('option[selected]').getAttribute('value'), 'nl')
  t.notOk(form.has('option[value=tr]'), 'not into its own language')

  const reader = new Visitor(app)
  const before = await version()
  const saved = await coach.post(translatePath(comment.id), { lang: 'nl', text: DUTCH })
  t.equal(saved.statusCode, 303)
  t.match(
    (await stored()).filter((row) => row.subjectId === comment.id),
    [{ roundId, subjectId: comment.id, lang: 'nl', text: DUTCH }],
  )
  t.equal(await version(), before + 1, "the round's kept pages are made again")
  const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'text.translate'))
  t.match(entry, { details: { text: { kind: 'comment', subjectId: comment.id }, lang: 'nl', new: DUTCH } })

  t.notOk(await needed(), 'no longer needed once translated')

  const moderator = await signedIn('moderator')
  const queueRow = html(await moderator.get('/official/moderation'))
    .all('#comments ~ .table-scroll tr')
    .find((tr) => tr.querySelector(`a[href="/official/comments/${comment.id}"]`))!
  t.equal(queueRow.querySelector('p[lang=tr]')?.text, TURKISH, 'the queue shows the original')
  t.equal(words(queueRow.querySelector('.comment-translation span[lang=nl]')), DUTCH, '…and the translation beside it')
  const detail = html(await moderator.get(`/official/comments/${comment.id}`))
  t.equal(detail.get('blockquote[lang=tr]').text, TURKISH)
  t.equal(detail.get('.comment-translation blockquote[lang=nl]').text, DUTCH)

  // Published, Dutch readers read the translation; the Turkish original is one tap away.
  await reader.get(page) // a kept page made before the decision
  t.equal((await moderator.post(`/official/comments/${comment.id}/publish`, {})).statusCode, 303)
  const article = html(await reader.get(page)).get(`#comment-${comment.id}`)
  t.equal(article.querySelector('.comment__text')!.getAttribute('lang'), 'nl')
  t.equal(article.querySelector('.comment__text')!.text, DUTCH)
  t.match(words(article.querySelector('details.text-origin summary')), msg('translation.translatedFrom'))
  t.match(words(article.querySelector('details.text-origin summary')), 'Türkçe')
  t.equal(article.querySelector('details.text-origin p[lang=tr]')!.text, TURKISH)
  const turkish = html(await new Visitor(app).get(`${page}?lang=tr`)).get(`#comment-${comment.id}`)
  t.equal(turkish.querySelector('.comment__text[lang=tr]')!.text, TURKISH, 'a Turkish reader reads the original')
  t.notOk(turkish.querySelector('details.text-origin'))

  // A better translation reaches the kept page at once.
  const better = 'Kan er naast deze bank ook een vuilnisbak komen?'
  t.equal((await coach.post(translatePath(comment.id), { lang: 'nl', text: better })).statusCode, 303)
  t.equal(html(await reader.get(page)).get(`#comment-${comment.id} .comment__text`).text, better)
})

t.test('bad input is refused with a message, and nothing changes', async (t) => {
  const comment = await write('Parkta daha fazla ağaç istiyoruz.')
  const coach = await signedIn('coach')
  await coach.get(translatePath(comment.id))
  const before = { rows: (await stored()).length, version: await version() }
  const cases: [string, Record<string, string | string[]>, string][] = [
    ['empty', { lang: 'nl', text: '   ' }, 'translation.error.required'],
    ['into its own language', { lang: 'tr', text: 'Parkta ağaç' }, 'translation.error.sameLanguage'],
    ['an unknown language', { lang: 'xx', text: 'Meer bomen' }, 'translation.error.invalid'],
    ['a list for a text', { lang: 'nl', text: ['a', 'b'] }, 'translation.error.invalid'],
    ['too long', { lang: 'nl', text: 'a'.repeat(20_001) }, 'translation.error.tooLong'],
  ]
  for (const [name, form, key] of cases) {
    const res = await coach.post(translatePath(comment.id), form)
    t.equal(res.statusCode, 422, name)
    t.match(html(res).text('.field__error'), msg(key), name)
  }
  t.equal((await stored()).length, before.rows)
  t.equal(await version(), before.version)
})

t.test('a rejected comment, or one of another round, is not offered for translation', async (t) => {
  const comment = await write('Kötü bir yorum.')
  const moderator = await signedIn('moderator')
  await moderator.get(`/official/comments/${comment.id}`)
  const rejected = await moderator.post(`/official/comments/${comment.id}/reject`, { reason: 'insult' })
  t.equal(rejected.statusCode, 303)
  t.notOk(
    html(await moderator.get(`/official/comments/${comment.id}`)).has(`a[href^="${translatePath(comment.id)}"]`),
    'no link to translate',
  )
  const coach = await signedIn('coach')
  t.notOk(
    html(await coach.get(`/official/rounds/${roundId}/translations`)).has(`a[href^="${translatePath(comment.id)}"]`),
    'not in the needs-translation list',
  )
  t.equal((await coach.get(translatePath(comment.id))).statusCode, 404)
  t.equal((await coach.post(translatePath(comment.id), { lang: 'nl', text: 'Een slechte reactie.' })).statusCode, 404)
  const elsewhere = `/official/rounds/${roundId + 1000}/texts/comment-${comment.id}/translate`
  t.equal((await coach.get(elsewhere)).statusCode, 404)
  t.same(await db.select().from(textTranslations).where(eq(textTranslations.subjectId, comment.id)), [])
})

t.test('a council member cannot translate', async (t) => {
  const comment = await write('Meclis bunu okumalı.')
  const council = await signedIn('council')
  await council.get('/official')
  t.notOk(
    html(await council.get(`/official/comments/${comment.id}`)).has(`a[href^="${translatePath(comment.id)}"]`),
    'no link to translate',
  )
  t.equal((await council.get(translatePath(comment.id))).statusCode, 403, 'the form is not theirs')
  t.equal(
    (await council.post(translatePath(comment.id), { lang: 'nl', text: 'De raad moet dit lezen.' })).statusCode,
    403,
  )
  t.same(
    await db
      .select()
      .from(textTranslations)
      .where(and(eq(textTranslations.kind, 'comment'), eq(textTranslations.subjectId, comment.id))),
    [],
  )
})
