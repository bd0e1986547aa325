import t from 'tap'
import { mailtoHref, readHelpDeskForm, storedHelpDesk, telHref } from '../../../server/domain/rounds/help-desk.js'

t.test('phone numbers become tel: links; what is no phone number is refused', async (t) => {
  const table: [string, string | null][] = [
    ['010 - 123 45 67', 'tel:0101234567'],
    ['+31 (0)10 123 45 67', 'tel:+31101234567'],
    ['14 010', 'tel:14010'],
    ['bel ons', null],
    ['12', null],
    ['+31 10 123 45 67 89 01 23', null],
    ['010<script>', null],
  ]
  for (const [phone, href] of table) t.equal(telHref(phone), href, phone)
})

t.test('the help desk form: a phone is needed, languages come from the list, all empty removes the desk', async (t) => {
  t.same(readHelpDeskForm({}), { helpDesk: null })
  t.same(readHelpDeskForm({ phone: ' ', languages: [] }), { helpDesk: null })
  t.same(readHelpDeskForm({ email: 'a@b.nl' }), { errors: { phone: 'required' } })
  t.same(readHelpDeskForm({ phone: '010 1234', email: 'nope' }), { errors: { email: 'email' } })
  t.same(readHelpDeskForm({ phone: '010 1234', languages: ['en', 'xx'] }), { errors: { languages: 'invalid' } })
  t.same(readHelpDeskForm({ phone: '010 1234', hours: 'x'.repeat(301) }), { errors: { hours: 'tooLong' } })
  t.same(readHelpDeskForm({ phone: '010 1234', address: 'a\u0000b' }), { errors: { address: 'invalid' } })
  t.same(readHelpDeskForm({ phone: ' 010 1234 ', languages: 'en' }), {
    helpDesk: { phone: '010 1234', email: '', address: '', hours: '', languages: ['en'], otherLanguages: '' },
  })
})

t.test('a stored desk that no longer reads is not shown rather than shown wrong', async (t) => {
  t.equal(storedHelpDesk(null), null)
  t.equal(storedHelpDesk({ phone: 'not a number' }), null)
  t.same(storedHelpDesk({ phone: '010 1234', languages: ['nl'] })?.languages, ['nl'])
})

t.test('a mailto: link is built from one bare address, never from headers or encoded line breaks', async (t) => {
  t.equal(mailtoHref('hulp@wijkbudget.test'), 'mailto:hulp@wijkbudget.test')
  t.equal(mailtoHref("o'brien+hulp@Gemeente.NL"), "mailto:o'brien%2Bhulp@gemeente.nl")
  for (const bad of [
    'hulp@wijkbudget.test?bcc=spy@evil.test',
    'hulp@wijkbudget.test?bcc=spy%40evil.test&subject=x',
    'hulp@wijkbudget.test%0D%0ABcc:spy@evil.test',
    'hulp&x@wijkbudget.test',
    'hulp@wijkbudget',
    'hulp@-wijkbudget.test',
    'hulp@@wijkbudget.test',
    'hulp @wijkbudget.test',
  ])
    t.equal(mailtoHref(bad), null, bad)
  t.equal(
    storedHelpDesk({ phone: '010 1234', email: 'hulp@x.nl?bcc=spy@evil.test' }),
    null,
    'a desk stored before the rule is not shown with the link',
  )
})
