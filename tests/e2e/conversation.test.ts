import t from 'tap'
import { eq } from 'drizzle-orm'
import { comments, follows, proposals } from '../../db/schema.js'
import { browserSession } from '../helpers/browser.js'
import { msg } from '../helpers/html.js'
import { checkPage, checkPageWithScripts, login, phoneWithoutScripts } from '../helpers/pages.js'
import { setPhase } from '../helpers/voting.js'

// A question asked on a phone in Arabic gets the municipality's answer, on the page and by mail.
const session = await browserSession(t, { mail: true })

/** A mail's text as a person reads it: its body decoded (base64 or quoted-printable), isolate marks dropped. */
function readable(raw: string): string {
  const split = raw.indexOf('\r\n\r\n')
  const [head, body] = [raw.slice(0, split), raw.slice(split + 4)]
  const text = /Content-Transfer-Encoding: base64/i.test(head)
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : Buffer.from(
        body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8')
  return `${head}\n\n${text}`.replace(/[\u2066-\u2069]/g, '')
}

if (session) {
  const { db } = session
  const [proposal] = await db
    .select()
    .from(proposals)
    .where(eq(proposals.status, 'approved'))
    .orderBy(proposals.id)
    .limit(1)
  await setPhase(db, proposal!.roundId, 'proposing')
  const detail = `/proposals/${proposal!.reference}`
  const QUESTION = 'هل يمكن للمدرّب أن يزورنا مساءً؟'
  const ANSWER = 'Ja, de coaches komen ook ’s avonds, op afspraak.'
  const DUTCH = 'Kan de coach ook ’s avonds bij ons langskomen?'

  t.test('in Arabic at 360 px a resident asks in place, confirms their address, and reads the answer', async (t) => {
    const page = await session.newPage({ locale: 'ar' })
    await page.goto(detail)
    t.equal(await page.locator('html').getAttribute('dir'), 'rtl')
    await page.getByRole('link', { name: msg('conversation.ask', {}, 'ar') }).tap()
    // htmx put the form in the page; no new page was loaded.
    await page.locator('#comment-form-slot textarea[name=text]').waitFor()
    t.equal(new URL(page.url()).pathname, detail, 'the form opened in place')
    await checkPage(t, page)
    await page.getByLabel(msg('conversation.field.text', {}, 'ar')).fill(QUESTION)
    await page.getByLabel(msg('conversation.field.email', {}, 'ar')).fill('sara@example.test')
    await page.getByRole('button', { name: msg('conversation.new.send', {}, 'ar') }).tap()
    await page.getByText(msg('conversation.sent.thanks', {}, 'ar')).waitFor()
    t.equal(new URL(page.url()).pathname, detail, 'thanked in place')
    const [question] = await db.select().from(comments).where(eq(comments.text, QUESTION))
    t.match(question, { lang: 'ar', status: 'waiting', kind: 'question' })

    await session.deliverMail()
    const confirmation = session.inbox.find((m) => m.to.includes('sara@example.test'))
    const link = /https?:\/\/\S+\/follow\/[\w-]+\/confirm/.exec(readable(confirmation!.raw))?.[0]
    t.ok(link, 'the confirmation mail holds its link')
    await page.goto(new URL(link!).pathname)
    const [follow] = await db.select().from(follows).where(eq(follows.commentId, question!.id))
    t.ok(follow!.confirmedAt, 'confirmed by opening the link')

    // A language coach translates it into Dutch for the moderator.
    const coach = await session.newPage()
    await login(coach, 'taalcoach@wijkbudget.test')
    await coach.goto(`/official/comments/${question!.id}`)
    await coach.getByRole('link', { name: msg('commentModeration.translate') }).click()
    await coach.getByLabel(msg('translation.text')).fill(DUTCH)
    await coach.getByRole('button', { name: msg('translation.save') }).click()
    await coach.locator('.alert--ok').waitFor()
    await coach.context().close()

    // The moderator reads it beside the original, publishes it from the queue, and answers for the municipality.
    const official = await session.newPage()
    await login(official, 'moderator@wijkbudget.test')
    await official.goto('/official/moderation')
    t.match(await official.locator('main').innerText(), DUTCH, 'the queue shows the coach’s translation')
    await official.locator(`a[href="/official/comments/${question!.id}"]`).click()
    t.match(await official.locator('main').innerText(), DUTCH, 'and so does the comment’s page')
    await official.getByRole('button', { name: msg('commentModeration.publish'), exact: true }).click()
    await official.getByText(msg('commentModeration.done.publish')).waitFor()
    await official.getByLabel(msg('commentModeration.answerText')).fill(ANSWER)
    await official.getByRole('button', { name: msg('commentModeration.answerSend') }).click()
    await official.getByText(msg('commentModeration.done.answer')).waitFor()
    await official.context().close()

    await session.deliverMail()
    const mails = session.inbox.filter((m) => m.to.includes('sara@example.test')).map((m) => readable(m.raw))
    t.equal(mails.length, 3, 'confirmation, decision, answer')
    t.ok(
      mails.some((m) => m.includes('List-Unsubscribe')),
      'each with a one-click unsubscribe',
    )

    await page.goto(detail)
    const thread = page.locator(`#comment-${question!.id}`)
    t.equal(await thread.locator('.comment__text').innerText(), QUESTION)
    t.equal(await thread.locator('.comment__text').getAttribute('lang'), 'ar')
    const answer = page.locator('.threads--pinned .answers .comment--official')
    t.match(await answer.innerText(), msg('conversation.author.official', {}, 'ar'))
    t.equal(await answer.locator('.comment__text').getAttribute('lang'), 'nl', 'the Dutch answer says it is Dutch')
    await checkPage(t, page)
    await page.context().close()

    // A Dutch reader reads the coach's translation, the Arabic original one tap away.
    const dutch = await session.newPage()
    await dutch.goto(detail)
    const text = dutch.locator(`#comment-${question!.id} .comment__text`)
    t.equal(await text.innerText(), DUTCH)
    t.equal(await text.getAttribute('lang'), 'nl')
    const original = dutch.locator(`#comment-${question!.id} details p`)
    t.equal(await original.getAttribute('lang'), 'ar')
    await dutch.locator(`#comment-${question!.id} details summary`).tap()
    t.equal(await original.innerText(), QUESTION)
    await checkPage(t, dutch)
    await dutch.context().close()
  })

  t.test('in Dutch without JavaScript a resident leaves a comment through its own page', async (t) => {
    const page = await phoneWithoutScripts(session)
    await page.goto(detail)
    await page.getByRole('link', { name: msg('conversation.comment') }).click()
    t.equal(new URL(page.url()).pathname, `${detail}/conversation/new`)
    await page.getByLabel(msg('conversation.field.text')).fill('Goed plan, ik doe mee als coach.')
    await page.getByLabel(msg('conversation.field.name')).fill('Kees')
    await page.getByRole('button', { name: msg('conversation.new.send') }).click()
    t.match(new URL(page.url()).pathname, /^\/conversation\/[\w-]{32}$/, 'to the comment’s own page')
    t.match(await page.locator('main').innerText(), msg('conversation.mine.explain.waiting'))
    await checkPageWithScripts(t, session, page)
    await page.context().close()
  })
}
