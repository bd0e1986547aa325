import t from 'tap'
import { ROLES } from '../../../server/domain/access/permissions.js'
import { createOfficials, signedIn } from '../../helpers/officials.js'
import { testApp } from '../../helpers/app.js'
import { html, msg } from '../../helpers/html.js'

// The officials' menu: each role sees its own home and only the places it may use.
const { app, db } = await testApp(t)
await createOfficials(db, ROLES)

const EXPECTED = {
  admin: ['/official', '/official/moderation', '/official/accounts', '/official/account'],
  moderator: ['/official', '/official/moderation', '/official/translations', '/official/account'],
  coach: ['/official', '/official/translations', '/official/account'],
  council: ['/official', '/official/account'],
}

for (const role of ROLES)
  t.test(`a ${role} sees their own home and only the places they may use`, async (t) => {
    const official = await signedIn(app, role)
    const home = html(await official.get('/official'))
    t.equal(home.text('h1'), msg(`layout.home.${role}`))
    const menu = home.all('.site-nav a')
    t.same(
      menu.map((a) => a.getAttribute('href')),
      EXPECTED[role],
    )
    t.equal(home.get('.site-nav [aria-current=page]').getAttribute('href'), '/official', 'where they are')
    for (const a of menu) {
      const href = a.getAttribute('href')!
      t.equal((await official.get(href)).statusCode, 200, `${href} opens for a ${role}`)
    }
  })

t.test("a council member's home is not titled as if they managed the round", async (t) => {
  const council = html(await (await signedIn(app, 'council')).get('/official'))
  t.not(council.text('h1'), msg('layout.home.admin'))
  t.notOk(council.texts('.site-nav a').includes(msg('layout.moderation')))
})
