import t from 'tap'
import { html, msg } from '../../helpers/html.js'
import { signedIn } from '../../helpers/officials.js'
import { actionLinks, change, FORM, historyLines, idFrom, roundsAdmin } from '../../helpers/rounds.js'

// Who may do what to a round, and what a refused or hostile request leaves behind.
const { app, admin, insertRound, addProposal, roundRow, roundCount, actionCount } = await roundsAdmin(t)

t.test('a POST without a valid CSRF token is refused with 403 and changes nothing', async (t) => {
  const round = await insertRound('draft', { title: 'Beschermd' })
  const before = { rounds: await roundCount(), audit: await actionCount() }
  const posts: [string, Record<string, string>][] = [
    ['/official/rounds', FORM],
    [`/official/rounds/${round.id}`, { ...FORM, title: 'Gekaapt' }],
    [`/official/rounds/${round.id}/advance`, { from: 'draft' }],
  ]
  for (const [url, form] of posts) {
    for (const token of [null, 'forged']) {
      const res = await admin.post(url, { ...form, _csrf: token })
      t.equal(res.statusCode, 403, `${url} with ${token}`)
      t.equal(html(res).text('h1'), msg('errors.csrf'))
    }
  }
  t.match(await roundRow(round.id), { title: 'Beschermd', phase: 'draft' })
  t.equal(await roundCount(), before.rounds)
  t.equal(await actionCount(), before.audit)
})

t.test(
  'moderators and council members get 403 on every form and POST, change nothing, and read the round without buttons',
  async (t) => {
    const round = await insertRound('proposing', { title: 'Alleen beheerders' })
    await addProposal(round.id, 'approved')
    const visitors = { moderator: await signedIn(app, 'moderator'), council: await signedIn(app, 'council') }
    const before = { rounds: await roundCount(), audit: await actionCount() }
    for (const [role, v] of Object.entries(visitors)) {
      for (const url of [
        '/official/rounds/new',
        `/official/rounds/${round.id}/edit`,
        `/official/rounds/${round.id}/advance`,
      ]) {
        const res = await v.get(url)
        t.equal(res.statusCode, 403, `${role} GET ${url}`)
        t.equal(html(res).text('h1'), msg('errors.forbidden'))
      }
      await v.get('/official')
      const posts: [string, Record<string, string>][] = [
        ['/official/rounds', FORM],
        [`/official/rounds/${round.id}`, { ...FORM, title: 'Overgenomen' }],
        [`/official/rounds/${round.id}/advance`, { from: 'proposing' }],
      ]
      for (const [url, form] of posts) t.equal((await v.post(url, form)).statusCode, 403, `${role} POST ${url}`)
      const page = await v.get(`/official/rounds/${round.id}`)
      t.equal(page.statusCode, 200, `${role} reads the management page`)
      t.equal(html(page).text('h1'), 'Alleen beheerders')
      t.same(
        html(page)
          .rows('table.table')
          .find(([label]) => label === msg('status.approved')),
        [msg('status.approved'), '1'],
      )
      t.notOk(actionLinks(page.body).includes(`/official/rounds/${round.id}/advance`), 'no advance button')
      t.notOk(actionLinks(page.body).includes(`/official/rounds/${round.id}/edit`), 'no edit link')
      const dashboard = html(await v.get('/official'))
      t.ok(dashboard.links.includes(`/official/rounds/${round.id}`))
      t.notOk(dashboard.links.includes('/official/rounds/new'), 'no new-round link')
    }
    t.match(await roundRow(round.id), { title: 'Alleen beheerders', phase: 'proposing' })
    t.equal(await roundCount(), before.rounds)
    t.equal(await actionCount(), before.audit)
  },
)

t.test('an unknown or malformed round id is a 404 on every round page and POST', async (t) => {
  await admin.get('/official')
  for (const id of ['999999', 'abc', '0', '1e3', '-1', '12345678901234567890']) {
    for (const suffix of ['', '/edit', '/advance']) {
      t.equal((await admin.get(`/official/rounds/${id}${suffix}`)).statusCode, 404, `GET ${id}${suffix}`)
    }
    const edit = await admin.post(`/official/rounds/${id}`, FORM)
    t.equal(edit.statusCode, 404, `POST ${id}`)
    t.equal(html(edit).text('h1'), msg('errors.notFound'))
    t.equal(
      (await admin.post(`/official/rounds/${id}/advance`, { from: 'draft' })).statusCode,
      404,
      `POST ${id}/advance`,
    )
  }
  const bad = await admin.post('/official/rounds/1/advance', { from: 'somewhere' })
  t.equal(bad.statusCode, 400, 'a phase that does not exist is a bad request')
})

t.test(
  'HTML in a title is shown as text on the dashboard, the management page, its history and the form',
  async (t) => {
    const title = '<script>alert("x")</script> & <b>vet</b>'
    const res = await admin.post('/official/rounds', { ...FORM, title })
    const id = idFrom(res.headers.location)
    t.equal((await roundRow(id)).title, title, 'stored as typed')
    t.equal((await roundRow(id)).slug, 'script-alert-x-script-b-vet-b')
    await admin.post(`/official/rounds/${id}`, { ...FORM, title: `${title}!` })
    for (const url of [
      '/official',
      `/official/rounds/${id}`,
      `/official/rounds/${id}/edit`,
      `/official/rounds/${id}/advance`,
    ]) {
      const page = html(await admin.get(url))
      t.ok(
        page.text('main').includes(`${title}!`) || page.fields(page.root).title === `${title}!`,
        `${url}: shown as text`,
      )
      t.notOk(
        page.all('script').some((s) => s.text.includes('alert')),
        `${url}: never run`,
      )
      t.notOk(page.has('main b'), `${url}: no markup from the title`)
    }
    const history = await admin.get(`/official/rounds/${id}`)
    t.ok(historyLines(history.body).includes(change('rounds.setting.title', `‘${title}’`, `‘${title}!’`)))
  },
)

t.test('the management page links to what each role may do in this phase, by the permission table', async (t) => {
  const voting = await insertRound('voting', { title: 'Links tijdens stemmen' })
  const closed = await insertRound('closed', { title: 'Links na sluiten' })
  const moderator = await signedIn(app, 'moderator')
  const council = await signedIn(app, 'council')
  const links = async (v: typeof admin, id: number) => {
    const hrefs = html(await v.get(`/official/rounds/${id}`)).links
    return ['codes', 'paper', 'turnout', 'results'].filter((page) => hrefs.includes(`/official/rounds/${id}/${page}`))
  }
  t.same(await links(admin, voting.id), ['codes', 'paper', 'turnout'])
  t.same(await links(admin, closed.id), ['codes', 'turnout', 'results'])
  t.same(await links(moderator, voting.id), ['paper', 'turnout'])
  t.same(await links(moderator, closed.id), ['turnout'])
  t.same(await links(council, voting.id), ['turnout'])
  t.notOk(
    html(await council.get('/official')).links.includes('/official/rounds/new'),
    'only admins are offered a new round',
  )
  t.ok(html(await admin.get('/official')).links.includes('/official/rounds/new'))
})
