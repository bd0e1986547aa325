import t from 'tap'
import { passwordChecker, siteNames } from '../server/passwords.js'

const check = passwordChecker(siteNames({ controller: 'Gemeente Voorbeeldstad' }))

t.test('long but common passwords are refused with the reason, which the old list of 10,000 let through', async (t) => {
  t.equal(check('password1234', 'lead@gemeente.nl'), 'password.common')
  t.equal(check('qwerty123456', 'lead@gemeente.nl'), 'password.common')
  t.not(check('welkom123456', 'lead@gemeente.nl'), null, 'Dutch words count too')
})

t.test("the platform's, the municipality's and the official's own names count as easy to guess", async (t) => {
  t.equal(check('Wijkbudget2026!', 'lead@gemeente.nl'), 'password.personal')
  t.equal(check('Voorbeeldstad2026', 'lead@gemeente.nl'), 'password.personal')
  t.equal(check('janneke.devries!', 'janneke.devries@gemeente.nl'), 'password.personal')
})

t.test('a passphrase of unusual words passes', async (t) => {
  t.equal(check('paars fietsrek onder de brug', 'lead@gemeente.nl'), null)
  t.equal(check('correct horse battery staple', 'lead@gemeente.nl'), null)
})
