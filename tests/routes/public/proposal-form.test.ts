import t from 'tap'
import { demoRound } from '../../helpers/fixtures.js'
import { Visitor } from '../../helpers/client.js'
import { errorSummary, parseHtml, words } from '../../helpers/html.js'
import { setPhase } from '../../helpers/voting.js'

const { app, db, round, roundId } = await demoRound(t, { officials: [] })
await setPhase(db, roundId, 'proposing')
const formUrl = `/rounds/${round.slug}/proposals/new`
const OPTIONAL = ['location', 'kwhPerYear', 'co2KgPerYear', 'households', 'organisation']

t.test(
  'the proposal form shows only what is needed; the optional part is folded away, and the intro says so',
  async (t) => {
    const doc = parseHtml((await new Visitor(app).get(formUrl)).body)
    t.match(words(doc.querySelector('.lead')), 'Het kost een paar minuten', 'no longer "about ten minutes"')
    t.match(words(doc.querySelector('.lead')), 'De rest is niet verplicht en staat dichtgeklapt.')
    const more = doc.querySelector('details.proposal-more')!
    t.notOk(more.hasAttribute('open'), 'folded until opened')
    t.match(words(more.querySelector('summary')), /^Meer vertellen \(niet verplicht\)/)
    for (const field of OPTIONAL) t.ok(more.querySelector(`#${field}`), `${field} is in the folded part`)
    const open = doc
      .querySelectorAll('form input, form textarea')
      .filter((field) => !more.querySelector(`[id="${field.id}"]`) && field.getAttribute('type') !== 'hidden')
    t.same(
      open.map((field) => field.getAttribute('name')).filter((name, i, all) => all.indexOf(name) === i),
      [
        'title',
        'summary',
        'description',
        'cost',
        'track',
        'themes',
        'contactName',
        'contactEmail',
        'contactPhone',
        'consent',
      ],
      'what stays open is what is asked',
    )
    for (const field of ['contactEmail', 'contactPhone']) {
      t.equal(
        words(doc.querySelector(`label[for=${field}] .proposal-optional`)),
        '(e-mailadres of telefoonnummer: één van beide is nodig)',
        `${field} says one of the two is needed`,
      )
      t.equal(
        words(doc.querySelector(`#${field}-hint`)),
        'Vul er minstens één in: een e-mailadres, een telefoonnummer, of allebei.',
      )
      t.match(doc.querySelector(`#${field}`)!.getAttribute('aria-describedby'), `${field}-hint`)
    }
  },
)

t.test('a failed proposal opens the folded part where it holds a mistake, and the summary takes focus', async (t) => {
  const v = new Visitor(app)
  await v.get(formUrl)
  const res = await v.post(`/rounds/${round.slug}/proposals`, {
    title: '',
    kwhPerYear: 'veel',
    contactName: 'Ayla',
    track: '',
  })
  t.equal(res.statusCode, 422)
  const doc = parseHtml(res.body)
  t.ok(
    doc.querySelector('details.proposal-more')!.hasAttribute('open'),
    'open, so the link to the mistake leads somewhere visible',
  )
  const { links, problems } = errorSummary(doc)
  t.same(problems, [], 'every message belongs to a field marked aria-invalid')
  const hrefs = doc.querySelectorAll('#error-summary a').map((a) => a.getAttribute('href'))
  t.equal(links.length, hrefs.length)
  t.same(hrefs.slice(0, 2), ['#title', '#summary'], 'in the order of the form')
  t.ok(hrefs.includes('#kwhPerYear'), 'the mistake in the folded part is listed too')
  t.equal(doc.querySelector('#contactEmail')!.getAttribute('aria-invalid'), 'true', 'neither e-mail nor phone: marked')
  const untouched = parseHtml((await v.post(`/rounds/${round.slug}/proposals`, { title: 'Alleen een titel' })).body)
  t.notOk(
    untouched.querySelector('details.proposal-more')!.hasAttribute('open'),
    'nothing optional typed or wrong: stays folded',
  )
})
