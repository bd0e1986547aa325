import t from 'tap'
import { eq, isNotNull } from 'drizzle-orm'
import { proposals } from '../../../db/schema.js'
import { seedDemo } from '../../../server/data/demo.js'
import { STATUS_MAILS_PER_HOUR } from '../../../server/usecases/proposals.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { appWithInbox } from '../../helpers/smtp.js'

const { app, db, inbox } = await appWithInbox(t)
await seedDemo(db)
const [withEmail] = await db.select().from(proposals).where(isNotNull(proposals.contactEmail)).limit(1)
const proposal = withEmail!
const statusPath = `/status/${proposal.statusToken}`
const masked = `${proposal.contactEmail![0]}•••${proposal.contactEmail!.slice(proposal.contactEmail!.indexOf('@'))}`

t.test('the status link is mailed to the address the submitter gave, and only there', async (t) => {
  const v = new Visitor(app)
  const page = html(await v.get(statusPath))
  const form = page.get(`form[action="${statusPath}/mail"]`)
  t.equal(form.getAttribute('method'), 'post')
  t.equal(page.text('#status-mail-hint'), msg('statusLink.mailHint', { email: masked }), 'the address, half hidden')
  t.notMatch(page.text(), proposal.contactEmail!, 'never the whole address')
  const res = await v.post(`${statusPath}/mail`, { to: 'someone-else@example.test' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `${statusPath}?mailed=queued`)
  await app.deliverMail()
  t.equal(inbox.length, 1)
  t.same(inbox[0]!.to, [proposal.contactEmail], 'a field in the form cannot send it elsewhere')
  t.match(inbox[0]!.raw, `${app.publicUrl}${statusPath}`, 'the mail holds the link')
  t.match(inbox[0]!.raw, proposal.reference)
  const after = html(await v.get(String(res.headers.location)))
  t.equal(after.text('.alert--ok'), msg('statusLink.notice.queued', { email: masked }), 'on its way')
  // A bookmark from before the outbox said "sent": the page still opens, without a notice.
  const old = await v.get(`${statusPath}?mailed=sent`)
  t.equal(old.statusCode, 200)
  t.notOk(html(old).has('.alert--ok'))
})

t.test('the link is mailed at most a few times an hour per idea', async (t) => {
  const v = new Visitor(app)
  await v.get(statusPath)
  const before = inbox.length
  const answers: string[] = []
  for (let i = 0; i < STATUS_MAILS_PER_HOUR + 1; i++)
    answers.push(String((await v.post(`${statusPath}/mail`, {})).headers.location))
  await app.deliverMail()
  t.equal(inbox.length - before, STATUS_MAILS_PER_HOUR - 1, 'the first test used one already')
  t.equal(answers.at(-1), `${statusPath}?mailed=wait`)
  t.equal(html(await v.get(answers.at(-1)!)).text('.alert--error'), msg('statusLink.notice.wait'))
})

t.test('without an address there is nothing to mail to, and a wrong token mails nothing', async (t) => {
  const [other] = await db
    .select()
    .from(proposals)
    .where(eq(proposals.id, proposal.id + 1))
  await db.update(proposals).set({ contactEmail: null }).where(eq(proposals.id, other!.id))
  const v = new Visitor(app)
  await v.get(statusPath) // a page with a form, for the CSRF token
  const page = html(await v.get(`/status/${other!.statusToken}`))
  t.notOk(page.has(`form[action$="/mail"]`), 'no mail button')
  const before = inbox.length
  t.equal((await v.post(`/status/${other!.statusToken}/mail`, {})).headers.location, `/status/${other!.statusToken}`)
  t.equal((await v.post(`/status/${'x'.repeat(32)}/mail`, {})).statusCode, 404)
  await app.deliverMail()
  t.equal(inbox.length, before)
})

t.test('the link can be copied with one tap; without script it is plain text to select', async (t) => {
  const page = html(await new Visitor(app).get(statusPath))
  const link = page.get('#status-link')
  t.equal(link.textContent.trim(), `${app.publicUrl}${statusPath}`)
  t.equal(link.getAttribute('dir'), 'ltr')
  t.equal(page.get('.proposal-reference').getAttribute('dir'), 'ltr', 'the reference too reads left to right')
  const button = page.get('button[data-copy="status-link"]')
  t.ok(button.parentNode!.hasAttribute('hidden'), 'the button waits for its script')
  t.equal(button.getAttribute('data-copied'), msg('statusLink.copied'))
  t.ok(page.has('#status-link-said[role=status]'), 'what the button did is announced')
  t.ok(
    page.all('script[src]').some((s) => s.getAttribute('src')!.startsWith('/static/copy-link.js?v=')),
    'the script is a file (CSP allows no inline script)',
  )
})
