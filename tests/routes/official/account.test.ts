import t from 'tap'
import { eq } from 'drizzle-orm'
import { officials, results, sessions } from '../../../db/schema.js'
import { verifyPassword } from '../../../server/passwords.js'
import { Visitor } from '../../helpers/client.js'
import { demoRound } from '../../helpers/fixtures.js'
import { createOfficial, PASSWORD, signIn } from '../../helpers/officials.js'
import { codeNow, enrol } from '../../helpers/second-factor.js'
import { html, msg } from '../../helpers/html.js'

const { app, db, roundId } = await demoRound(t, { phase: 'closed', officials: [] })
const hashOf = async (id: number) => (await db.select().from(officials).where(eq(officials.id, id)))[0]!.passwordHash!

t.test(
  'a new password that is short, common, mistyped or given with a wrong current password is refused and nothing changes',
  async (t) => {
    const me = await createOfficial(db, 'moderator', 'pw@example.test')
    const v = new Visitor(app)
    await signIn(v, 'pw@example.test')
    await v.get('/official/account/password')
    const before = await hashOf(me.id)
    const table: [Record<string, string>, string, string][] = [
      [{ current: PASSWORD, password: 'te kort', repeat: 'te kort' }, 'password', 'minstens 12 tekens'],
      [{ current: PASSWORD, password: 'password1234', repeat: 'password1234' }, 'password', 'wordt veel gebruikt'],
      [{ current: PASSWORD, password: 'qwerty123456', repeat: 'qwerty123456' }, 'password', 'wordt veel gebruikt'],
      [{ current: PASSWORD, password: 'wijkbudget2026', repeat: 'wijkbudget2026' }, 'password', 'naam van Wijkbudget'],
      [
        { current: PASSWORD, password: 'paars fietsrek onder de brug', repeat: 'paars fietsrek onder de brig' },
        'repeat',
        'niet gelijk',
      ],
      [
        { current: 'wrong', password: 'paars fietsrek onder de brug', repeat: 'paars fietsrek onder de brug' },
        'current',
        'huidige wachtwoord klopt niet',
      ],
    ]
    for (const [form, field, message] of table) {
      const res = await v.post('/official/account/password', form)
      t.equal(res.statusCode, 422, message)
      t.match(res.body, new RegExp(`id="${field}-error">[^<]*${message}`), message)
      t.notMatch(res.body, /value="paars/, 'passwords are never sent back')
    }
    t.equal(await hashOf(me.id), before)
  },
)

t.test('a weak password is refused with its reason in the official’s language', async (t) => {
  await createOfficial(db, 'moderator', 'english@example.test')
  const v = new Visitor(app)
  await signIn(v, 'english@example.test')
  await v.get('/official/account/password?lang=en')
  const res = await v.post('/official/account/password', {
    current: PASSWORD,
    password: 'welkom123456',
    repeat: 'welkom123456',
  })
  t.equal(res.statusCode, 422)
  const problems = ['common', 'words', 'weak', 'pattern'].map((key) => msg(`password.${key}`, {}, 'en'))
  t.ok(
    problems.some((text) => html(res).text('#password-error').includes(text)),
    'an English reason',
  )
})

t.test('changing the password keeps this session and ends every other one', async (t) => {
  const me = await createOfficial(db, 'moderator', 'change@example.test')
  const other = new Visitor(app)
  await signIn(other, 'change@example.test')
  const v = new Visitor(app)
  await signIn(v, 'change@example.test')
  await v.get('/official/account/password')
  const res = await v.post('/official/account/password', {
    current: PASSWORD,
    password: 'paars fietsrek onder de brug',
    repeat: 'paars fietsrek onder de brug',
  })
  t.equal(res.headers.location, '/official/account?done=password')
  t.ok(await verifyPassword(await hashOf(me.id), 'paars fietsrek onder de brug'))
  t.equal((await other.get('/official')).statusCode, 303, 'the other browser is logged out')
  t.equal((await v.get('/official')).statusCode, 200)
})

t.test(
  'an official sees their sessions with device and last use, and ends one; a handle of someone else ends nothing',
  async (t) => {
    await createOfficial(db, 'council', 'sessions@example.test')
    const phone = new Visitor(app)
    await phone.get('/login')
    await phone.post(
      '/login',
      { email: 'sessions@example.test', password: PASSWORD },
      { 'user-agent': 'Phone Browser 1.0' },
    )
    const desk = new Visitor(app)
    await signIn(desk, 'sessions@example.test')
    const page = await desk.get('/official/account')
    t.match(page.body, 'Phone Browser 1.0')
    t.match(page.body, 'Deze sessie')
    t.notMatch(page.body, desk.cookie('sid')!.split('.')[0]!, 'session ids never reach the page')
    const handle = /name="session" value="([0-9a-f]+)"/.exec(page.body)![1]!

    await createOfficial(db, 'council', 'stranger@example.test')
    const stranger = new Visitor(app)
    await signIn(stranger, 'stranger@example.test')
    await stranger.get('/official/account')
    await stranger.post('/official/account/sessions/end', { session: handle })
    t.equal((await phone.get('/official')).statusCode, 200, "a stranger cannot end someone's session")

    await desk.post('/official/account/sessions/end', { session: handle })
    t.equal((await phone.get('/official')).statusCode, 303, 'the phone is logged out')
    t.equal((await desk.get('/official')).statusCode, 200)
  },
)

t.test('publishing asks for a fresh code first and publishes nothing until then', async (t) => {
  const admin = await createOfficial(db, 'admin', 'publisher@example.test')
  const { secret } = await enrol(db, admin.id)
  const v = new Visitor(app)
  await signIn(v, 'publisher@example.test', { code: codeNow(secret) })
  const [row] = await db.select().from(sessions).where(eq(sessions.officialId, admin.id))
  await db
    .update(sessions)
    .set({ data: { ...(row!.data as object), verifiedAt: Date.now() - 10 * 60_000 } })
    .where(eq(sessions.sid, row!.sid))
  await v.get(`/official/rounds/${roundId}/results`)
  const res = await v.post(`/official/rounds/${roundId}/publish`, {})
  t.equal(res.statusCode, 303)
  t.equal(
    res.headers.location,
    `/login/code?next=${encodeURIComponent(`/official/rounds/${roundId}/publish`)}&reason=step-up`,
    'after the code, back to the confirmation page',
  )
  t.equal((await db.select().from(results)).length, 0, 'nothing published')
  t.match((await v.get(res.headers.location as string)).body, 'Publiceren is een belangrijke stap')
  const back = await v.post('/login/code', { code: codeNow(secret, 1), next: `/official/rounds/${roundId}/results` })
  t.equal(back.headers.location, `/official/rounds/${roundId}/results`)
  await v.get(back.headers.location as string)
  t.equal((await v.post(`/official/rounds/${roundId}/publish`, {})).statusCode, 303)
  t.equal((await db.select().from(results)).length, 1, 'published after the code')
})
