import { parse } from 'csv-parse/sync'
import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { auditLog, invitations, officials, sessions } from '../../../db/schema.js'
import { changeAccount } from '../../../server/usecases/accounts.js'
import { listAudit } from '../../../server/data/audit.js'
import { testApp } from '../../helpers/app.js'
import { Visitor } from '../../helpers/client.js'
import { html, msg } from '../../helpers/html.js'
import { createOfficial, PASSWORD, signedIn, signIn } from '../../helpers/officials.js'
import { codeNow, enrol } from '../../helpers/second-factor.js'

const { app, db } = await testApp(t)
const admin = await createOfficial(db, 'admin')
const row = async (email: string) => (await db.select().from(officials).where(eq(officials.email, email)))[0]!
const NEW_PASSWORD = 'paars fietsrek onder de brug'

async function invite(by: Visitor, form: Record<string, string>) {
  await by.get('/official/accounts')
  return by.post('/official/accounts', form)
}

t.test(
  'an invited official opens the one-time link, chooses a password and is signed in; the link then works no more',
  async (t) => {
    const a = await signedIn(app, 'admin@example.test')
    const res = await invite(a, {
      name: 'Nieuwe Moderator',
      email: 'nieuw@example.test',
      role: 'moderator',
      method: 'link',
    })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['cache-control'], 'no-store')
    const link = /<code class="secret">http:\/\/localhost:3000(\/invite\/[A-Za-z0-9_-]{43})<\/code>/.exec(res.body)?.[1]
    t.ok(link, 'the link is shown')
    const [stored] = await db.select().from(invitations)
    t.notMatch(stored!.tokenHash, link!.slice(8), 'only a hash is stored')
    t.equal((await row('nieuw@example.test')).invitedBy, admin.id)

    const newcomer = new Visitor(app)
    t.match(html(await newcomer.get(link!)).text('main'), 'Welkom, Nieuwe Moderator')
    const short = await newcomer.post(link!, { password: 'kort', repeat: 'kort' })
    t.equal(short.statusCode, 422)
    t.equal((await row('nieuw@example.test')).passwordHash, null, 'a refused password changes nothing')
    const done = await newcomer.post(link!, { password: NEW_PASSWORD, repeat: NEW_PASSWORD })
    t.equal(done.headers.location, '/official')
    t.equal((await newcomer.get('/official')).statusCode, 200)

    const later = new Visitor(app)
    const reused = await later.get(link!)
    t.equal(reused.statusCode, 410)
    t.match(reused.body, 'al gebruikt')
    await later.get('/login')
    const reusedPost = await later.post(link!, {
      password: 'een ander wachtwoord hier',
      repeat: 'een ander wachtwoord hier',
    })
    t.equal(reusedPost.statusCode, 410)
    t.equal(
      (await signedIn(app, 'nieuw@example.test', { password: NEW_PASSWORD }).then((v) => v.get('/official')))
        .statusCode,
      200,
      'the password chosen first stays',
    )
  },
)

t.test('expired and made-up invitation links are refused with a clear message', async (t) => {
  const a = await signedIn(app, 'admin@example.test')
  const res = await invite(a, { name: 'Te Laat', email: 'laat@example.test', role: 'council', method: 'link' })
  const link = /(\/invite\/[A-Za-z0-9_-]{43})<\/code>/.exec(res.body)![1]!
  const late = await row('laat@example.test')
  await db
    .update(invitations)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(invitations.officialId, late.id))
  const expired = await new Visitor(app).get(link)
  t.equal(expired.statusCode, 410)
  t.match(expired.body, 'verlopen')
  const v = new Visitor(app)
  await v.get('/login')
  t.equal((await v.post(link, { password: NEW_PASSWORD, repeat: NEW_PASSWORD })).statusCode, 410)
  t.equal((await row('laat@example.test')).passwordHash, null)
  const madeUp = await new Visitor(app).get('/invite/not-a-real-token')
  t.equal(madeUp.statusCode, 410)
  t.match(madeUp.body, msg('invitation.unknown'))
})

t.test('a printed temporary password must be changed before anything else', async (t) => {
  const a = await signedIn(app, 'admin@example.test')
  const res = await invite(a, {
    name: 'Zonder Mail',
    email: 'papier@example.test',
    role: 'moderator',
    method: 'password',
  })
  const temporary = /<code class="secret">([A-Za-z0-9]{16})<\/code>/.exec(res.body)![1]!
  const v = await signedIn(app, 'papier@example.test', { password: temporary })
  t.equal((await v.get('/official')).headers.location, '/official/account/password')
  t.equal((await v.get('/official/moderation')).headers.location, '/official/account/password')
  await v.get('/official/account/password')
  await v.post('/official/account/password', { current: temporary, password: NEW_PASSWORD, repeat: NEW_PASSWORD })
  t.equal((await v.get('/official')).statusCode, 200)
})

t.test(
  'an admin changes roles and deactivates; the deactivated official is out at once and cannot log in',
  async (t) => {
    const target = await createOfficial(db, 'moderator', 'target@example.test')
    const theirs = await signedIn(app, 'target@example.test')
    t.equal((await theirs.get('/official/moderation')).statusCode, 200)
    const a = await signedIn(app, 'admin@example.test')
    await a.get('/official/accounts')
    t.equal(
      (await a.post(`/official/accounts/${target.id}/role`, { role: 'council' })).headers.location,
      '/official/accounts?done=role',
    )
    t.equal((await row('target@example.test')).role, 'council')

    t.equal((await a.post(`/official/accounts/${target.id}/deactivate`, {})).statusCode, 303)
    const old = await theirs.get('/official/moderation')
    t.equal(old.statusCode, 303, "the deactivated official's old session opens nothing")
    t.equal((await theirs.post('/official/rounds', { title: 'x' })).statusCode, 403)
    const again = new Visitor(app)
    await again.get('/login')
    t.equal((await again.post('/login', { email: 'target@example.test', password: PASSWORD })).statusCode, 401)

    await a.post(`/official/accounts/${target.id}/reactivate`, {})
    t.equal((await (await signedIn(app, 'target@example.test')).get('/official')).statusCode, 200)
    const actions = (await listAudit(db))
      .filter((e) => e.object === `official:${target.id}` && e.officialId === admin.id)
      .map((e) => e.action)
    t.same(actions, ['official.role', 'official.deactivate', 'official.reactivate'])
  },
)

t.test(
  'language coaches fit the accounts pages: offered and named in every role choice, invited and appointed, listed in the review, kept out of account management',
  async (t) => {
    const a = await signedIn(app, 'admin@example.test')
    const list = html(await a.get('/official/accounts'))
    t.ok(list.has('input[name=role][value=coach]'), 'an admin can invite a language coach')
    t.equal(list.text('label[for=invite-role-coach]'), msg('role.coach'))
    t.ok(
      list
        .all('select[name=role]')
        .every((select) => select.querySelector('option[value=coach]')?.text === msg('role.coach')),
      'every role change offers the coach',
    )
    t.equal(
      (await invite(a, { name: 'Nieuwe Taalcoach', email: 'coach-invite@example.test', role: 'coach', method: 'link' }))
        .statusCode,
      200,
    )
    t.equal((await row('coach-invite@example.test')).role, 'coach')
    const moderator = await createOfficial(db, 'moderator', 'becomes-coach@example.test')
    await a.get('/official/accounts')
    t.equal(
      (await a.post(`/official/accounts/${moderator.id}/role`, { role: 'coach' })).headers.location,
      '/official/accounts?done=role',
    )
    t.equal((await row('becomes-coach@example.test')).role, 'coach')
    const review = html(await a.get('/official/accounts/review'))
    const coachRow = review
      .all('tbody tr')
      .find((tr) => tr.querySelector('th')?.text.includes('becomes-coach@example.test'))
    t.equal(coachRow?.querySelector('td')?.text, msg('role.coach'), 'the review names the role')
    const inTurkish = html(await a.get('/official/accounts/review?lang=tr'))
    t.ok(inTurkish.texts('tbody td').includes(msg('role.coach', {}, 'tr')), "in the page's language")
    await a.get('/language/nl?next=/')

    const coach = await signedIn(app, 'becomes-coach@example.test')
    for (const path of ['/official/accounts', '/official/accounts/review'])
      t.equal((await coach.get(path)).statusCode, 403, path)
  },
)

t.test('an official cannot change their own role or deactivate themselves, and nothing changes', async (t) => {
  const a = await signedIn(app, 'admin@example.test')
  await a.get('/official/accounts')
  const before = (await listAudit(db)).length
  for (const [path, form] of [
    [`/official/accounts/${admin.id}/role`, { role: 'council' }],
    [`/official/accounts/${admin.id}/deactivate`, {}],
    [`/official/accounts/${admin.id}/reset-second-factor`, {}],
  ] as const) {
    const res = await a.post(path, form)
    t.equal(res.statusCode, 409, path)
    t.match(res.body, msg('accounts.self'))
  }
  const me = await row('admin@example.test')
  t.equal(me.role, 'admin')
  t.equal(me.active, true)
  t.equal((await listAudit(db)).length, before, 'no change was recorded')
})

t.test('the last active admin is never removed, even when two admins demote each other', async (t) => {
  const second = await createOfficial(db, 'admin', 'second-admin@example.test')
  t.equal(await changeAccount(db, admin, second.id, { kind: 'role', role: 'moderator' }), null)
  t.equal(await changeAccount(db, second, admin.id, { kind: 'role', role: 'moderator' }), 'accounts.lastAdmin')
  t.equal(await changeAccount(db, second, admin.id, { kind: 'deactivate' }), 'accounts.lastAdmin')
  t.equal((await row('admin@example.test')).role, 'admin')
})

t.test("an admin resets another official's second factor: audited, their sessions end, they enrol again", async (t) => {
  const other = await createOfficial(db, 'moderator', 'resetme@example.test')
  const { secret } = await enrol(db, other.id)
  const theirs = new Visitor(app)
  await signIn(theirs, 'resetme@example.test', { code: codeNow(secret) })
  const resetter = await createOfficial(db, 'admin', 'resetter@example.test')
  const own = await enrol(db, resetter.id)
  const a = await signedIn(app, 'resetter@example.test', { code: codeNow(own.secret) })
  t.match((await a.get('/official/accounts')).body, `/official/accounts/${other.id}/reset-second-factor`)
  await a.post(`/official/accounts/${other.id}/reset-second-factor`, {})
  t.equal((await row('resetme@example.test')).totpEnabledAt, null)
  t.equal((await theirs.get('/official')).statusCode, 303)
  const [entry] = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.object, `official:${other.id}`))
    .then((r) => r.filter((e) => e.action === 'second-factor.reset'))
  t.equal(entry?.officialId, resetter.id)
})

t.test("resetting another's second factor needs the admin's own, confirmed in the last minutes", async (t) => {
  const other = await createOfficial(db, 'moderator', 'keepme@example.test')
  await enrol(db, other.id)
  const plain = await signedIn(app, 'admin@example.test')
  await plain.get('/official/accounts')
  const refused = await plain.post(`/official/accounts/${other.id}/reset-second-factor`, {})
  t.equal(refused.statusCode, 409)
  t.equal(html(refused).alert, msg('accounts.resetNeedsOwnFactor'))

  const stale = await createOfficial(db, 'admin', 'stale-admin@example.test')
  const own = await enrol(db, stale.id)
  const a = await signedIn(app, 'stale-admin@example.test', { code: codeNow(own.secret) })
  await a.get('/official/accounts')
  // The code was confirmed an hour ago, as far as the session knows.
  await db
    .update(sessions)
    .set({ data: sql`jsonb_set(${sessions.data}, '{verifiedAt}', to_jsonb(${Date.now() - 3_600_000}::bigint))` })
    .where(eq(sessions.officialId, stale.id))
  const asked = await a.post(`/official/accounts/${other.id}/reset-second-factor`, {})
  t.equal(asked.statusCode, 303)
  t.match(asked.headers.location, /^\/login\/code\?next=%2Fofficial%2Faccounts&reason=step-up/)
  t.ok((await row('keepme@example.test')).totpEnabledAt, 'nothing was reset')
  await a.get('/login/code')
  await a.post('/login/code', { code: codeNow(own.secret, 1), next: '/official/accounts' })
  await a.get('/official/accounts')
  t.equal((await a.post(`/official/accounts/${other.id}/reset-second-factor`, {})).statusCode, 303)
  t.equal((await row('keepme@example.test')).totpEnabledAt, null, 'with a fresh code it is done')
})

t.test('moderators and council members cannot manage accounts, review access or export the audit log', async (t) => {
  const council = await createOfficial(db, 'council', 'council@example.test')
  const v = await signedIn(app, 'council@example.test')
  for (const path of ['/official/accounts', '/official/accounts/review', '/official/audit.csv'])
    t.equal((await v.get(path)).statusCode, 403, path)
  await v.get('/official')
  t.equal(
    (await v.post('/official/accounts', { name: 'x', email: 'x@example.test', role: 'admin', method: 'link' }))
      .statusCode,
    403,
  )
  t.equal((await v.post(`/official/accounts/${council.id}/role`, { role: 'admin' })).statusCode, 403)
  t.equal((await v.post('/official/accounts/review', {})).statusCode, 403)
  t.equal((await row('council@example.test')).role, 'council')
})

t.test('the access review lists every official and records the review; the dashboard reminds until then', async (t) => {
  const a = await signedIn(app, 'admin@example.test')
  t.match((await a.get('/official')).body, 'De jaarlijkse toegangscontrole is nodig')
  const page = await a.get('/official/accounts/review')
  t.match(page.body, 'Nieuwe Moderator')
  t.match(page.body, /<td>Test admin<\/td>|<td>Via de opdrachtregel<\/td>/)
  t.match(page.body, 'Nog nooit gecontroleerd')
  t.equal((await a.post('/official/accounts/review', {})).headers.location, '/official/accounts/review?done=1')
  const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'access.reviewed'))
  t.equal(entry?.officialId, admin.id)
  t.notMatch((await a.get('/official')).body, 'toegangscontrole is nodig')
})

t.test('admins export the audit log as CSV with spreadsheet formulas defused', async (t) => {
  const a = await signedIn(app, 'admin@example.test')
  await invite(a, { name: 'Formule', email: '=1+1@evil.example', role: 'council', method: 'password' })
  const v = new Visitor(app)
  await v.get('/login')
  await v.post('/login', { email: '=1+1@evil.example', password: 'wrong password' })
  const res = await a.get('/official/audit.csv')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], 'text/csv')
  t.match(res.headers['content-disposition'], /attachment; filename="wijkbudget-audit-\d{4}-\d{2}-\d{2}\.csv"/)
  t.ok(res.body.startsWith('\uFEFF'), 'spreadsheet programs read it as UTF-8')
  const rows = parse<Record<string, string>>(res.body, { bom: true, columns: true })
  t.same(Object.keys(rows[0]!), ['id', 'at_utc', 'actor', 'action', 'object', 'details', 'hash'])
  t.ok(
    rows.some((r) => r.actor === "'=1+1@evil.example" && r.action === 'login.failed'),
    'the formula is shown as text',
  )
  t.notOk(rows.some((r) => Object.values(r).some((v) => v.startsWith('='))))
})
